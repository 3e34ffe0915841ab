"""Bad input on every route, the routes taken from the app's URL map: a clear 4xx, nothing changed, still serving.

tests/api/test_bad_input.py goes deep on the API's JSON writes (every field,
every wrong type, every way JSON breaks). This sweep goes wide: every route
of the app, API and web view, reads and writes, import, export and static
files, gets the same hostile requests, each where the route takes that kind
of input: bytes that are not UTF-8 and NUL characters in the path, the query
and the body; a megabyte where a name or a note goes, a 100,000-character
tag; malformed JSON, JSON of the wrong shape, a form that cannot be read,
the wrong Content-Type; gzip that is not gzip, or cut short; a body over the
size limit (a small one, configured, so it is quick). A route added without
an entry in ROUTES fails ``test_every_route_is_swept``.

Each hostile request must get a 4xx that says what is wrong (the API's JSON
error with a message; the web view's page with the message in a
``role="alert"`` element), leave every row of every table as it was, and
leave the server serving (the write that follows succeeds).

Then garbage in the queries that page, filter and pick (cursors, offsets,
ids out of range), JSON imports the parser cannot hold, and forms that ask
to be sent back somewhere odd. Some requests go to the real server under
gunicorn, which reads the request line, the headers and chunked bodies
before the app does.
"""

import gzip
import http.client
import io
import json
import re
import socket
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.db import db
from server.models import User
from server.services import connect_codes, highlights, restore, tokens
from server.web.page_view import _undo_signer
from tests.api.test_bad_input import H1, VALID_BODIES, Stored, _quick_password_hashes, assert_error  # noqa: F401
from tests.import_jobs import finished, followed
from tests.live_server import LiveServer
from tests.paths import REPO
from tests.pdf_files import text_pdf, upload_pdf

MB = 1_000_000
SMALL_LIMIT = 64 * 1024
KINDLE = (REPO / "tests/fixtures/imports/kindle/english.txt").read_bytes()
PDF = text_pdf(["A page to keep.", "And another."])
PDF_URL = "https://papers.example/sweep.pdf"
BAD = "@BAD@"  # where a hostile value goes into an encoded body


@dataclass(frozen=True)
class Route:
    """How to call one route well; the sweep then calls it badly.

    ``path`` (and a form's or JSON body's fields) have placeholders for Ann's rows: {page} {highlight} {tag} {token};
    {code}, a connect code of hers;
    {kept}, the signed copy the web view's Undo form carries; {pdf_page}, the page of her stored PDF; and
    files, {stylesheet} {module} {viewer}.
    ``body``: "json"; "form" (urlencoded, with the CSRF token); "upload" (a
    multipart form with a file); "file" (the body is the file itself); "pdf" (the body is a PDF).
    ``text`` names the field, in the query or the body, that takes free text.
    """

    path: str
    query: dict = field(default_factory=dict)
    body: str = ""
    fields: dict = field(default_factory=dict)
    text: str = ""
    takes_input: bool = True


def api_write(method: str, path: str, text: str) -> Route:
    """An API write, starting from test_bad_input's valid body."""
    return Route("/api/v1" + path, body="json", fields=VALID_BODIES[method, path], text=text)


PASSWORD = "correct horse battery"  # the conftest's people have it
EDIT = {"note": "a fine note", "color": "pink", "tags": "one, two"}

ROUTES = {
    # The API, with Ann's token.
    ("api-docs.openapi_json", "GET"): Route("/api/v1/openapi.json", takes_input=False),
    ("me.me", "GET"): Route("/api/v1/me"),
    ("pages.upsert_page", "PUT"): api_write("PUT", "/pages", "title"),
    ("pages.list_pages", "GET"): Route("/api/v1/pages", query={"q": "notes"}, text="q"),
    ("pages.get_page", "GET"): Route("/api/v1/pages/{page}"),
    ("pages.patch_page", "PATCH"): api_write("PATCH", "/pages/{page}", "title"),
    ("pages.delete_page", "DELETE"): Route("/api/v1/pages/{page}"),
    ("pages.get_snapshot", "GET"): Route("/api/v1/pages/{page}/snapshot"),
    ("highlights.put_highlight", "PUT"): api_write("PUT", "/highlights/{highlight}", "note"),
    ("highlights.get_highlight", "GET"): Route("/api/v1/highlights/{highlight}"),
    ("highlights.patch_highlight", "PATCH"): api_write("PATCH", "/highlights/{highlight}", "note"),
    ("highlights.delete_highlight", "DELETE"): Route("/api/v1/highlights/{highlight}"),
    ("highlights.feed", "GET"): Route("/api/v1/highlights", query={"q": "notes"}, text="q"),
    ("tags.list_tags", "GET"): Route("/api/v1/tags"),
    ("tags.rename_tag", "PATCH"): api_write("PATCH", "/tags/{tag}", "name"),
    ("export_import.export", "GET"): Route("/api/v1/export", query={"format": "json", "q": "notes"}, text="q"),
    ("export_import.import_file", "POST"): Route("/api/v1/import", query={"format": "kindle"}, body="file",
                                                 fields={"file": KINDLE}, text="format"),
    ("export_import.import_status", "GET"): Route("/api/v1/imports/{job}"),
    ("pdfs.upload_pdf", "POST"): Route("/api/v1/pdfs", query={"url": PDF_URL}, body="pdf", fields={"file": PDF},
                                       text="url"),
    ("pdfs.find_pdfs", "GET"): Route("/api/v1/pdfs", query={"fingerprint": "notes"}, text="fingerprint"),
    ("pdfs.get_pdf", "GET"): Route("/api/v1/pdfs/{pdf}"),
    ("pdfs.download_pdf", "GET"): Route("/api/v1/pdfs/{pdf}/file"),
    ("connect.connect", "POST"): Route("/api/v1/connect", body="json", fields={"code": "{code}", "browser": "Chrome"},
                                       text="code"),
    # The web view, signed in as Ann; and the load balancers' probe.
    ("health.healthz", "GET"): Route("/healthz"),
    ("static", "GET"): Route("/static/{stylesheet}"),
    ("web.shared_module", "GET"): Route("/static/shared/{module}"),
    ("web.pdf_static", "GET"): Route("/static/pdf/{viewer}"),
    ("web.pdf_page", "GET"): Route("/pages/{pdf_page}/pdf"),
    ("web.pdf_file", "GET"): Route("/pages/{pdf_page}/pdf/file"),
    ("web.login", "GET"): Route("/login", query={"next": "/tags"}),
    ("web.login", "POST"): Route("/login", body="form", fields={"username": "ann", "password": PASSWORD},
                                 text="username"),
    ("web.logout", "POST"): Route("/logout", body="form"),
    ("web.library", "GET"): Route("/", query={"tag": "ai"}, text="tag"),
    ("web.page", "GET"): Route("/pages/{page}", query={"view": "readable"}),
    ("web.choose_images", "POST"): Route("/pages/{page}/images", body="form", fields={"load": "1"}, text="load"),
    ("web.new_highlight", "POST"): Route("/pages/{page}/highlights", body="form", text="note",
                                         fields={"exact": "the keeper", "prefix": "", "suffix": "", **EDIT}),
    ("web.edit_highlight", "POST"): Route("/highlights/{highlight}/edit", body="form", fields=EDIT, text="note"),
    ("web.delete_highlight", "POST"): Route("/highlights/{highlight}/delete", body="form"),
    ("web.attach_highlight", "POST"): Route("/highlights/{highlight}/attach", body="form",
                                            fields={"exact": "the keeper", "prefix": "", "suffix": ""}, text="exact"),
    ("web.restore_highlight", "POST"): Route("/highlights/{highlight}/restore", body="form",
                                             fields={"kept": "{kept}"}, text="kept"),
    ("web.review_day", "GET"): Route("/review"),
    ("web.review_next", "POST"): Route("/review/{highlight}/next", body="form"),
    ("web.favorite", "POST"): Route("/highlights/{highlight}/favorite", body="form", fields={"favorite": "1"},
                                    text="favorite"),
    ("web.search_view", "GET"): Route("/search", query={"q": "notes"}, text="q"),
    ("web.settings", "GET"): Route("/settings"),
    ("web.create_token", "POST"): Route("/settings/tokens", body="form", fields={"name": "laptop"}, text="name"),
    ("web.change_password", "POST"): Route("/settings/password", body="form", text="new",
                                           fields={"current": "{password}", "new": "{password}", "again": "{password}"}),
    ("web.revoke_token", "POST"): Route("/settings/tokens/{token}/revoke", body="form"),
    ("web.make_connect_code", "POST"): Route("/settings/connect", body="form"),
    ("web.connect_page", "GET"): Route("/connect"),
    ("web.tag_list", "GET"): Route("/tags"),
    ("web.tag", "GET"): Route("/tags/{tag}"),
    ("web.rename_tag", "POST"): Route("/tags/{tag}/rename", body="form", fields={"name": "renamed"}, text="name"),
    ("transfer.export", "GET"): Route("/export", query={"format": "json", "q": "notes"}, text="q"),
    ("transfer.import_form", "GET"): Route("/import"),
    ("transfer.import_form", "POST"): Route("/import", body="upload", fields={"format": "kindle"}, text="format"),
    ("transfer.import_progress", "GET"): Route("/imports/{job}"),
    ("transfer.import_status", "GET"): Route("/imports/{job}/status"),
    # The Readwise-compatible API, with Ann's token; {hid} is her highlight's integer id.
    ("readwise-api-docs.openapi_json", "GET"): Route("/api/v2/openapi.json", takes_input=False),
    ("readwise.check_token", "GET"): Route("/api/v2/auth/"),
    ("readwise.push_highlights", "POST"): Route("/api/v2/highlights/", body="json", text="highlights", fields={
        "highlights": [{"text": "pushed", "title": "A Book", "author": "Someone", "location": 3, "note": "n"}]}),
    ("readwise.list_highlights", "GET"): Route("/api/v2/highlights/", query={"page_size": "10"}),
    ("readwise.get_highlight", "GET"): Route("/api/v2/highlights/{hid}/"),
    ("readwise.update_highlight", "PATCH"): Route("/api/v2/highlights/{hid}/", body="json",
                                                  fields={"note": "changed", "color": "pink"}, text="note"),
    ("readwise.delete_highlight", "DELETE"): Route("/api/v2/highlights/{hid}/"),
    ("readwise.list_highlight_tags", "GET"): Route("/api/v2/highlights/{hid}/tags/"),
    ("readwise.add_highlight_tag", "POST"): Route("/api/v2/highlights/{hid}/tags/", body="json",
                                                  fields={"name": "new"}, text="name"),
    ("readwise.remove_highlight_tag", "DELETE"): Route("/api/v2/highlights/{hid}/tags/{tag}/"),
    ("readwise.list_books", "GET"): Route("/api/v2/books/", query={"category": "articles"}),
    ("readwise.get_book", "GET"): Route("/api/v2/books/{page}/"),
    ("readwise.export", "GET"): Route("/api/v2/export/", query={"updatedAfter": "2000-01-01T00:00:00Z"}),
}
#: routes swept by tests of their own: the MCP endpoint speaks JSON-RPC (tests/mcp/test_http.py)
SWEPT_ELSEWHERE = {("mcp.endpoint", method) for method in ("GET", "POST", "DELETE")}


def test_every_route_is_swept(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - set(ROUTES) - SWEPT_ELSEWHERE == set(), "routes the sweep does not know how to call: add them to ROUTES"
    assert set(ROUTES) - routes == set(), "ROUTES names routes the app no longer has"


# --- the hostile requests ----------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: str = ""  # percent-encoded, as sent
    body: bytes | None = None
    content_type: str | None = None
    headers: dict = field(default_factory=dict)
    small: bool = False  # to the app whose body limit is SMALL_LIMIT


def good_call(route: Route, method: str, ids: dict, csrf: str, text: str | None = None) -> Call:
    """The route called well; with ``text`` where its free text goes, if given."""
    query = dict(route.query)
    fields = {name: value.format(**ids) if isinstance(value, str) else value for name, value in route.fields.items()} \
        if route.body in ("form", "json") else dict(route.fields)
    for values in (query, fields):
        if text is not None and route.text in values:
            values[route.text] = text
    body, content_type = None, None
    if route.body == "json":
        body, content_type = json.dumps(fields).encode(), "application/json"
    elif route.body == "form":
        body = urlencode({**fields, "csrf_token": csrf}, safe="@").encode()
        content_type = "application/x-www-form-urlencoded"
    elif route.body == "upload":
        boundary, body = encode_multipart({**fields, "csrf_token": csrf, "file": FileStorage(
            io.BytesIO(KINDLE), filename="clippings.txt")}, boundary="sweep")
        content_type = f"multipart/form-data; boundary={boundary}"
    elif route.body == "file":
        body, content_type = fields["file"], "text/plain"
    elif route.body == "pdf":
        body, content_type = fields["file"], "application/pdf"
    return Call(method, route.path.format(**ids), urlencode(query, safe="@"), body, content_type)


#: Free text that cannot be kept, spelled for a URL or urlencoded form, for JSON, and raw (in a multipart form).
TEXTS = {
    "bytes that are not UTF-8": {"url": b"caf%E9", "json": b"caf\xe9", "raw": b"caf\xe9"},
    "a NUL": {"url": b"a%00b", "json": b"a\\u0000b", "raw": b"a\x00b"},
    "1 MB": {"url": b"x" * MB, "json": b"x" * MB, "raw": b"x" * MB},
}
SPELLING = {"json": "json", "form": "url", "upload": "raw"}


@dataclass
class Hostile:
    """Ways to spoil a route's good call."""

    route: Route
    good: Call
    marked: Call  # the good call with BAD where the free text goes
    ids: dict

    def path_id(self, wire: str) -> Call | None:
        """The first id in the path replaced."""
        slot = re.search(r"\{\w+\}", self.route.path)
        return slot and replace(self.good, path=self.route.path.replace(slot.group(0), wire, 1).format(**self.ids))

    def query(self, wire: str) -> Call:
        """In the route's text parameter, or a parameter of its own."""
        if self.route.text in self.route.query:
            return replace(self.good, query=self.marked.query.replace(BAD, wire))
        return replace(self.good, query=f"{self.good.query}&extra={wire}".lstrip("&"))

    def text(self, spelled: bytes) -> Call | None:
        """In the body's text field, or (a urlencoded form) a field of its own."""
        if self.route.text in self.route.fields:
            return replace(self.good, body=self.marked.body.replace(BAD.encode(), spelled))
        return replace(self.good, body=self.good.body + b"&extra=" + spelled) if self.route.body == "form" else None

    def file(self, content: bytes) -> Call:
        return replace(self.good, body=self.good.body.replace(KINDLE, content))

    def sent(self, body: bytes, content_type: str | None = None, **headers) -> Call:
        return replace(self.good, body=body, content_type=content_type or self.good.content_type, headers=headers)


def hostile_calls(route: Route, method: str, ids: dict, csrf: str) -> dict[str, Call]:
    """Every hostile request that fits the route, by what it is."""
    if not route.takes_input:
        return {}
    spoil = Hostile(route, good_call(route, method, ids, csrf), good_call(route, method, ids, csrf, BAD), ids)
    calls = {}
    for kind, spelled in TEXTS.items():
        if kind != "1 MB" and "{" in route.path:
            calls[f"{kind} in the path"] = spoil.path_id(spelled["url"].decode())
        # Not UTF-8, the address is refused whatever it names; a NUL or 1 MB only where the route reads it.
        if kind == "bytes that are not UTF-8" or route.text in route.query:
            calls[f"{kind} in the query"] = spoil.query(spelled["url"].decode())
        if route.body in SPELLING and (kind != "1 MB" or route.text in route.fields):
            calls[f"{kind} in the body"] = spoil.text(spelled[SPELLING[route.body]])
    if re.search(r"\{(page|pdf_page|tag|token|job)\}", route.path):
        calls["an id no row can have"] = spoil.path_id("99999999999999999999")
    if re.search(r"\{(stylesheet|module|viewer)\}", route.path):
        calls["a path out of the folder"] = spoil.path_id("..%2F..%2Fconfig.py")
    if route.body == "json":
        calls["malformed JSON"] = spoil.sent(spoil.good.body[:-1] + b",}")
        calls["JSON that is not an object"] = spoil.sent(b"[]")
        calls["a number where text goes"] = spoil.sent(spoil.marked.body.replace(f'"{BAD}"'.encode(), b"42"))
        calls["not sent as JSON"] = spoil.sent(spoil.good.body, "text/plain")
    if route.body == "form":
        calls["JSON instead of a form"] = spoil.sent(b'{"note": "x"}', "application/json")
        calls["a form that cannot be read"] = spoil.sent(b"--zz\r\ngarbage", "multipart/form-data; boundary=zz")
    if "tags" in route.fields:
        tag = b"t" * 100_000
        calls["a 100,000-character tag"] = spoil.sent(
            spoil.good.body.replace(b'"tags": [', b'"tags": ["' + tag + b'", ') if route.body == "json"
            else re.sub(rb"tags=[^&]*", b"tags=" + tag, spoil.good.body))
    if route.body in ("file", "upload"):
        calls["a file of bytes that are not UTF-8"] = spoil.file(b"caf\xe9\xff" * 100)
        calls["a file with NUL bytes"] = spoil.file(KINDLE.replace(b"war", b"w\x00r"))
    if route.body == "pdf":
        calls["a file that is not a PDF"] = spoil.sent(b"<html>not a PDF</html>")
        calls["not sent as a PDF"] = spoil.sent(spoil.good.body, "application/octet-stream")
    if route.body:
        over = b"x" * 2 * SMALL_LIMIT
        calls["a body over the size limit"] = replace(
            spoil.file(KINDLE * (len(over) // len(KINDLE) + 1)) if route.body in ("file", "upload")
            else spoil.sent(PDF + b" " * len(over)) if route.body == "pdf"  # still a PDF: the limit refuses it
            else spoil.text(over), small=True)
        calls["gzip that is not gzip"] = spoil.sent(spoil.good.body, **{"Content-Encoding": "gzip"})
        calls["gzip cut short"] = spoil.sent(gzip.compress(spoil.good.body)[:-9], **{"Content-Encoding": "gzip"})
    return {name: call for name, call in calls.items() if call is not None}


# --- sending them, and what must follow ------------------------------------------------------------

def stored_rows(in_db) -> dict[str, list]:
    """Every row of every table; but when a token was last used, which every API call records."""
    def read(session):
        return {table.name: sorted(map(repr, session.execute(
            select(*(column for column in table.columns if column.name != "last_used_at")))))
            for table in db.metadata.sorted_tables}
    return in_db(read)


def refusal_problem(answer, api: bool) -> str | None:
    """What is wrong with the answer to a hostile request, if anything."""
    if not 400 <= answer.status_code < 500:
        return f"answered {answer.status_code}: {answer.data[:300]!r}"
    if api and answer.request.path.startswith("/api/v2/") and "error" not in (answer.json or {}):
        return readwise_error_problem(answer)
    if api:
        try:
            assert_error(answer, answer.status_code)
        except AssertionError as error:
            return f"not a clear JSON error: {error}"
        return None
    alert = re.search(r'role="alert"[^>]*>([^<]{20,})<', answer.text)
    if answer.mimetype != "text/html" or alert is None:
        return f"{answer.status_code} without a page saying what is wrong: {answer.data[:300]!r}"
    return None


def readwise_error_problem(answer) -> str | None:
    """/api/v2 answers as Readwise does: {"detail": "..."}, or messages by field (400)."""
    body = answer.json if answer.mimetype == "application/json" else None
    if isinstance(body, dict) and isinstance(body.get("detail"), str) and len(body["detail"]) >= 20:
        return None
    if answer.status_code == 400 and isinstance(body, dict) and body and "detail" not in body:
        return None
    return f"not a clear Readwise-style error: {answer.data[:300]!r}"


@pytest.fixture(scope="module")
def small_app(make_app):
    return make_app(MAX_CONTENT_LENGTH=SMALL_LIMIT, MARGINS_MAX_PDF_BYTES=SMALL_LIMIT)


@pytest.fixture
def ids(app, ann, in_db) -> dict:
    """Ann's page (with a snapshot), highlight and tag; a second token of hers (the revoke form's);
    the Undo form's signed copy of her highlight; and a connect code of hers."""
    stored = Stored(ann, in_db)

    def more(session):
        row, _ = tokens.create_token(session, session.get(User, ann.id), "second")
        session.commit()
        with app.test_request_context():
            return row.id, _undo_signer().dumps(restore.keepsake(highlights.get_highlight(session, ann.id, H1)))
    token, kept = in_db(more)
    hid = in_db(lambda session: highlights.get_highlight(session, ann.id, H1).id)
    pdf = upload_pdf(ann.api, PDF, PDF_URL).json  # the upload sweep then sends a file she has

    def connect_code(session):
        _, code = connect_codes.make_code(session, session.get(User, ann.id))
        session.commit()
        return code
    code = in_db(connect_code)
    job = finished(ann.api.client, ann.api.client.post("/api/v1/import?format=kindle", headers=ann.api.headers,
                                                       data=KINDLE), ann.api.headers)
    return {"page": stored.page_id, "highlight": H1, "hid": hid, "tag": stored.tag_id, "token": token, "kept": kept,
            "pdf": pdf["id"], "pdf_page": pdf["page_id"], "job": job["id"], "password": ann.password,
            "stylesheet": "margins.css", "module": "anchoring.js", "viewer": "viewer.css", "code": code}


def signed_in(client, person) -> str:
    """Sign the client in; its CSRF token."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"username": person.username, "password": person.password,
                                       "csrf_token": token}).status_code == 302
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings").text).group(1)


def send(clients: dict, call: Call, person):
    api = call.path.startswith("/api/")
    return clients[call.small].open(
        call.path, method=call.method, query_string=call.query, data=call.body, content_type=call.content_type,
        headers={**(person.api.headers if api else {}), **call.headers})


@pytest.fixture
def clients(app, small_app, ann) -> dict:
    """Test clients of the app (False) and of the small-limit app (True), signed in as Ann; and the CSRF token."""
    made = {False: app.test_client(), True: small_app.test_client()}
    csrf = signed_in(made[False], ann)
    signed_in(made[True], ann)  # the same secret key: one CSRF token serves both
    return {**made, "csrf": csrf}


@pytest.mark.parametrize("route", sorted(ROUTES), ids=" ".join)
def test_the_good_calls_the_sweep_spoils_are_accepted(route, clients, ann, ids):
    answer = send(clients, good_call(ROUTES[route], route[1], ids, clients["csrf"]), ann)
    assert 200 <= answer.status_code < 400, answer.data[:500]
    if answer.status_code == 202:  # an import: done before the test ends and the tables are emptied
        assert finished(clients[False], answer, ann.api.headers)["state"] == "done"
    elif re.fullmatch(r"/imports/\d+", answer.headers.get("Location", "")):
        assert followed(clients[False], answer.headers["Location"] + "/status")["state"] == "done"


@pytest.mark.parametrize("route", sorted(ROUTES), ids=" ".join)
def test_every_route_refuses_bad_input_and_keeps_what_is_stored(route, clients, ann, ids, in_db):
    problems = []
    for name, call in hostile_calls(ROUTES[route], route[1], ids, clients["csrf"]).items():
        before = stored_rows(in_db)
        if problem := refusal_problem(send(clients, call, ann), api=call.path.startswith("/api/")):
            problems.append(f"{name}: {problem}")
        if stored_rows(in_db) != before:
            problems.append(f"{name}: the stored data changed")
        still = ann.api.patch(f"/highlights/{H1}", {"note": f"after {name}"})
        assert still.status_code == 200, (name, still.json)
    assert not problems, "\n".join(problems)


# --- garbage in the query of the routes that page, filter and pick -------------------------------

BIG = "99999999999999999999"
#: (route, query, what it must answer): refused, or, for a page offset, treated as the nearest one there is.
GARBAGE_QUERIES = [
    (("web.library", "GET"), {"cursor": "not-a-cursor"}, 422),
    (("web.library", "GET"), {"cursor": "eyJhIjogMX0"}, 422),  # base64 of {"a": 1}
    (("web.search_view", "GET"), {"q": "notes", "offset": BIG}, 200),
    (("web.search_view", "GET"), {"q": "notes", "offset": "-3"}, 200),
    (("web.search_view", "GET"), {"q": "notes", "offset": "many"}, 200),
    (("transfer.export", "GET"), {"format": "json", "page": BIG}, 422),
    (("transfer.export", "GET"), {"format": "json", "page": "-1"}, 422),
    (("transfer.export", "GET"), {"format": "json", "page": "\u00b2"}, 422),  # a digit int() refuses
    (("transfer.export", "GET"), {"format": "docx"}, 422),
    (("transfer.export", "GET"), {"format": "csv", "color": "red"}, 422),
    (("export_import.export", "GET"), {"format": "json", "page": BIG}, 422),
    (("export_import.export", "GET"), {"format": "json", "page": "-1"}, 422),
    (("pages.list_pages", "GET"), {"limit": BIG}, 422),
    (("highlights.feed", "GET"), {"cursor": "not-a-cursor", "limit": "-1"}, 422),
]


@pytest.mark.parametrize("route, query, status", GARBAGE_QUERIES,
                         ids=[f"{' '.join(route)} {query}" for route, query, _ in GARBAGE_QUERIES])
def test_garbage_in_a_query_is_refused_or_harmless(route, query, status, clients, ann, ids, in_db):
    call = replace(good_call(ROUTES[route], route[1], ids, clients["csrf"]), query=urlencode(query))
    before = stored_rows(in_db)

    answer = send(clients, call, ann)

    assert answer.status_code == status, answer.data[:300]
    if status >= 400:
        assert refusal_problem(answer, api=call.path.startswith("/api/")) is None
    assert stored_rows(in_db) == before


@pytest.mark.parametrize("format_name", ["margins", "readwise-json", "glasp", "hypothesis"])
@pytest.mark.parametrize("content", [b'{"pages": [' + b"7" * 5000 + b"]}", b"[" * 100_000 + b"]" * 100_000],
                         ids=["a number of 5000 digits", "nesting 100,000 deep"])
def test_json_an_import_cannot_read_is_refused_with_what_is_wrong(format_name, content, ann, in_db):
    before = stored_rows(in_db)

    answer = ann.api.client.post(f"/api/v1/import?format={format_name}", data=content, headers=ann.api.headers)

    assert answer.status_code == 422 and "JSON" in answer.json["error"]["message"], answer.json
    assert stored_rows(in_db) == before


@pytest.mark.parametrize("next_page", ["/\r\nSet-Cookie: x=1", "/\x7f", "//elsewhere.example"])
def test_a_form_sent_back_to_a_place_that_is_not_a_local_page_goes_home(next_page, clients, ann, ids):
    answer = clients[False].post(f"/highlights/{H1}/favorite",
                                 data={"favorite": "1", "next": next_page, "csrf_token": clients["csrf"]})

    assert answer.status_code == 302 and answer.headers["Location"] == "/review"


def test_signing_in_with_a_next_that_has_a_line_break_goes_home(client, ann):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    answer = client.post("/login?next=/%0D%0ASet-Cookie:%20x=1", data={
        "username": ann.username, "password": ann.password, "csrf_token": token})

    assert answer.status_code == 302 and answer.headers["Location"] == "/"


# --- over real HTTP, to gunicorn -------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(database_url, app):
    # ``app`` first: it has brought the database up to date.
    with LiveServer(database_url, workers=1, threads=2,
                    env={"MARGINS_RATELIMIT_WRITES": "1000000 per minute"}) as live:
        yield live


def exchange(server: LiveServer, sent: bytes) -> http.client.HTTPResponse:
    """Send the bytes as they are (no HTTP client would send some of these) and read the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(sent)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        answer.body = answer.read()
    return answer


def request(method: str, target: bytes, token: str, body: bytes = b"", **headers) -> bytes:
    lines = [f"{method} ".encode() + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close",
             f"Authorization: Bearer {token}".encode(),
             *(f"{name.replace('_', '-')}: ".encode() + value.encode("latin-1") for name, value in headers.items())]
    if body and "Transfer_Encoding" not in headers:
        lines.append(f"Content-Length: {len(body)}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chunked(body: bytes, size: bytes | None = None) -> bytes:
    return (size or b"%x" % len(body)) + b"\r\n" + body + b"\r\n0\r\n\r\n"


PATCH_H1 = b"/api/v1/highlights/" + H1.encode()
NOTE = b'{"note": "sent over HTTP"}'

#: What is sent (made for a token), the status it must get, and who answers: gunicorn itself, the API, the web view.
OVER_HTTP = {
    "bytes that are not UTF-8 in the request line": (
        lambda token: request("GET", b"/api/v1/me\xe9", token), 400, "gunicorn"),
    "a NUL in the request line": (lambda token: request("GET", b"/api/v1/me\x00", token), 400, "gunicorn"),
    "bytes that are not UTF-8 in the query": (
        lambda token: request("GET", b"/api/v1/pages?q=caf%E9", token), 400, "api"),
    # deploy/gunicorn.conf.py (bin/serve's settings) lifts gunicorn's limit on the request line (a
    # page's URL goes in the query; nginx bounds it in front), so the API refuses the long query itself.
    "a request line of 10,000 bytes": (
        lambda token: request("GET", b"/api/v1/pages?q=" + b"x" * 10_000, token), 422, "api"),
    "a header of 20,000 bytes": (
        lambda token: request("GET", b"/api/v1/me", token, X_Padding="x" * 20_000), 431, "gunicorn"),
    "a NUL in a header": (lambda token: request("GET", b"/api/v1/me", token, X_Note="a\x00b"), 400, "gunicorn"),
    "a chunked body with a broken chunk size": (
        lambda token: request("PATCH", PATCH_H1, token, chunked(NOTE, b"ZZ"), Content_Type="application/json",
                              Transfer_Encoding="chunked"), 400, "api"),
    "a chunked import of 20 MB, over the 16 MiB limit": (
        lambda token: request("POST", b"/api/v1/import?format=kindle", token,
                              chunked(KINDLE * (20 * MB // len(KINDLE) + 1)),
                              Content_Type="text/plain", Transfer_Encoding="chunked"), 413, "api"),
    "gzip cut short": (
        lambda token: request("PATCH", PATCH_H1, token, gzip.compress(NOTE)[:-9], Content_Type="application/json",
                              Content_Encoding="gzip"), 400, "api"),
    "a web form with bytes that are not UTF-8": (
        lambda token: request("POST", b"/login", token, b"username=caf%E9&password=x",
                              Content_Type="application/x-www-form-urlencoded"), 400, "web"),
}


@pytest.mark.parametrize("name", OVER_HTTP)
def test_over_http_gunicorn_and_the_app_refuse_bad_requests(name, server, ann, in_db):
    Stored(ann, in_db)
    make, status, answerer = OVER_HTTP[name]
    before = stored_rows(in_db)

    answer = exchange(server, make(ann.token))

    assert answer.status == status, (answer.status, answer.body[:300], server.log_tail())
    if answerer == "api":
        message = json.loads(answer.body)["error"]["message"]
        assert len(message) >= 20, message
    if answerer == "web":
        assert re.search(rb'role="alert"[^>]*>[^<]{20,}<', answer.body), answer.body[:300]
    assert b"Traceback" not in answer.body
    assert stored_rows(in_db) == before
    still = exchange(server, request("PATCH", PATCH_H1, ann.token, b'{"note": "still serving"}',
                                     Content_Type="application/json"))
    assert still.status == 200, still.body
