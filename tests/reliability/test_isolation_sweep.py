"""Isolation, swept from the URL map: Bob, with his token or his session, on everything of Ann's.

Ann keeps pages (one with a snapshot), highlights (one deleted, with the Undo
form she was given; one a favorite), tags and a second API token; her marker
is in every text of hers: titles, quotes, notes, tags, snapshot, a URL, the
token's name. Bob's own data looks like hers (her URL, the tag "ai", green).

- Every route that takes an id, with each method it allows, is called on Ann's
  ids as Bob: the API with his token, the web view with his session and his own
  CSRF token. Each answers 404, the same answer as for an id nobody has.
- Every route without an id that answers with data is called with each filter
  it takes (the API's read from its OpenAPI document), and Bob's own pages, tags
  and highlights are viewed: Ann's marker is in no answer (zips opened).
- Bob's writes that take no id (import, upsert by URL) make data of his own.
- A token is not a session, a session is not a token; revoking ends a token.
- After each of these, and after all of them in one go, Ann's data (her JSON
  export and every database row of hers) is exactly as it was.

A route with an argument that is neither swept nor allowlisted fails
``test_every_route_is_swept``, so the sweep keeps up with the app.
"""

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import product
from typing import NamedTuple

import pytest
from sqlalchemy import select, text
from werkzeug.security import generate_password_hash

from server import create_app
from server.db import db
from server.models import ApiToken, Highlight
from server.services import exporting, users
from tests.import_jobs import finished, followed
from tests.pdf_files import text_pdf, upload_pdf

MARKER = "qz7ann"  # in every text of Ann's; Bob's filters never contain it, as answers may echo them
ANN_URL = "https://lighthouse.example/keeper?utm_source=feed"  # Bob keeps this page too
ANN_OTHER_URL = "https://news.example/tides"  # Bob makes a page of his own at it
ANN_MARKED_URL = f"https://{MARKER}.example/diary"
ANN_HTML = f"""<!doctype html><html lang="en"><head><title>The Lighthouse Keeper {MARKER}</title>
<meta name="author" content="Ann {MARKER}"></head><body><article><h1>The Lighthouse Keeper</h1>
<p>Every evening the keeper climbed the stairs and lit the lamp, {MARKER} snapshot, and the ships far
out on the dark water turned their bows away from the rocks below the tower and the tidewater.</p>
<p>In the morning he wrote the weather in the log, trimmed the wick, polished the lens and slept
until the light began to fail again over the grey and restless sea beyond the harbour wall.</p>
</article></body></html>"""
BOB_MARKER = "bobsown"
GHOSTS = {int: 987654, str: "0badc0de-0000-4000-8000-000000000000"}  # ids nobody has

# --- What the sweep covers ------------------------------------------------------------------

#: route argument -> the kind of id it takes (every argument of a swept route must be here)
ID_KINDS = {"page_id": "pages", "highlight_id": "highlights", "uuid": "highlights", "tag_id": "tags",
            "token_id": "tokens", "book_id": "pages",
            "pdf_id": "pdfs", "job_id": "imports"}
#: the Readwise-compatible API names highlights by their integer ids
READWISE = "/api/v2/"
READWISE_ID_KINDS = {**ID_KINDS, "highlight_id": "highlight_numbers"}

#: routes swept by tests of their own, with what covers them
OWN_SWEEPS = {"mcp.endpoint": "tests/mcp/test_http.py: every MCP tool as another user, and bad tokens"}

#: routes whose argument names no one's data
NOT_USER_DATA = {
    "/static/<path:filename>": "the app's own CSS and JavaScript",
    "/static/shared/<path:filename>": "the extension's shared modules",
    "/static/pdf/<path:filename>": "the PDF viewer's modules, built from the extension",
}

#: routes whose id the client chooses: Bob's call makes his own row under that id (ids are per user)
CLIENT_CHOSEN_IDS = {"highlights.put_highlight"}

#: routes that sign in and out (a token is not a session: see the tests at the end)
SESSION_ROUTES = {"web.login", "web.logout"}
#: answer anybody, and hold nobody's data (the data sweep checks that too); a connect code is the only
#: credential POST /api/v1/connect takes, and the code names its user (tests/api/test_connect.py)
PUBLIC_ROUTES = {"health.healthz", "api-docs.openapi_json", "readwise-api-docs.openapi_json", "web.connect_page",
                 "connect.connect"}

#: what Bob sends to each route that takes a body: valid, so only ownership can refuse it
BODIES = {
    "highlights.put_highlight": {"url": ANN_URL, "quote": {"exact": f"{BOB_MARKER} quote"}, "color": "pink",
                                 "note": f"{BOB_MARKER} note", "tags": ["ai"]},
    "highlights.patch_highlight": {"color": "pink", "note": "bob was here", "tags": ["ai"]},
    "pages.patch_page": {"title": "Bob was here", "tags": ["ai"]},
    "tags.rename_tag": {"name": "ai"},  # Bob has "ai" too: nothing merges across users
    "web.new_highlight": {"exact": f"{BOB_MARKER} quote", "color": "pink", "note": f"{BOB_MARKER} note", "tags": "ai"},
    "web.edit_highlight": {"color": "pink", "note": "bob was here", "tags": "ai"},
    "web.favorite": {"favorite": "1"},
    "web.restore_highlight": {"kept": "{undo}"},  # the Undo form Ann was given for this highlight
    "web.rename_tag": {"name": "ai"},
    "readwise.update_highlight": {"note": "bob was here", "color": "pink"},
    "readwise.add_highlight_tag": {"name": "ai"},
}

#: the query parameters of web routes (the API's come from its OpenAPI document): (required, optional)
WEB_QUERIES = {
    "web.library": ((), ("tag", "color", "site", "cursor")),
    "web.search_view": (("q",), ("offset",)),
    "transfer.export": (("format",), ("tag", "color", "site", "domain", "q", "page")),
    "web.page": ((), ("view",)),
}

#: values Bob tries for each query parameter; "{name}" is one of Ann's ids or cursors
QUERY_VALUES = {
    "tag": ("ai", "policy", "reading"),
    "color": ("green", "blue"),
    "q": ("lighthouse", "tidewater", "tides"),
    "domain": ("lighthouse.example", "news.example"),
    "site": ("lighthouse.example", "news.example"),
    "url": (ANN_URL, ANN_OTHER_URL, ANN_MARKED_URL),
    "page": ("{page}", "{bare_page}"),
    "updated_after": ("2000-01-01T00:00:00Z",),
    "cursor": ("{pages_cursor}", "{feed_cursor}", "{sync_cursor}"),
    "limit": ("500",),
    "keep_formulas": ("true",),
    "article": ("true",),
    "raw_notes": ("true",),
    "offset": ("1",),
    "format": tuple(exporting.FORMATS),
    "view": ("readable",),
    # /api/v2: Readwise's paging, filters and export (ids and cursors of Ann's books)
    "page_size": ("1000",),
    "book_id": ("{page}", "{bare_page}"),
    "category": ("books", "articles"),
    "ids": ("{page},{bare_page}",),
    "pageCursor": ("0",),
    **{name: ("2000-01-01T00:00:00Z",) for name in ("updated__gt", "highlighted_at__gt", "updatedAfter")},
    **{name: ("2100-01-01T00:00:00Z",) for name in ("updated__lt", "highlighted_at__lt")},
    "fingerprint": ("{pdf_fingerprint}",),
    "sha256": ("{pdf_sha256}",),
    "page_id": ("{page}", "{bare_page}"),
}


class Route(NamedTuple):
    rule: str
    method: str
    endpoint: str
    arguments: tuple[str, ...]

    @property
    def api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def kinds(self) -> dict:
        return READWISE_ID_KINDS if self.rule.startswith(READWISE) else ID_KINDS

    def path(self, values: dict) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), self.rule)

    def __str__(self):
        return f"{self.method} {self.rule}"


def routes_of(url_map) -> list[Route]:
    return sorted(Route(rule.rule, method, rule.endpoint, tuple(sorted(rule.arguments)))
                  for rule in url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"})


def _url_map():
    """The app's URL map (the same whatever the database), for parametrizing."""
    with tempfile.TemporaryDirectory() as instance:
        return create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                           "MARGINS_AUTO_MIGRATE": False}).url_map


ROUTES = [route for route in routes_of(_url_map()) if route.endpoint not in OWN_SWEEPS]
ID_ROUTES = sorted((r for r in ROUTES if r.arguments and r.rule not in NOT_USER_DATA),
                   key=lambda r: r.endpoint in CLIENT_CHOSEN_IDS)  # those that make Ann's ids Bob's too, last
ID_RULES = sorted({r.rule for r in ID_ROUTES})
DATA_ROUTES = [r for r in ROUTES if not r.arguments and r.method == "GET"]
OWN_VIEWS = [r for r in ID_ROUTES if r.method == "GET"]  # Bob's own pages, tags…: his page is at Ann's URL
WRITES_WITHOUT_ID = [r for r in ROUTES if not r.arguments and r.method != "GET" and r.endpoint not in SESSION_ROUTES]


# --- Ann, Bob and their data -------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch):
    """Passwords play no part here; a cheap hash keeps the many sign-ins quick."""
    monkeypatch.setattr(users, "generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


def read(answer):
    """The answer read to its end and closed (a streamed one holds its request context until then)."""
    answer.get_data()
    answer.close()
    return answer


class Browser:
    """A person signed in on a test client of their own: their session cookie and CSRF token."""

    def __init__(self, app, person, remember: bool = False):
        self.client = app.test_client()
        answer = self.client.post("/login", data={"username": person.username, "password": person.password,
                                                  "csrf_token": self.csrf_of("/login"),
                                                  **({"remember": "on"} if remember else {})})
        assert answer.status_code == 302, answer.text
        self.csrf = self.csrf_of("/settings")

    def csrf_of(self, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.client.get(path).text).group(1)

    def post(self, path: str, **fields):
        return read(self.client.post(path, data={**fields, "csrf_token": self.csrf}))

    def undo_form(self, uuid: str) -> str:
        """Delete the highlight; the Undo form's signed ``kept`` value."""
        answer = self.post(f"/highlights/{uuid}/delete")
        assert answer.status_code == 200, answer.text
        return re.search(r'name="kept" value="([^"]+)"', answer.text).group(1)


def _made(answer) -> dict:
    assert answer.status_code in (200, 201, 302), answer.get_data(as_text=True)[:500]
    return answer.json


@dataclass
class Sweep:
    """Ann's and Bob's data, Bob's ways in (his token, his session), and what Ann was given."""

    app: object
    ann: object
    bob: object
    ids: dict = field(default_factory=dict)       # kind -> Ann's ids of that kind
    own_ids: dict = field(default_factory=dict)   # kind -> Bob's
    given: dict = field(default_factory=dict)     # Ann's ids by name, her cursors, her Undo forms
    anns_pdf: bytes = b""                          # the PDF Ann keeps

    def make(self):
        ann, bob = self.ann.api, self.bob.api
        page = _made(ann.put("/pages", {"url": ANN_URL, "html": ANN_HTML, "tags": ["reading", f"{MARKER}-pagetag"]}))
        h1, h2, gone = ("3f2b6a1c-0000-4000-8000-00000000a00" + n for n in "123")
        _made(ann.put(f"/highlights/{h1}", {
            "url": ANN_URL, "quote": {"exact": f"keeper lit the lamp {MARKER}", "prefix": "the ", "suffix": ","},
            "position": {"start": 40, "end": 70}, "color": "green", "note": f"{MARKER} note on the tidewater",
            "tags": ["ai", f"{MARKER}-tag"]}))
        bare_page = _made(ann.put(f"/highlights/{h2}", {
            "url": ANN_OTHER_URL, "title": f"Tides {MARKER}", "quote": {"exact": f"the tides {MARKER}"},
            "color": "blue", "note": "lighthouse tides", "tags": ["policy"]}))["page_id"]
        _made(ann.put(f"/highlights/{gone}", {"url": ANN_MARKED_URL, "quote": {"exact": f"soon gone {MARKER}"}}))
        web = Browser(self.app, self.ann)
        undo = {h1: web.undo_form(h1)}  # deleted and put back: a stale form, still signed
        _made(web.post(f"/highlights/{h1}/restore", kept=undo[h1]))
        undo[gone] = web.undo_form(gone)  # a tombstone
        _made(web.post(f"/highlights/{h1}/favorite", favorite="1"))
        _made(web.post("/settings/tokens", name=f"{MARKER}-token"))
        _made(web.post("/settings/connect"))  # a connect code, left unused: Bob's connecting must not touch it
        tags = {tag["name"]: tag["id"] for tag in ann.get("/tags").json["items"]}
        self.anns_pdf = text_pdf([f"The keeper's log {MARKER}", "Tides and lamps"], title="Keeper's log",
                                 compress=False)  # the marker in its text only, where _anns_pdf can take it out
        pdf = _made(upload_pdf(ann, self.anns_pdf, ANN_MARKED_URL))  # found too by fingerprint and hash
        job = _imported(ann, f"{MARKER}-clippings.txt", f"The keeper's import {MARKER}")
        self.ids = {"pages": [page["id"], bare_page], "highlights": [h1, gone],
                    "highlight_numbers": self.highlight_numbers([h1, gone]),
                    "tags": [tags["ai"], tags["reading"]], "tokens": self.token_ids(self.ann),
                    "pdfs": [pdf["id"]], "imports": [job["id"]]}
        feed, listed = ann.get("/highlights", limit=1).json, ann.get("/pages", limit=1).json
        self.given = {"page": page["id"], "bare_page": bare_page, "undo": undo, "feed_cursor": feed["next_cursor"],
                      "pdf_fingerprint": pdf["fingerprint"], "pdf_sha256": pdf["sha256"],
                      "sync_cursor": feed["sync_cursor"], "pages_cursor": listed["next_cursor"]}

        own_page = _made(bob.put("/pages", {"url": ANN_URL, "html": ANN_HTML.replace(MARKER, BOB_MARKER),
                                            "tags": ["ai"]}))
        own = "b0b0b0b0-0000-4000-8000-00000000b001"
        _made(bob.put(f"/highlights/{own}", {
            "url": ANN_URL, "quote": {"exact": f"keeper lit the lamp {BOB_MARKER}"}, "color": "green",
            "note": f"{BOB_MARKER} tidewater lighthouse", "tags": ["ai"]}))
        own_pdf = _made(upload_pdf(bob, text_pdf([f"{BOB_MARKER} log"]), ANN_URL))
        own_job = _imported(bob, f"{BOB_MARKER}-clippings.txt", f"Bob's import {BOB_MARKER}")
        self.own_ids = {"pages": [own_page["id"]], "highlights": [own], "highlight_numbers": self.highlight_numbers([own]),
                        "tags": [tag["id"] for tag in bob.get("/tags").json["items"]],
                        "tokens": self.token_ids(self.bob), "pdfs": [own_pdf["id"]],
                        "imports": [own_job["id"]]}
        self.web = Browser(self.app, self.bob)
        return self

    def highlight_numbers(self, uuids: list[str]) -> list[int]:
        with self.app.app_context():
            return [db.session.scalar(select(Highlight.id).where(Highlight.uuid == uuid)) for uuid in uuids]

    def token_ids(self, person) -> list[int]:
        with self.app.app_context():
            return list(db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == person.id)))

    def call(self, route: Route, values: dict, query: dict | None = None, body: dict | None = None):
        """Bob calls the route: the API with his token, the web view with his session (and CSRF token)."""
        if route.api:
            return read(self.bob.api.client.open(route.path(values), method=route.method, query_string=query,
                                                 headers=self.bob.api.headers, json=body))
        if route.method == "GET":
            return read(self.web.client.get(route.path(values), query_string=query))
        return self.web.post(route.path(values), **(body or {}))

    def body(self, route: Route, values: dict) -> dict | None:
        template = BODIES.get(route.endpoint)
        if template is None:
            return None
        undo = self.given["undo"].get(values.get("uuid"), "")
        return {name: value.format(undo=undo) if isinstance(value, str) else value
                for name, value in template.items()}

    def anns_data(self) -> tuple[bytes, dict]:
        """Ann's data, read back in full: her JSON export and her database rows."""
        export = read(self.ann.api.get("/export", format="json"))
        assert export.status_code == 200, export.json
        with self.app.app_context(), db.engine.connect() as connection:
            return export.data, rows_of(connection, self.ann.id)


def rows_of(connection, user_id: int) -> dict[str, list]:
    """Every row of the user's: theirs by user_id, or pointing at a row of theirs (snapshots, tag links),
    and their search index rows. Token use times are left out: using a token is not a change."""
    owned: dict[str, list[dict]] = {}
    for table in db.metadata.sorted_tables:  # a table comes after those it points at
        def is_owned(row, table=table):
            if table.name == "users":
                return row["id"] == user_id
            if "user_id" in row:
                return row["user_id"] == user_id
            return any(row[fk.parent.name] in {r[fk.column.name] for r in owned[fk.column.table.name]}
                       for fk in table.foreign_keys)

        rows = [row._asdict() for row in connection.execute(select(table))]
        owned[table.name] = [row for row in rows if is_owned(row)]
    for row in owned["api_tokens"]:
        del row["last_used_at"]
    owned["search_index"] = [dict(row._mapping) for row in connection.execute(text(
        "SELECT title, body, note, page_id, highlight_id FROM search_index WHERE user_id = :user"), {"user": user_id})]
    return {name: sorted(rows, key=repr) for name, rows in owned.items()}


@pytest.fixture
def sweep(app, ann, bob) -> Sweep:
    return Sweep(app, ann, bob).make()


# --- What an answer shows ----------------------------------------------------------------------

def shown(answer) -> str:
    """All an answer shows: headers and body, the files inside a zip too."""
    body = answer.get_data()
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"\n".join([str(archive.namelist()).encode(), *map(archive.read, archive.namelist())])
    return f"{answer.headers}\n{body.decode('utf-8', 'replace')}"


def leak(answer) -> str | None:
    """Where Ann's marker shows in the answer, if it does."""
    text_ = shown(answer)
    at = text_.lower().find(MARKER)
    return None if at < 0 else f"{answer.status} shows {text_[max(at - 80, 0):at + 40]!r}"


def leak_in(value) -> str | None:
    """Where Ann's marker shows in a value read from an answer (an import job's), if it does."""
    text_ = repr(value).lower()
    at = text_.find(MARKER)
    return None if at < 0 else f"shows {text_[max(at - 80, 0):at + 40]!r}"


def masked(answer, route: Route, values: dict) -> str:
    """The body without what differs by design: the form's CSRF token, the ids asked for
    (the API's messages name them; a web page's digits are not ids)."""
    text_ = re.sub(r'name="csrf_token" value="[^"]+"', "", answer.get_data(as_text=True))
    for id_ in values.values() if route.api else ():
        text_ = re.sub(rf"\b{re.escape(str(id_))}\b", "<id>", text_)
    return text_


def error_code(answer) -> str:
    """The API's error code; /api/v2 answers as Readwise does ({"detail": ...}), named here by its status."""
    body = answer.json
    if "error" in body:
        return body["error"]["code"]
    assert isinstance(body.get("detail"), str) and len(body["detail"]) > 5, body
    return {401: "unauthorized", 404: "not_found"}.get(answer.status_code, "error")


# --- Calls to make -----------------------------------------------------------------------------

def id_values(ids: dict, route: Route) -> list[dict]:
    """Every combination of these ids (kind -> ids) for the route's arguments."""
    return [dict(zip(route.arguments, combination, strict=True))
            for combination in product(*(ids[route.kinds[name]] for name in route.arguments))]


@cache
def openapi(app, version: str) -> dict:
    return app.test_client().get(f"/api/{version}/openapi.json").json


def query_parameters(app, route: Route) -> tuple[tuple, tuple]:
    """(required, optional) query parameters: the API's from its OpenAPI document, the web's from WEB_QUERIES."""
    if not route.api:
        return WEB_QUERIES.get(route.endpoint, ((), ()))
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.rule)
    version = "v2" if route.rule.startswith(READWISE) else "v1"
    operation = openapi(app, version)["paths"].get(path, {}).get(route.method.lower(), {})
    parameters = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    return (tuple(p["name"] for p in parameters if p.get("required")),
            tuple(p["name"] for p in parameters if not p.get("required")))


def queries(sweep: Sweep, route: Route) -> list[dict]:
    """Each value of the required parameters alone; then the first of them with each value of each
    optional one (a filter works alike whatever the format: exports share one selection)."""
    required, optional = query_parameters(sweep.app, route)

    def values(name):
        return [value.format(**sweep.given) for value in QUERY_VALUES[name]]

    bases = [dict(zip(required, combination, strict=True)) for combination in product(*map(values, required))]
    return bases + [{**bases[0], name: value} for name in optional for value in values(name)]


# --- The sweeps: each returns what went wrong ------------------------------------------------------

def attempts_on_anns_ids(sweep: Sweep, route: Route) -> list[str]:
    """Bob calls the route on each of Ann's ids (with each query it takes): 404, as for an id nobody has."""
    problems = []
    for values, query in product(id_values(sweep.ids, route), queries(sweep, route)):
        body = sweep.body(route, values)
        answer = sweep.call(route, values, query, body)
        where = f"{route} {values} {query or ''}"
        if found := leak(answer):
            problems.append(f"{where}: {found}")
        if route.endpoint in CLIENT_CHOSEN_IDS:
            if answer.status_code != 201 or answer.json["page_id"] in sweep.ids["pages"]:
                problems.append(f"{where}: {answer.status} {answer.get_data(as_text=True)[:200]} (not Bob's own)")
            continue
        ghost = {name: GHOSTS[type(value)] for name, value in values.items()}
        nobodys = sweep.call(route, ghost, query, body)
        if answer.status_code != 404:
            problems.append(f"{where}: {answer.status}, not 404: {answer.get_data(as_text=True)[:200]}")
        elif route.api and error_code(answer) != "not_found":
            problems.append(f"{where}: {answer.json}")
        # (Ann's Undo form on an id nobody has is refused as not matching: no answer to compare with.)
        elif nobodys.status_code == 404 and masked(answer, route, values) != masked(nobodys, route, ghost):
            problems.append(f"{where}: unlike the answer for an id nobody has: {answer.get_data(as_text=True)[:300]}")
    return problems


def attempts_to_see(sweep: Sweep, route: Route) -> list[str]:
    """Bob calls a route that answers with data, with each filter it takes (on his own ids, if it takes ids)."""
    problems = []
    for values, query in product(id_values(sweep.own_ids, route), queries(sweep, route)):
        answer = sweep.call(route, values, query)
        where = f"{route} {values or ''} {query or ''}"
        if found := leak(answer):
            problems.append(f"{where}: {found}")
        refused_cursor = "cursor" in query and answer.status_code in (400, 422)  # one made for another list
        if answer.status_code not in (200, 204) and not refused_cursor:
            problems.append(f"{where}: {answer.status} {answer.get_data(as_text=True)[:200]}")
    return problems


def _imported(api, file_name: str, quote: str) -> dict:
    """A Kindle file imported through the API, its job waited for."""
    clipping = f"Logbook (Keeper)\n- Your Highlight on Location 3 | Added on Monday, March 5, 2018\n\n{quote}\n==========\n"
    answer = api.client.post("/api/v1/import?format=kindle", headers=api.headers,
                             data={"file": (io.BytesIO(clipping.encode()), file_name)})
    job = finished(api.client, answer, api.headers)
    assert job["state"] == "done", job
    return job


def _anns_file(sweep: Sweep) -> bytes:
    """Ann's JSON export with her marker taken out: her highlight ids and URLs, in a file of Bob's."""
    return read(sweep.ann.api.get("/export", format="json")).data.replace(MARKER.encode(), BOB_MARKER.encode())


def _anns_pdf(sweep: Sweep) -> bytes:
    """Ann's PDF with her marker taken out (as long, so its offsets hold): her document's /ID, in a file of Bob's."""
    mine = sweep.anns_pdf.replace(MARKER.encode(), b"qz7bob")
    assert mine != sweep.anns_pdf
    return mine


#: Bob's writes that take no id, each with Ann's identifiers (her URL, her highlight ids)
WRITES = {
    "pages.upsert_page": lambda sweep: read(sweep.bob.api.put(
        "/pages", {"url": ANN_OTHER_URL, "title": "Bob's tides", "tags": ["policy"]})),
    "export_import.import_file": lambda sweep: read(sweep.bob.api.client.post(
        "/api/v1/import?format=margins", headers=sweep.bob.api.headers, data=_anns_file(sweep),
        content_type="application/json")),
    "transfer.import_form": lambda sweep: sweep.web.post(
        "/import", format="margins", file=(io.BytesIO(_anns_file(sweep)), "ann.json")),
    "web.create_token": lambda sweep: sweep.web.post("/settings/tokens", name="bob's token"),
    # his own password, set to itself: this session stays signed in for the rest of the sweep
    "web.change_password": lambda sweep: sweep.web.post("/settings/password", current=sweep.bob.password,
                                                        new=sweep.bob.password, again=sweep.bob.password),
    "readwise.push_highlights": lambda sweep: read(sweep.bob.api.client.post(
        "/api/v2/highlights/", headers=sweep.bob.api.headers, json={"highlights": [
            {"text": f"{BOB_MARKER} pushed", "source_url": ANN_URL, "title": "Bob's keeper"},
            {"text": f"keeper lit the lamp {BOB_MARKER}", "title": f"Tides {BOB_MARKER}", "location": 40}]})),
    "pdfs.upload_pdf": lambda sweep: read(upload_pdf(sweep.bob.api, _anns_pdf(sweep), ANN_OTHER_URL)),
    "web.make_connect_code": lambda sweep: sweep.web.post("/settings/connect"),
    # a code of his own, redeemed with his session cookie and token along: his new token
    "connect.connect": lambda sweep: read(sweep.web.client.post("/api/v1/connect", headers=sweep.bob.api.headers,
                                                                json={"code": _bobs_code(sweep), "browser": "Bob's"})),
}


def _bobs_code(sweep) -> str:
    return re.search(r'id="connect-code">([A-Z0-9-]+)<', sweep.web.post("/settings/connect").text).group(1)


def writes_without_an_id(sweep: Sweep, route: Route) -> list[str]:
    answer = WRITES[route.endpoint](sweep)
    problems = [f"{route}: {found}"] if (found := leak(answer)) else []
    if answer.status_code == 202:  # an import: what it stored is only known once it is done
        problems += [f"{route}: its job {found}"] if (found := leak_in(finished(
            sweep.bob.api.client, answer, sweep.bob.api.headers))) else []
    elif re.fullmatch(r"/imports/\d+", answer.headers.get("Location", "")):
        status = followed(sweep.web.client, answer.headers["Location"] + "/status")
        problems += [f"{route}: its job {found}"] if (found := leak_in(status)) else []
    if answer.status_code not in (200, 201, 202, 302):
        problems.append(f"{route}: {answer.status} {answer.get_data(as_text=True)[:300]}")
    return problems


# --- Tests -------------------------------------------------------------------------------------

def test_every_route_is_swept(app):
    """A new route with an argument must take ids the sweep knows, or be allowlisted as no one's data."""
    routes = [route for route in routes_of(app.url_map) if route.endpoint not in OWN_SWEEPS]
    assert routes == ROUTES
    unknown = [f"{route}: argument {name}" for route in ID_ROUTES for name in route.arguments
               if name not in route.kinds]
    assert not unknown, "add these to ID_KINDS (or NOT_USER_DATA, if they name no one's data)"
    assert set(NOT_USER_DATA) <= {route.rule for route in routes}, "NOT_USER_DATA names a route that is gone"
    assert not [str(route) for route in WRITES_WITHOUT_ID if route.endpoint not in WRITES], "add these to WRITES"
    endpoints = {route.endpoint for route in routes}
    for table in (BODIES, WEB_QUERIES, WRITES, CLIENT_CHOSEN_IDS, SESSION_ROUTES):
        assert set(table) <= endpoints, f"no such endpoints any more: {set(table) - endpoints}"
    for route in routes:
        required, optional = query_parameters(app, route)
        for name in required + optional:
            assert name in QUERY_VALUES, f"{route}: add values for its query parameter {name!r} to QUERY_VALUES"


@pytest.mark.parametrize("rule", ID_RULES)
def test_bob_gets_404_on_anns_ids(sweep, rule):
    """Each method the route allows, on each of Ann's ids."""
    before = sweep.anns_data()
    routes = [route for route in ID_ROUTES if route.rule == rule]
    assert [problem for route in routes for problem in attempts_on_anns_ids(sweep, route)] == []
    assert sweep.anns_data() == before


def test_bob_never_sees_anns_data(sweep):
    """Every route that answers with data, with every filter; Bob's own views of his page at Ann's URL."""
    before = sweep.anns_data()
    assert [problem for route in DATA_ROUTES + OWN_VIEWS for problem in attempts_to_see(sweep, route)] == []
    assert sweep.anns_data() == before


def test_bobs_writes_without_an_id_make_his_own_data(sweep):
    before = sweep.anns_data()
    assert [problem for route in WRITES_WITHOUT_ID for problem in writes_without_an_id(sweep, route)] == []
    assert sweep.anns_data() == before


def test_the_whole_sweep_in_one_go_leaves_anns_data_as_it_was(sweep):
    """In case one attempt prepares another: Bob's attempts on her ids, then his writes, then his reads."""
    before = sweep.anns_data()
    problems = [problem for route in ID_ROUTES for problem in attempts_on_anns_ids(sweep, route)]
    problems += [problem for route in WRITES_WITHOUT_ID for problem in writes_without_an_id(sweep, route)]
    problems += [problem for route in DATA_ROUTES + OWN_VIEWS for problem in attempts_to_see(sweep, route)]
    assert problems == []
    assert sweep.anns_data() == before


# --- Across channels: tokens, sessions, sign-out, revoking ---------------------------------------

WEB_VIEWS = [r for r in DATA_ROUTES + OWN_VIEWS if not r.api and r.endpoint not in SESSION_ROUTES | PUBLIC_ROUTES]
API_ROUTES = [r for r in ROUTES if r.api and r.endpoint not in PUBLIC_ROUTES]


def test_an_api_token_opens_no_web_page(sweep):
    anonymous = sweep.app.test_client()
    for route in WEB_VIEWS:
        answer = read(anonymous.get(route.path(id_values(sweep.ids, route)[0]), headers=sweep.ann.api.headers))
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], route
        assert leak(answer) is None


def test_a_session_opens_no_api_route(sweep):
    """Ann's session and Bob's alike: the API answers only to a token."""
    before = sweep.anns_data()
    for web in (Browser(sweep.app, sweep.ann), sweep.web):
        for route in API_ROUTES:
            values = id_values(sweep.ids, route)[0]
            answer = read(web.client.open(route.path(values), method=route.method, json=sweep.body(route, values)))
            assert answer.status_code == 401, (str(route), answer.json)
            assert error_code(answer) == "unauthorized" and leak(answer) is None
    assert sweep.anns_data() == before


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_session_copied_before_signing_out_is_dead_after_it(app, ann, cookie):
    browser = Browser(app, ann, remember=True)
    copied = browser.client.get_cookie(cookie).value
    assert browser.post("/logout").status_code == 302
    assert browser.client.get("/").status_code == 302  # her browser is signed out

    replay = app.test_client()
    replay.set_cookie(cookie, copied)
    answer = replay.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_token_revoked_in_the_settings_stops_working_at_once(app, ann, in_db):
    highlight = "3f2b6a1c-0000-4000-8000-00000000a001"
    _made(ann.api.put(f"/highlights/{highlight}", {"url": ANN_URL, "quote": {"exact": f"the lamp {MARKER}"}}))
    browser = Browser(app, ann)
    token = re.search(r"mrg_[\w-]+", browser.post("/settings/tokens", name="phone").text).group(0)
    phone = {"Authorization": f"Bearer {token}"}
    assert MARKER in ann.api.client.get("/api/v1/highlights", headers=phone).text
    token_id = in_db(lambda s: s.scalar(select(ApiToken.id).where(ApiToken.name == "phone")))

    assert browser.post(f"/settings/tokens/{token_id}/revoke").status_code == 302

    for method, body in (("GET", None), ("PATCH", {"note": "from a lost phone"}), ("DELETE", None)):
        refused = ann.api.client.open(f"/api/v1/highlights/{highlight}", method=method, headers=phone, json=body)
        assert refused.status_code == 401 and leak(refused) is None, method
    assert MARKER in ann.api.get(f"/highlights/{highlight}").text  # unchanged, and her other token still works
