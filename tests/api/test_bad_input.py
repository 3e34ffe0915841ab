"""A catalogue of bad input: each gets a clear JSON error, and nothing stored is lost or changed.

Before every case Ann has a page with a snapshot and a page tag, a
highlight with note, tags, position and range, and a tombstone. Every case
then checks, beside the status:

* the answer is ``{"error": {"code", "message", "fields"}}`` with a message
  a person can act on, and for validation errors ``fields`` (and the
  message) name the field at fault;
* Ann's data — pages, snapshot, change feed, tags — reads back byte for
  byte as before;
* the app still answers a normal write afterwards (so no lock or broken
  transaction was left behind).

Bodies are sent as raw bytes built from the tables, so the catalogue shows
exactly what went over the wire.
"""

import base64
import gzip
import json
import random
import re
import uuid
import zlib
from dataclasses import dataclass
from dataclasses import field as default
from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from server.services import highlights, pages, users
from server.services import tags as tags_service

from ..api_client import ApiClient

MIB = 1024 * 1024

PAGE_URL = "https://example.com/essay"
NEW_URL = "https://example.com/never-stored"  # a bad request that half-landed would leave this page
H1 = "5e1ec7ed-0000-4000-8000-000000000001"
TOMBSTONE = "5e1ec7ed-0000-4000-8000-000000000002"

PAGE_HTML = """<!doctype html><html lang="en"><head><title>On Keeping Notes</title>
<meta name="author" content="Ann Author"></head><body><article><h1>On Keeping Notes</h1>
<p>People who keep notes in the margins of what they read remember more of it, because
writing a few words in their own voice forces them to decide what the passage meant.</p>
<p>A highlight alone is cheap; a highlight with a note is a small conversation with the
author, and it is the conversation that lasts long after the book is back on the shelf.</p>
</article></body></html>"""

NOBODY = object()  # no body at all (GET, DELETE)
REMOVE = object()  # drop the key from the valid body


# --- the cases ------------------------------------------------------------------------------

@dataclass
class Case:
    method: str
    path: str  # with {page}, {highlight}, {tag}, {new} placeholders
    body: object = NOBODY  # bytes are sent as they are; anything else as JSON
    status: int | tuple = 422
    code: str | None = None
    field: str | None = None  # dotted path that error.fields must name
    content_type: str | None = "application/json"
    headers: dict = default(default_factory=dict)
    gzip: bool = False
    query: dict = default(default_factory=dict)


def param(case: Case, id: str):
    """A table row."""
    return pytest.param(case, id=id)


WRITE_ENDPOINTS = [
    ("PUT", "/pages"),
    ("PUT", "/highlights/{highlight}"),
    ("PATCH", "/highlights/{highlight}"),
    ("PATCH", "/pages/{page}"),
    ("PATCH", "/tags/{tag}"),
]

# The valid body each bad case starts from. Each would change Ann's data, so a bad
# case that slipped through would show in the before/after comparison.
VALID_BODIES = {
    ("PUT", "/pages"): {"url": NEW_URL, "title": "New page", "html": "<p>A new page.</p>", "tags": ["new"]},
    ("PUT", "/highlights/{highlight}"): {
        "url": PAGE_URL, "title": "Title", "quote": {"exact": "replaced", "prefix": "was ", "suffix": " here"},
        "position": {"start": 1, "end": 9},
        "range": {"startContainer": "/p[1]", "startOffset": 0, "endContainer": "/p[1]", "endOffset": 8},
        "color": "pink", "note": "replaced", "tags": ["new"], "created_at": "2026-01-02T03:04:05Z",
    },
    ("PATCH", "/highlights/{highlight}"): {"color": "pink", "note": "changed", "tags": ["new"]},
    ("PATCH", "/pages/{page}"): {"title": "Changed", "tags": ["new"]},
    ("PATCH", "/tags/{tag}"): {"name": "renamed"},
}


def altered(endpoint, dotted: str, value) -> dict:
    """The endpoint's valid body with one (possibly nested) key set to value, or removed."""
    body = json.loads(json.dumps(VALID_BODIES[endpoint]))
    *parents, leaf = dotted.split(".")
    target = body
    for name in parents:
        target = target[name]
    if value is REMOVE:
        del target[leaf]
    else:
        target[leaf] = value
    return body


def _short(value) -> str:
    if hasattr(value, "holds"):
        return f"cursor of {value.holds}"
    text = repr(value) if not isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 24 else f"{text[:12]}...({len(text)} chars)"


def field_cases(endpoint, rows, status=422, code="invalid"):
    """Rows of (dotted field, bad value): the valid body with that one field made bad."""
    method, path = endpoint
    return [
        param(Case(method, path, altered(endpoint, name, value), status, code, field=name),
              id=f"{method} {path} {name}={'<missing>' if value is REMOVE else _short(value)}")
        for name, value in rows
    ]


def body_cases(endpoint, bodies, status=422, code="invalid", field="_schema"):
    method, path = endpoint
    return [param(Case(method, path, body, status, code, field=field), id=f"{method} {path} body={_short(body)}")
            for body in bodies]


PUT_PAGE, PUT_HIGHLIGHT, PATCH_HIGHLIGHT, PATCH_PAGE, PATCH_TAG = WRITE_ENDPOINTS


# --- helpers --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch):
    """Passwords play no part here; a cheap hash keeps the many cases quick."""
    monkeypatch.setattr(users, "generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1"))


class Stored:
    """Ann's data, and a way to read all of it back as the API's raw bytes.

    The data is made through the services in one transaction: for hundreds
    of cases that is much quicker than over HTTP, and the API's write paths
    are what the cases themselves exercise.
    """

    def __init__(self, person, in_db):
        self.api = person.api

        def make(session):
            page, _ = pages.upsert_page(session, person.id, PAGE_URL, html=PAGE_HTML, tags=["reading"])
            for uuid_, color, tags in ((H1, "green", ["ai", "policy"]), (TOMBSTONE, "blue", ["ai"])):
                highlights.put_highlight(session, person.id, uuid_, url=PAGE_URL, tags=tags, fields={
                    "exact": "keep notes", "prefix": "who ", "suffix": " in", "position_start": 7,
                    "position_end": 17, "color": color, "pdf_page_first": None, "pdf_page_last": None, "note": f"note of {uuid_[-1]}",
                    "range_selector": {"startContainer": "/article/p[1]", "startOffset": 7,
                                       "endContainer": "/article/p[1]", "endOffset": 17},
                })
            highlights.delete_highlight(session, person.id, TOMBSTONE)
            session.commit()
            return page.id, {tag["name"]: tag["id"] for tag in tags_service.list_tags(session, person.id)}["ai"]

        self.page_id, self.tag_id = in_db(make)

    def ids(self) -> dict:
        return {"page": self.page_id, "highlight": H1, "tombstone": TOMBSTONE, "tag": self.tag_id,
                "new": uuid.uuid4()}

    def state(self) -> dict[str, bytes]:
        state = {}
        for path in ("/pages?limit=500", f"/pages/{self.page_id}/snapshot", "/highlights?limit=1000", "/tags"):
            answer = self.api.client.get("/api/v1" + path, headers=self.api.headers)
            assert answer.status_code == 200, (path, answer.data)
            state[path] = answer.data
        return state


@pytest.fixture
def stored(ann, in_db) -> Stored:
    return Stored(ann, in_db)


def send(api: ApiClient, case: Case, ids: dict):
    headers = {**api.headers, **case.headers}
    kwargs = {}
    if case.body is not NOBODY:
        data = case.body if isinstance(case.body, bytes) else json.dumps(case.body).encode()
        if case.gzip:
            data = gzip.compress(data)
            headers["Content-Encoding"] = "gzip"
        kwargs["data"] = data
        if case.content_type:
            kwargs["content_type"] = case.content_type
    return api.client.open("/api/v1" + case.path.format(**ids), method=case.method, headers=headers,
                           query_string=case.query, **kwargs)


def field_paths(fields: dict, prefix: str = ""):
    for name, value in fields.items():
        if isinstance(value, dict):
            yield from field_paths(value, f"{prefix}{name}.")
        else:
            assert isinstance(value, list) and value and all(isinstance(m, str) and m for m in value), fields
            yield f"{prefix}{name}"


def assert_error(answer, status, code=None, field=None):
    statuses = status if isinstance(status, tuple) else (status,)
    assert answer.status_code in statuses, answer.data[:500]
    if answer.status_code < 400:
        return
    assert answer.mimetype == "application/json", answer.data[:200]
    body = json.loads(answer.data)
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z_]+", error["code"])
    if code:
        assert error["code"] == code, error
    message = error["message"]
    assert isinstance(message, str) and len(message) >= 20 and "<" not in message[:1], message
    assert isinstance(error["fields"], dict)
    if field:
        paths = list(field_paths(error["fields"]))
        assert any(path == field or path.startswith(field + ".") for path in paths), (field, error)
        leaf = field.split(".")[-1].removesuffix("s").lower()
        assert leaf in message.lower(), (field, message)  # the message names it too


def assert_still_serving(api: ApiClient):
    answer = api.patch(f"/highlights/{H1}", {"note": "still here"})  # a write: no lock was left behind
    assert answer.status_code == 200, answer.json


def check_refused(stored: Stored, case: Case, api: ApiClient | None = None):
    """The whole contract: the expected error, Ann's data unchanged, the app still fine."""
    before = stored.state()
    answer = send(api or stored.api, case, stored.ids())
    assert_error(answer, case.status, case.code, case.field)
    assert stored.state() == before
    assert_still_serving(stored.api)
    return answer


# --- the valid bodies the catalogue starts from are accepted -------------------------------

@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=[" ".join(e) for e in WRITE_ENDPOINTS])
def test_the_valid_bodies_the_cases_start_from_are_accepted(stored, endpoint):
    answer = send(stored.api, Case(*endpoint, VALID_BODIES[endpoint]), stored.ids())
    assert answer.status_code in (200, 201), answer.json


# --- malformed JSON: 400 invalid_json --------------------------------------------------------

# Sent to every write endpoint.
MALFORMED = {
    "truncated": b'{"url": "https://example.com/x", "quote": {"exact": "a"',
    "trailing comma": b'{"note": "x",}',
    "invalid UTF-8 byte": b'{"note": "caf\xe9"}',
    "UTF-16": '{"note": "x"}'.encode("utf-16"),
}
# Parsed by the same code for every endpoint: each sent to one of them, in turn.
MORE_MALFORMED = {
    "single quotes": b"{'note': 'x'}",
    "UTF-8 encoded surrogate": b'{"note": "\xed\xa0\x80"}',
    "two documents": b'{"note": "x"} {"note": "y"}',
    "unquoted key": b'{note: "x"}',
    "raw control character in a string": b'{"note": "a\x01b"}',
    "bad escape": b'{"note": "\\x41"}',
    "short unicode escape": b'{"note": "\\ud8"}',
    "overlong UTF-8": b'{"note": "\xc0\xaf"}',
    "UTF-8 cut mid-character": b'{"note": "caf\xc3"}',
    "UTF-8 with BOM": b'\xef\xbb\xbf{"note": "x"}',
    "bare word": b"note",
    "empty object then garbage": b"{}garbage",
}


def in_turn(rows: dict):
    """Each row with one write endpoint, going round them."""
    return [(WRITE_ENDPOINTS[i % len(WRITE_ENDPOINTS)], name, value) for i, (name, value) in enumerate(rows.items())]


@pytest.mark.parametrize("case", [
    param(Case(method, path, body, 400, "invalid_json"), id=f"{method} {path} {name}")
    for method, path in WRITE_ENDPOINTS for name, body in MALFORMED.items()
] + [
    param(Case(*endpoint, body, 400, "invalid_json"), id=f"{' '.join(endpoint)} {name}")
    for endpoint, name, body in in_turn(MORE_MALFORMED)
])
def test_malformed_json_is_400_invalid_json(stored, case):
    answer = check_refused(stored, case)
    assert "JSON" in answer.json["error"]["message"]


@pytest.mark.parametrize("case", [
    param(Case(*endpoint, body, 400, "invalid_json"), id=f"{' '.join(endpoint)} {name}")
    for endpoint in (PUT_HIGHLIGHT, PATCH_TAG)
    for name, body in {
        "number of 5000 digits": b'{"position": {"start": ' + b"7" * 5000 + b', "end": 1}, "name": 1}',
        "nesting 100000 deep": b"[" * 100_000 + b"]" * 100_000,
    }.items()
])
def test_json_the_parser_cannot_hold_is_400(stored, case):
    check_refused(stored, case)


# --- not JSON at all: 415 --------------------------------------------------------------------

NOT_JSON = {
    "no Content-Type": (b'{"note": "x"}', None),
    "text/plain": (b'{"note": "x"}', "text/plain"),
}
MORE_NOT_JSON = {
    "text/json": (b'{"note": "x"}', "text/json"),
    "form": (b"note=x&color=pink", "application/x-www-form-urlencoded"),
    "multipart": (b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--b--\r\n',
                  "multipart/form-data; boundary=b"),
    "text/html": (b"<p>x</p>", "text/html"),
    "octet-stream": (b'{"note": "x"}', "application/octet-stream"),
}


@pytest.mark.parametrize("case", [
    param(Case(method, path, body, 415, "unsupported_media_type", content_type=content_type),
          id=f"{method} {path} {name}")
    for method, path in WRITE_ENDPOINTS for name, (body, content_type) in NOT_JSON.items()
] + [
    param(Case(*endpoint, body, 415, "unsupported_media_type", content_type=content_type),
          id=f"{' '.join(endpoint)} {name}")
    for endpoint, name, (body, content_type) in in_turn(MORE_NOT_JSON)
])
def test_body_that_is_not_json_is_415(stored, case):
    answer = check_refused(stored, case)
    assert "application/json" in answer.json["error"]["message"]


# --- wrong types: 422 naming the field ------------------------------------------------------

WRONG_TYPES = [
    *field_cases(PUT_HIGHLIGHT, [
        ("url", 42), ("url", None), ("quote", "keep notes"), ("quote", ["keep notes"]), ("quote", None),
        ("quote.exact", 42), ("quote.prefix", True), ("position", [1, 9]), ("position.start", "5"),
        ("position.start", 1.5), ("position.start", True), ("range.startOffset", "4"),
        ("color", 42), ("note", 42), ("tags", "ai"), ("tags", [42]), ("tags", None), ("created_at", 1700000000),
    ]),
    *field_cases(PUT_PAGE, [("url", 42), ("url", None), ("title", {}), ("html", 42), ("html", ["<p>x</p>"]),
                            ("tags", "a")]),
    *field_cases(PATCH_HIGHLIGHT, [("color", 42), ("color", None), ("note", 42), ("note", None), ("tags", "ai"),
                                   ("tags", None)]),
    *field_cases(PATCH_PAGE, [("title", 42), ("title", None), ("tags", "a"), ("tags", None)]),
    *field_cases(PATCH_TAG, [("name", 42), ("name", None), ("name", ["x"]), ("name", True)]),
    # A body that is JSON but not an object.
    *[case for endpoint in WRITE_ENDPOINTS for case in body_cases(endpoint, [[], None])],
    *body_cases(PUT_HIGHLIGHT, ["a string"]),
]


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_types_are_422_naming_the_field(stored, case):
    check_refused(stored, case)


# --- missing required fields: 422 -----------------------------------------------------------

MISSING = [
    *field_cases(PUT_HIGHLIGHT, [("url", REMOVE), ("quote", REMOVE), ("quote.exact", REMOVE),
                                 ("position.start", REMOVE), ("position.end", REMOVE),
                                 ("range.startContainer", REMOVE), ("range.endOffset", REMOVE)]),
    *field_cases(PUT_PAGE, [("url", REMOVE)]),
    *field_cases(PATCH_TAG, [("name", REMOVE)]),
    param(Case(*PUT_HIGHLIGHT, {}, field="quote"), id="PUT /highlights {}"),
    param(Case(*PUT_HIGHLIGHT, b"", field="url"), id="PUT /highlights empty body"),
    param(Case(*PUT_PAGE, {}, field="url"), id="PUT /pages {}"),
    param(Case(*PUT_PAGE, b"", field="url"), id="PUT /pages empty body"),
    param(Case(*PATCH_HIGHLIGHT, {}, field="_schema"), id="PATCH /highlights {}"),
    param(Case(*PATCH_HIGHLIGHT, b"", field="_schema"), id="PATCH /highlights empty body"),
    param(Case(*PATCH_PAGE, {}, field="_schema"), id="PATCH /pages {}"),
    param(Case(*PATCH_TAG, {}, field="name"), id="PATCH /tags {}"),
]


@pytest.mark.parametrize("case", MISSING)
def test_missing_required_fields_are_422(stored, case):
    check_refused(stored, case)


# --- values out of range, huge strings: 422 ------------------------------------------------------

TEN_THOUSAND_TAGS = [f"tag{i}" for i in range(10_000)]
LONG_URL = "https://example.com/" + "a" * 9 * 1024

OUT_OF_RANGE = [
    *field_cases(PUT_HIGHLIGHT, [
        ("color", "red"), ("color", "Yellow"),
        ("position", {"start": 10, "end": 9}), ("position.start", -1), ("position.end", 2**31),
        ("range.startOffset", -1), ("quote.exact", ""),
        ("quote.exact", "x" * 50_001), ("quote.prefix", "x" * 1001), ("quote.suffix", "x" * 1001),
        ("note", "x" * 100_001), ("title", "x" * 2001), ("tags", TEN_THOUSAND_TAGS), ("tags", ["x" * 101]),
        ("tags", [""]), ("url", LONG_URL), ("url", ""), ("created_at", "2026-13-01T00:00:00Z"),
    ]),
    *field_cases(PUT_PAGE, [("url", LONG_URL), ("url", ""), ("title", "x" * 2001), ("tags", TEN_THOUSAND_TAGS),
                            ("tags", ["x" * 101])]),
    *field_cases(PATCH_HIGHLIGHT, [("color", "red"), ("note", "x" * 100_001),
                                   ("tags", TEN_THOUSAND_TAGS), ("tags", [""])]),
    *field_cases(PATCH_PAGE, [("title", ""), ("title", "x" * 2001), ("tags", TEN_THOUSAND_TAGS)]),
    *field_cases(PATCH_TAG, [("name", ""), ("name", "x" * 101)]),
]


@pytest.mark.parametrize("case", OUT_OF_RANGE)
def test_values_out_of_range_are_422_naming_the_field(stored, case):
    check_refused(stored, case)


def test_position_end_before_start_says_which_and_why(stored):
    body = altered(PUT_HIGHLIGHT, "position", {"start": 10, "end": 9})
    answer = check_refused(stored, Case(*PUT_HIGHLIGHT, body, field="position.end"))
    assert answer.json["error"]["fields"] == {"position": {"end": ["end must not be before start."]}}


# --- URLs that cannot be kept: 422 on the field url ------------------------------------------------

BAD_URLS = {
    "javascript": "javascript:alert(1)",
    "relative path": "/essays/notes",
    "no scheme": "example.com/essay",
    "ftp": "ftp://example.com/file.txt",
    "data": "data:text/html,<p>x</p>",
    "mailto": "mailto:ann@example.com",
    "no host": "https:///essay",
    "empty host": "http://",
    "space in host": "https://exa mple.com/",
    "unclosed IPv6": "http://[::1/essay",
    "port out of range": "https://example.com:70000/",
    "blank": "   ",
    "grows past the limit when normalized": "https://example.com/" + "\u00e9" * 2000,
}


SOME_BAD_URLS = ("javascript", "relative path", "no scheme", "ftp", "grows past the limit when normalized")


@pytest.mark.parametrize("case", [
    param(Case(*PUT_HIGHLIGHT, altered(PUT_HIGHLIGHT, "url", url), field="url"), id=f"PUT /highlights {name}")
    for name, url in BAD_URLS.items()
] + [
    param(Case(*PUT_PAGE, altered(PUT_PAGE, "url", BAD_URLS[name]), field="url"), id=f"PUT /pages {name}")
    for name in SOME_BAD_URLS
] + [
    param(Case("GET", "/highlights", query={"url": BAD_URLS[name]}, field="url"), id=f"GET /highlights?url= {name}")
    for name in SOME_BAD_URLS
])
def test_urls_that_cannot_be_kept_are_422_on_url(stored, case):
    answer = check_refused(stored, case)
    assert "http" in answer.json["error"]["message"]  # says what is accepted


# --- ids in the path ---------------------------------------------------------------------------

BAD_UUIDS = {
    "word": "not-a-uuid",
    "too long": H1 + "1",
    "not hex": H1[:-1] + "g",
    "NUL": "%00",
    "very long": "a" * 2000,
}


@pytest.mark.parametrize("case", [
    param(Case("PUT", f"/highlights/{bad}", VALID_BODIES[PUT_HIGHLIGHT], field="id"), id=f"PUT {name}")
    for name, bad in BAD_UUIDS.items()
] + [
    param(Case(method, f"/highlights/{BAD_UUIDS[name]}", body, field="id"), id=f"{method} {name}")
    for method, body in (("PATCH", VALID_BODIES[PATCH_HIGHLIGHT]), ("DELETE", NOBODY), ("GET", NOBODY))
    for name in ("word", "not hex", "NUL")
])
def test_invalid_uuid_in_path_is_422(stored, case):
    answer = check_refused(stored, case)
    assert len(answer.json["error"]["message"]) < 200  # quotes the bad id only in part


@pytest.mark.parametrize("case", [
    param(Case(method, path.format(id=big), body, 404, "not_found"), id=f"{method} {path} {name}")
    for name, big in (("2**63", 2**63), ("2**31", 2**31), ("0", 0))
    for method, path, body in (
        ("GET", "/pages/{id}", NOBODY), ("GET", "/pages/{id}/snapshot", NOBODY),
        ("PATCH", "/pages/{id}", VALID_BODIES[PATCH_PAGE]), ("DELETE", "/pages/{id}", NOBODY),
        ("PATCH", "/tags/{id}", VALID_BODIES[PATCH_TAG]),
    )
] + [
    param(Case(method, path, body, 404, "not_found"), id=f"{method} {path}")
    for method, path, body in (
        ("GET", "/highlights/{new}", NOBODY), ("PATCH", "/highlights/{new}", VALID_BODIES[PATCH_HIGHLIGHT]),
        ("DELETE", "/highlights/{new}", NOBODY), ("GET", "/highlights/{tombstone}", NOBODY),
        ("PATCH", "/highlights/{tombstone}", VALID_BODIES[PATCH_HIGHLIGHT]),
        ("GET", "/pages/-1", NOBODY), ("PATCH", "/tags/ai", VALID_BODIES[PATCH_TAG]),
    )
])
def test_ids_nobody_can_have_are_404(stored, case):
    check_refused(stored, case)


# --- NUL and unpaired surrogates: refused in text, cleaned in html ------------------------------------

# JSON escapes as sent on the wire (Python's json.loads turns them into the bad characters).
BAD_ESCAPES = {"NUL": r"a\u0000b", "lone high surrogate": r"a\ud800b", "lone low surrogate": r"\udfff",
               "reversed pair": r"\udc00\ud800"}
TEXT_FIELDS = {
    PUT_HIGHLIGHT: ["url", "title", "quote.exact", "quote.prefix", "quote.suffix", "note", "tags.0",
                    "range.startContainer"],
    PUT_PAGE: ["url", "title", "tags.0"],
    PATCH_HIGHLIGHT: ["note", "tags.0"],
    PATCH_PAGE: ["title", "tags.0"],
    PATCH_TAG: ["name"],
}


def with_escape(endpoint, dotted: str, escape: str) -> bytes:
    """The valid body as raw JSON with the escape text in one string field."""
    if dotted.endswith(".0"):  # the first item of a list of strings
        body = altered(endpoint, dotted.removesuffix(".0"), ["@BAD@"])
    else:
        body = altered(endpoint, dotted, "@BAD@")
    return json.dumps(body).replace("@BAD@", escape).encode()


def escape_cases():
    """Every text field gets one bad escape, the kinds going round; a one-field endpoint gets them all."""
    kinds = list(BAD_ESCAPES)
    for endpoint, names in TEXT_FIELDS.items():
        pairs = [(names[0], kind) for kind in kinds] if len(names) == 1 else \
            [(name, kinds[i % len(kinds)]) for i, name in enumerate(names)]
        for name, kind in pairs:
            yield param(Case(*endpoint, with_escape(endpoint, name, BAD_ESCAPES[kind]), field=name.removesuffix(".0")),
                        id=f"{' '.join(endpoint)} {name} {kind}")


@pytest.mark.parametrize("case", list(escape_cases()))
def test_nul_and_unpaired_surrogates_in_text_fields_are_422(stored, case):
    answer = check_refused(stored, case)
    assert re.search("NUL|surrogate", answer.data.decode())  # says which character is the trouble


@pytest.mark.parametrize("escape, kept", [
    (r"\u0000", ""),
    (r"\ud800", "\ufffd"),
    (r"\udfff", "\ufffd"),
    (r"\udc00\ud800", "\ufffd\ufffd"),
    (r"\ud83d\ude00", "\U0001F600"),  # a valid pair stays what it is
], ids=["NUL", "lone high surrogate", "lone low surrogate", "reversed pair", "valid pair"])
@pytest.mark.parametrize("url, status", [(NEW_URL, 201), (PAGE_URL, 200)], ids=["new page", "known page"])
def test_nul_and_surrogates_in_html_are_cleaned_and_the_page_is_stored(stored, escape, kept, url, status):
    before = stored.state()
    html = f"<html><body><article><p>Kept words {escape} around the odd character.</p></article></body></html>"
    body = json.dumps({"url": url, "html": "@HTML@"}).replace("@HTML@", html).encode()

    answer = stored.api.client.put("/api/v1/pages", data=body, content_type="application/json",
                                   headers=stored.api.headers)

    assert answer.status_code == status, answer.json
    snapshot = stored.api.get(f"/pages/{answer.json['id']}/snapshot").json
    assert " ".join(f"Kept words {kept} around".split()) in " ".join(snapshot["text"].split())
    assert "\x00" not in snapshot["content_html"] + snapshot["text"]
    after = stored.state()
    assert after["/highlights?limit=1000"] == before["/highlights?limit=1000"]
    assert after["/tags"] == before["/tags"]
    if url == NEW_URL:
        assert after[f"/pages/{stored.page_id}/snapshot"] == before[f"/pages/{stored.page_id}/snapshot"]
    assert_still_serving(stored.api)


# --- rejected after part of the work was done: nothing of it stays -----------------------------------

HALF_DONE = [
    param(Case("PUT", "/highlights/{new}", {**altered(PUT_HIGHLIGHT, "url", NEW_URL), "tags": ["fine", "   "]},
               field="tags"), id="PUT new highlight on a new page, one blank tag"),
    param(Case(*PUT_HIGHLIGHT, altered(PUT_HIGHLIGHT, "tags", ["fine", "#"]), field="tags"),
          id="PUT replacing a highlight, a tag of only '#'"),
    param(Case(*PUT_PAGE, {"url": NEW_URL, "html": PAGE_HTML, "tags": ["fine", "#"]}, field="tags"),
          id="PUT new page with snapshot, a tag of only '#'"),
    param(Case(*PUT_PAGE, {"url": PAGE_URL, "html": "<p>A newer version.</p>", "title": "T", "tags": ["\t"]},
               field="tags"), id="PUT known page with a new snapshot, a blank tag"),
    param(Case(*PATCH_PAGE, {"title": "Changed", "tags": ["fine", " \n "]}, field="tags"),
          id="PATCH page title and a blank tag"),
    param(Case(*PATCH_HIGHLIGHT, {"note": "changed", "color": "pink", "tags": ["fine", "##"]}, field="tags"),
          id="PATCH highlight note, color and a tag of only '#'"),
    param(Case(*PATCH_TAG, {"name": "   "}, field="name"), id="PATCH tag name blank"),
    param(Case(*PATCH_TAG, {"name": "#"}, field="name"), id="PATCH tag name only '#'"),
]


@pytest.mark.parametrize("case", HALF_DONE)
def test_refused_after_part_of_the_work_leaves_nothing_behind(stored, case):
    check_refused(stored, case)


# --- bodies over the size limit: 413 ----------------------------------------------------------------

SMALL_LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def small_app(make_app):
    return make_app(MAX_CONTENT_LENGTH=SMALL_LIMIT)


def padded(endpoint, size: int) -> bytes:
    body = {**VALID_BODIES[endpoint], "padding": "x" * size}
    return json.dumps(body).encode()


def incompressible(size: int) -> bytes:
    return base64.b64encode(random.Random(7).randbytes(size))


OVER_THE_SMALL_LIMIT = [
    case
    for endpoint in WRITE_ENDPOINTS
    for case in (
        param(Case(*endpoint, padded(endpoint, 2 * SMALL_LIMIT), 413, "too_large"),
              id=f"{' '.join(endpoint)} plain"),
        param(Case(*endpoint, padded(endpoint, 2 * SMALL_LIMIT), 413, "too_large", gzip=True),
              id=f"{' '.join(endpoint)} gzip expanding past the limit"),
    )
] + [
    param(Case(*endpoint, gzip.compress(b'{"note": "' + incompressible(2 * SMALL_LIMIT) + b'"}'), 413,
               "too_large", headers={"Content-Encoding": "gzip"}),
          id=f"{' '.join(endpoint)} gzip compressed past the limit")
    for endpoint in (PUT_PAGE, PATCH_HIGHLIGHT)
]


@pytest.mark.parametrize("case", OVER_THE_SMALL_LIMIT)
def test_body_over_a_small_configured_limit_is_413(stored, small_app, case):
    small = ApiClient(small_app.test_client(), stored.api.token)
    answer = check_refused(stored, case, api=small)
    assert "MARGINS_MAX_BODY_BYTES" in answer.json["error"]["message"]
    assert small.get("/me").status_code == 200


def test_body_just_under_a_small_configured_limit_is_accepted(stored, small_app):
    small = ApiClient(small_app.test_client(), stored.api.token)
    html = "<p>" + "word " * ((SMALL_LIMIT - 1000) // 5) + "</p>"
    answer = small.put("/pages", {"url": NEW_URL, "html": html})
    assert answer.status_code == 201, answer.json
    assert small.put_gzip("/pages", {"url": NEW_URL + "/2", "html": html}).status_code == 201


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_the_413_message_states_the_limit_that_applies(stored, small_app, gzipped):
    small = ApiClient(small_app.test_client(), stored.api.token)
    body = {"url": NEW_URL, "html": "x" * 2 * SMALL_LIMIT}
    answer = small.put_gzip("/pages", body) if gzipped else small.put("/pages", body)
    assert answer.status_code == 413
    assert re.search(r"\b(64 KiB|65536 bytes)", answer.json["error"]["message"]), answer.json["error"]["message"]


TWENTY_MB = 20 * 1000 * 1000


@pytest.mark.parametrize("case", [
    param(Case(*PUT_PAGE, b'{"url": "https://example.com/big", "html": "' + b"x" * TWENTY_MB + b'"}',
               413, "too_large"), id="PUT /pages 20 MB of html"),
    param(Case(*PATCH_HIGHLIGHT, b'{"note": "' + b"x" * TWENTY_MB + b'"}', 413, "too_large"),
          id="PATCH /highlights 20 MB note"),
])
def test_real_20_mb_body_over_the_default_16_mib_limit_is_413(stored, case):
    answer = check_refused(stored, case)
    assert "16 MiB" in answer.json["error"]["message"]


# --- gzip bodies --------------------------------------------------------------------------------

def _gzip_bomb(expanded: int) -> bytes:
    """A valid gzip body of {"url", "html"} whose html is `expanded` bytes of one letter."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [compressor.compress(b'{"url": "https://example.com/bomb", "html": "')]
    chunk = b"a" * MIB
    for _ in range(expanded // MIB):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.compress(b'"}') + compressor.flush())
    return b"".join(parts)


GOOD_GZIP = gzip.compress(json.dumps(VALID_BODIES[PUT_PAGE]).encode())


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


GZIP_HEADERS = {"Content-Encoding": "gzip"}

GZIP_CASES = [
    *[param(Case(*PUT_PAGE, data, 400, "bad_gzip", headers=GZIP_HEADERS), id=f"gzip {name}")
      for name, data in {
          "that is not gzip": b'{"url": "https://example.com/x"}',
          "random bytes": random.Random(1).randbytes(200),
          "header then garbage": GOOD_GZIP[:10] + b"garbage garbage garbage",
          "a flipped byte in the data": _flip(GOOD_GZIP, 20),
          "a wrong CRC": _flip(GOOD_GZIP, len(GOOD_GZIP) - 6),
          "a wrong length": _flip(GOOD_GZIP, len(GOOD_GZIP) - 2),
          "truncated: no trailer": GOOD_GZIP[:-8],
          "truncated: half": GOOD_GZIP[: len(GOOD_GZIP) // 2],
          "truncated: header only": GOOD_GZIP[:10],
          "truncated: one byte": GOOD_GZIP[:1],
          "empty": b"",
      }.items()],
    param(Case(*PUT_PAGE, GOOD_GZIP + b"trailing garbage", 400, "bad_gzip", headers=GZIP_HEADERS),
          id="gzip followed by garbage"),
    param(Case(*PATCH_HIGHLIGHT, gzip.compress(b'{"note": "x",}'), 400, "invalid_json", headers=GZIP_HEADERS),
          id="gzip of malformed JSON"),
    param(Case(*PATCH_HIGHLIGHT, gzip.compress(b'{"note": "caf\xe9"}'), 400, "invalid_json",
               headers=GZIP_HEADERS), id="gzip of invalid UTF-8"),
    param(Case(*PATCH_HIGHLIGHT, {"note": "a\x00b"}, 422, "invalid", field="note", gzip=True),
          id="gzip of a NUL in a note"),
    param(Case(*PATCH_HIGHLIGHT, {"note": "x"}, 415, "unsupported_media_type", gzip=True,
               content_type="text/plain"), id="gzip of JSON sent as text/plain"),
    *[param(Case(*endpoint, gzip.compress(json.dumps(VALID_BODIES[endpoint]).encode()), 415,
                 "unsupported_encoding", headers={"Content-Encoding": encoding}),
            id=f"{' '.join(endpoint)} Content-Encoding: {encoding}")
      for endpoint, encoding, _ in in_turn(dict.fromkeys(("br", "deflate", "compress", "zstd", "gzip, br")))],
    param(Case(*PUT_PAGE, _gzip_bomb(64 * MIB), 413, "too_large", headers=GZIP_HEADERS),
          id="gzip bomb: 64 MiB of html in 64 KB"),
]


@pytest.mark.parametrize("case", GZIP_CASES)
def test_bad_gzip_bodies(stored, case):
    check_refused(stored, case)


def test_gzip_bomb_is_small_on_the_wire():
    bomb = _gzip_bomb(64 * MIB)
    assert len(bomb) < 100 * 1024 and len(gzip.decompress(bomb)) > 64 * MIB


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=[" ".join(e) for e in WRITE_ENDPOINTS])
def test_valid_gzip_bodies_are_accepted(stored, endpoint):
    answer = send(stored.api, Case(*endpoint, VALID_BODIES[endpoint], gzip=True), stored.ids())
    assert answer.status_code in (200, 201), answer.json
    if endpoint == PUT_PAGE:
        assert stored.api.get(f"/pages/{answer.json['id']}/snapshot").json["text"] == "A new page."
    if endpoint == PATCH_HIGHLIGHT:
        assert stored.api.get(f"/highlights/{H1}").json["note"] == "changed"


def test_multi_member_gzip_body_is_decoded_whole(stored):
    raw = json.dumps({"url": NEW_URL, "title": "Two members"}).encode()
    body = gzip.compress(raw[:10]) + gzip.compress(raw[10:])
    assert gzip.decompress(body) == raw

    answer = stored.api.client.put("/api/v1/pages", data=body, content_type="application/json",
                                   headers={**stored.api.headers, **GZIP_HEADERS})

    assert answer.status_code == 201, answer.json
    assert answer.json["title"] == "Two members"


# --- bad query parameters: 422 naming the parameter --------------------------------------------------

class Cursor(str):
    """A cursor as the server would encode it (base64url of JSON), with what it holds for test ids."""

    def __new__(cls, value):
        cursor = super().__new__(cls, base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("="))
        cursor.holds = json.dumps(value)
        return cursor


cursor_of = Cursor


LATER = "2026-01-01T00:00:00+00:00"

BAD_QUERIES = {
    "/pages": [
        ("limit", "0"), ("limit", "501"), ("limit", "100000"), ("limit", "abc"),
        ("cursor", "not a cursor!"), ("cursor", base64.urlsafe_b64encode(b"hello").decode()),
        ("cursor", cursor_of({"a": 1})), ("cursor", cursor_of([1, "a"])), ("cursor", cursor_of(["yesterday", 1])),
        ("cursor", cursor_of([LATER, True])),
        ("q", ""), ("q", "x" * 501), ("tag", "x" * 101), ("domain", "x" * 256),
        ("q", "a\x00b"), ("tag", "\x00"), ("domain", "example\x00.com"),
    ],
    "/highlights": [
        ("limit", "0"), ("limit", "1001"), ("limit", "100000"), ("limit", "abc"),
        ("cursor", "not a cursor!"), ("cursor", "x" * 201), ("cursor", cursor_of([])), ("cursor", cursor_of(["1"])),
        ("cursor", cursor_of([1.5])), ("cursor", cursor_of([True])),
        ("updated_after", "yesterday"), ("updated_after", "2026-13-01"), ("updated_after", "2026-01-01T25:00:00Z"),
        ("updated_after", ""), ("color", "red"), ("page", "abc"), ("url", "javascript:x"),
        ("q", ""), ("tag", "x" * 101), ("q", "a\x00b"), ("tag", "\x00"),
    ],
}

# Numbers beyond what the database holds, timestamps without a zone or at the calendar's edge.
OUT_OF_RANGE_QUERIES = [
    ("/highlights", "page", str(2**63)),
    ("/highlights", "page", str(2**31)),
    ("/highlights", "cursor", cursor_of([2**63])),
    ("/pages", "cursor", cursor_of([LATER, 2**63])),
    ("/pages", "cursor", cursor_of([LATER, 2**31])),
    ("/pages", "cursor", cursor_of(["2026-01-01T00:00:00", 1])),
    ("/pages", "cursor", cursor_of(["0001-01-01T00:00:00+01:00", 1])),
    ("/highlights", "updated_after", "0001-01-01T00:00:00+01:00"),
    ("/highlights", "updated_after", "9999-12-31T23:59:59-01:00"),
]


@pytest.mark.parametrize("case", [
    param(Case("GET", path, query={name: value}, field=name), id=f"GET {path}?{name}={_short(value)}")
    for path, rows in BAD_QUERIES.items() for name, value in rows
] + [
    param(Case("GET", path, query={name: value}, field=name), id=f"GET {path}?{name}={_short(value)}")
    for path, name, value in OUT_OF_RANGE_QUERIES
])
def test_bad_query_parameters_are_422_naming_the_parameter(stored, case):
    check_refused(stored, case)


# --- odd but valid timestamps --------------------------------------------------------------------

@pytest.mark.parametrize("created_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_created_at_at_the_edge_of_the_calendar_is_refused_not_500(stored, created_at):
    check_refused(stored, Case("PUT", "/highlights/{new}", altered(PUT_HIGHLIGHT, "created_at", created_at),
                               field="created_at"))


def test_created_at_in_year_1_is_refused_or_returned_as_rfc_3339(stored):
    answer = stored.api.put(f"/highlights/{uuid.uuid4()}",
                            altered(PUT_HIGHLIGHT, "created_at", "0001-01-01T00:00:00Z"))
    assert answer.status_code in (201, 422), answer.json
    if answer.status_code == 201:
        assert answer.json["created_at"] == "0001-01-01T00:00:00.000000Z"
