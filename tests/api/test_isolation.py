"""Users are isolated: one user's token never reads, changes or learns of another user's data.

Ann keeps pages (one with a snapshot), highlights with notes and tags (one
deleted, a tombstone) and page tags. Bob, with his own token and data of
his own that looks like hers (a tag "ai", a page about a lighthouse), tries
every route on her ids, every filter of the list routes, and her highlight
UUIDs and URLs. After each attempt Ann's data, read back as full JSON, is
byte for byte what it was. Then Ann's token is revoked and is refused
everywhere.
"""

import re
import uuid
from functools import partial

import pytest
from werkzeug.security import generate_password_hash

from server.models import User
from server.services import tokens, users

# --- Ann's and Bob's data ------------------------------------------------------

ANN_URL = "https://example.com/lighthouse?utm_source=newsletter"
ANN_CANONICAL = "https://example.com/lighthouse"
ANN_OTHER_URL = "https://news.example.com/tides"
ANN_MARKER = "annsecret"  # in her title, quotes and notes: it must never reach Bob

ANN_HTML = f"""<!doctype html>
<html lang="en"><head>
<title>The Lighthouse Keeper {ANN_MARKER}</title>
<link rel="canonical" href="{ANN_CANONICAL}">
<meta name="author" content="Ann Author">
</head><body><nav>Home | About</nav><article><h1>The Lighthouse Keeper</h1>
<p>Every evening the keeper climbed the stairs and lit the lamp, {ANN_MARKER} and the ships
far out on the dark water turned their bows away from the rocks below the tower.</p>
<p>In the morning he wrote the weather in the log, trimmed the wick, polished the lens
and slept until the light began to fail again over the grey and restless sea.</p>
</article></body></html>"""

ANN_H1, ANN_H2, ANN_TOMBSTONE = (
    "3f2b6a1c-0000-4000-8000-00000000a001",
    "3f2b6a1c-0000-4000-8000-00000000a002",
    "3f2b6a1c-0000-4000-8000-00000000a003",
)

BOB_URL = "https://bob.example.org/notes"
BOB_H1 = "b0b0b0b0-0000-4000-8000-00000000b001"


def _highlight(url: str, exact: str, **extra) -> dict:
    return {"url": url, "quote": {"exact": exact, "prefix": "the ", "suffix": " and"}, **extra}


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch):
    """Passwords play no part here; a cheap hash keeps the many cases quick."""
    monkeypatch.setattr(users, "generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1"))


class AnnsData:
    def __init__(self, person):
        self.person = person
        self.api = person.api
        self.page_ids: list[int] = []
        self.tag_ids: dict[str, int] = {}

    def make(self):
        api = self.api
        answer = api.put("/pages", {"url": ANN_URL, "html": ANN_HTML, "tags": ["reading"]})
        assert answer.status_code == 201, answer.json
        self.page_id = answer.json["id"]
        answer = api.put(f"/highlights/{ANN_H1}", _highlight(
            ANN_URL, f"keeper lit the lamp {ANN_MARKER}",
            position={"start": 40, "end": 80},
            range={"startContainer": "/article/p[1]", "startOffset": 4,
                   "endContainer": "/article/p[1]", "endOffset": 40},
            color="green", note=f"{ANN_MARKER} private note", tags=["ai", "policy"],
        ))
        assert answer.status_code == 201, answer.json
        answer = api.put(f"/highlights/{ANN_H2}", _highlight(
            ANN_OTHER_URL, f"the tide {ANN_MARKER}", title=f"Tides {ANN_MARKER}",
            color="blue", note="lighthouse tides", tags=["ai"],
        ))
        assert answer.status_code == 201, answer.json
        self.other_page_id = answer.json["page_id"]
        assert api.put(f"/highlights/{ANN_TOMBSTONE}", _highlight(ANN_URL, "soon gone")).status_code == 201
        assert api.delete(f"/highlights/{ANN_TOMBSTONE}").status_code == 204
        self.page_ids = [self.page_id, self.other_page_id]
        self.tag_ids = {tag["name"]: tag["id"] for tag in api.get("/tags").json["items"]}
        assert set(self.tag_ids) == {"ai", "policy", "reading"}
        return self

    def ids(self) -> dict:
        """Values for the {placeholders} of the route tables."""
        return {
            "page": self.page_id, "other_page": self.other_page_id,
            "highlight": ANN_H1, "other_highlight": ANN_H2, "tombstone": ANN_TOMBSTONE,
            "tag": self.tag_ids["ai"], "page_tag": self.tag_ids["reading"],
        }

    def state(self) -> dict[str, bytes]:
        """Everything Ann can read, as the raw bytes the API answers."""
        api = self.api
        reads = ["/pages?limit=500", "/highlights?limit=1000", "/tags", f"/highlights/{ANN_H1}",
                 f"/highlights/{ANN_H2}", f"/pages/{self.page_id}/snapshot"]
        reads += [f"/pages/{page_id}" for page_id in self.page_ids]
        state = {}
        for path in reads:
            answer = api.client.get("/api/v1" + path, headers=api.headers)
            assert answer.status_code == 200, (path, answer.json)
            state[path] = answer.data
        return state


@pytest.fixture
def anns(ann) -> AnnsData:
    return AnnsData(ann).make()


@pytest.fixture
def bobs(bob) -> dict:
    """Bob's own data, chosen to match Ann's filters: tag "ai", color green, "lighthouse"."""
    answer = bob.api.put("/pages", {"url": BOB_URL, "title": "Lighthouse notes by Bob", "tags": ["ai"]})
    assert answer.status_code == 201, answer.json
    page_id = answer.json["id"]
    answer = bob.api.put(f"/highlights/{BOB_H1}", _highlight(
        BOB_URL, "a lighthouse of his own", color="green", note="bob's note", tags=["ai"]))
    assert answer.status_code == 201, answer.json
    tags = {tag["name"]: tag["id"] for tag in bob.api.get("/tags").json["items"]}
    return {"page_ids": {page_id}, "highlight_ids": {BOB_H1}, "tag_ids": set(tags.values())}


def _call(api, method: str, path: str, body=None):
    kwargs = {"json": body} if body is not None else {}
    return api.client.open("/api/v1" + path, method=method, headers=api.headers, **kwargs)


def _assert_json_error(answer, status: int, code: str):
    assert answer.status_code == status, answer.data
    assert answer.mimetype == "application/json"
    error = answer.json["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and len(error["message"]) > 10


def _assert_no_trace_of_ann(answer, anns: AnnsData):
    text = answer.data.decode().lower()
    assert ANN_MARKER not in text
    for url in ("example.com/lighthouse", "news.example.com/tides", "lighthouse tides", "policy", "reading"):
        assert url not in text, url


# --- Bob on Ann's ids: 404, indistinguishable from ids nobody has --------------------

BODIES = {
    "page": {"title": "Bob was here", "tags": ["bob"]},
    "highlight": {"color": "pink", "note": "bob was here", "tags": ["bob"]},
    "tag": {"name": "bob"},
}

# (method, path template, body): every route that names one of Ann's ids.
ROUTES_ON_ANNS_IDS = [
    ("GET", "/pages/{page}", None),
    ("GET", "/pages/{other_page}", None),
    ("GET", "/pages/{page}/snapshot", None),
    ("GET", "/pages/{other_page}/snapshot", None),  # Ann's page without a snapshot
    ("PATCH", "/pages/{page}", BODIES["page"]),
    ("PATCH", "/pages/{page}", {"title": "only a title"}),
    ("PATCH", "/pages/{other_page}", {"tags": []}),
    ("DELETE", "/pages/{page}", None),
    ("DELETE", "/pages/{other_page}", None),
    ("GET", "/highlights/{highlight}", None),
    ("GET", "/highlights/{tombstone}", None),
    ("PATCH", "/highlights/{highlight}", BODIES["highlight"]),
    ("PATCH", "/highlights/{other_highlight}", {"tags": []}),
    ("PATCH", "/highlights/{tombstone}", {"note": "revive?"}),
    ("DELETE", "/highlights/{highlight}", None),
    ("DELETE", "/highlights/{tombstone}", None),
    ("PATCH", "/tags/{tag}", BODIES["tag"]),
    ("PATCH", "/tags/{page_tag}", {"name": "reading list"}),
    ("PATCH", "/tags/{tag}", {"name": "ai"}),  # Bob has "ai" too: no merge across users
]

GHOSTS = {  # ids nobody has, of the same kind
    "page": 987654, "other_page": 987654, "tag": 987654, "page_tag": 987654,
    "highlight": "0badc0de-0000-4000-8000-000000000000",
    "other_highlight": "0badc0de-0000-4000-8000-000000000000",
    "tombstone": "0badc0de-0000-4000-8000-000000000000",
}


def _without(message: str, id_) -> str:
    return re.sub(rf"\b{re.escape(str(id_))}\b", "<id>", message)


def _route_id(route) -> str:
    method, path, body = route
    return f"{method} {path}" + (f" {sorted(body)}" if body else "")


@pytest.mark.parametrize("method, template, body", ROUTES_ON_ANNS_IDS,
                         ids=[_route_id(route) for route in ROUTES_ON_ANNS_IDS])
def test_bob_gets_404_on_anns_ids_and_changes_nothing(anns, bob, bobs, method, template, body):
    before = anns.state()
    placeholder = template.split("{")[1].split("}")[0]
    anns_id = anns.ids()[placeholder]

    answer = _call(bob.api, method, template.format(**anns.ids()), body)

    _assert_json_error(answer, 404, "not_found")
    _assert_no_trace_of_ann(answer, anns)
    # The same answer as for an id nobody has: Bob cannot even tell Ann's ids exist.
    ghost = _call(bob.api, method, template.format(**{placeholder: GHOSTS[placeholder]}), body)
    assert ghost.status_code == 404
    assert _without(answer.json["error"]["message"], anns_id) == \
        _without(ghost.json["error"]["message"], GHOSTS[placeholder])
    assert anns.state() == before


# --- Bob's lists never show Ann's data, whatever the filter ------------------------------

def _ann_cursor(anns, path: str, which: str) -> str:
    """A cursor Ann was given: Bob replaying it must still see only his own data."""
    answer = anns.api.get(path, limit=1).json
    cursor = answer["next_cursor"] if which == "ann's" else answer["sync_cursor"]
    assert cursor
    return cursor


LIST_QUERIES = [
    ("/pages", {}),
    ("/pages", {"tag": "ai"}),
    ("/pages", {"tag": "reading"}),
    ("/pages", {"tag": "policy"}),
    ("/pages", {"q": "lighthouse"}),
    ("/pages", {"q": ANN_MARKER}),
    ("/pages", {"domain": "example.com"}),
    ("/pages", {"domain": "news.example.com"}),
    ("/pages", {"limit": 500}),
    ("/pages", {"cursor": "ann's"}),
    ("/highlights", {}),
    ("/highlights", {"url": ANN_URL}),
    ("/highlights", {"url": ANN_CANONICAL}),
    ("/highlights", {"url": ANN_OTHER_URL}),
    ("/highlights", {"page": "{page}"}),
    ("/highlights", {"page": "{other_page}"}),
    ("/highlights", {"tag": "ai"}),
    ("/highlights", {"tag": "policy"}),
    ("/highlights", {"color": "green"}),
    ("/highlights", {"color": "blue"}),
    ("/highlights", {"q": "lighthouse"}),
    ("/highlights", {"q": ANN_MARKER}),
    ("/highlights", {"updated_after": "2000-01-01T00:00:00Z"}),
    ("/highlights", {"limit": 1000}),
    ("/highlights", {"cursor": "ann's"}),
    ("/highlights", {"cursor": "ann's sync"}),
    ("/tags", {}),
]


@pytest.mark.parametrize("path, params", LIST_QUERIES,
                         ids=[f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}"
                              for path, params in LIST_QUERIES])
def test_bobs_lists_never_show_anns_data(anns, bob, bobs, path, params):
    before = anns.state()
    params = {name: str(value).format(**anns.ids()) for name, value in params.items()}
    if params.get("cursor", "").startswith("ann's"):
        params["cursor"] = _ann_cursor(anns, path, params["cursor"])

    answer = bob.api.get(path, **params)

    assert answer.status_code == 200, answer.json
    _assert_no_trace_of_ann(answer, anns)
    items = answer.json["items"]
    if path == "/pages":
        assert {item["id"] for item in items} <= bobs["page_ids"]
        assert not {item["id"] for item in items} & set(anns.page_ids)
    elif path == "/highlights":
        assert {item["id"] for item in items} <= bobs["highlight_ids"]
        assert all(item["page_id"] in bobs["page_ids"] for item in items)
    else:
        assert {item["id"] for item in items} == bobs["tag_ids"]
        ai = next(item for item in items if item["name"] == "ai")
        assert (ai["highlight_count"], ai["page_count"]) == (1, 1)  # Bob's own only
    assert anns.state() == before


def test_bob_without_data_of_his_own_sees_empty_lists(anns, bob):
    assert bob.api.get("/pages").json == {"items": [], "next_cursor": None}
    feed = bob.api.get("/highlights").json
    assert (feed["items"], feed["next_cursor"]) == ([], None)
    assert bob.api.get("/highlights", updated_after="1970-01-01T00:00:00Z").json["items"] == []
    assert bob.api.get("/tags").json == {"items": []}


# --- Same UUID, same URL: Bob gets his own ----------------------------------------------

@pytest.mark.parametrize("uuid_", [ANN_H1, ANN_TOMBSTONE, ANN_H1.upper()],
                         ids=["live highlight", "tombstone", "uppercase spelling"])
def test_put_with_anns_highlight_uuid_makes_bobs_own_highlight(anns, bob, uuid_):
    before = anns.state()
    body = _highlight(ANN_URL, "bob's quote", color="pink", note="bob's note", tags=["bob"])

    answer = bob.api.put(f"/highlights/{uuid_}", body)

    assert answer.status_code == 201, answer.json  # new for Bob, not a replace of Ann's
    mine = answer.json
    assert mine["id"] == uuid_.lower()
    assert mine["page_id"] not in anns.page_ids
    assert (mine["quote"]["exact"], mine["note"], mine["tags"]) == ("bob's quote", "bob's note", ["bob"])
    assert bob.api.get(f"/highlights/{uuid_}").json == mine
    assert anns.state() == before

    # Bob's edits and deletion of his highlight leave Ann's with the same id alone.
    assert bob.api.patch(f"/highlights/{uuid_}", {"color": "purple", "tags": ["ai"]}).status_code == 200
    assert bob.api.put(f"/highlights/{uuid_}", {**body, "note": "again"}).status_code == 200
    assert bob.api.delete(f"/highlights/{uuid_}").status_code == 204
    assert anns.state() == before
    feed = bob.api.feed()
    assert [(item["id"], item["deleted"]) for item in feed] == [(uuid_.lower(), True)]


@pytest.mark.parametrize("url", [ANN_URL, ANN_CANONICAL, ANN_CANONICAL + "#comments"])
def test_put_page_with_anns_url_makes_bobs_own_page(anns, bob, url):
    before = anns.state()

    answer = bob.api.put("/pages", {"url": url, "html": ANN_HTML.replace(ANN_MARKER, "bob"),
                                    "tags": ["mine"]})

    assert answer.status_code == 201, answer.json
    assert answer.json["id"] not in anns.page_ids
    assert answer.json["highlight_count"] == 0
    assert answer.json["tags"] == ["mine"]
    snapshot = bob.api.get(f"/pages/{answer.json['id']}/snapshot")
    assert snapshot.status_code == 200 and ANN_MARKER not in snapshot.data.decode()
    # His highlight on the same URL goes on his page, not hers.
    highlight = bob.api.put(f"/highlights/{uuid.uuid4()}", _highlight(url, "lamp"))
    assert highlight.status_code == 201
    assert highlight.json["page_id"] == answer.json["id"]
    assert anns.state() == before


def test_bob_renaming_his_tag_to_anns_tag_name_merges_nothing_of_hers(anns, bob, bobs):
    before = anns.state()
    bobs_ai = next(tag for tag in bob.api.get("/tags").json["items"] if tag["name"] == "ai")

    answer = bob.api.patch(f"/tags/{bobs_ai['id']}", {"name": "policy"})  # Ann has "policy"

    assert answer.status_code == 200, answer.json
    assert answer.json["merged"] is False
    assert answer.json["id"] == bobs_ai["id"] and answer.json["id"] not in anns.tag_ids.values()
    assert (answer.json["highlight_count"], answer.json["page_count"]) == (1, 1)
    assert anns.state() == before


def test_all_of_bobs_attempts_together_leave_anns_data_exactly_as_it_was(anns, bob, bobs):
    """The whole campaign in one go, in case one attempt prepares another."""
    before = anns.state()
    for method, template, body in ROUTES_ON_ANNS_IDS:
        assert _call(bob.api, method, template.format(**anns.ids()), body).status_code == 404
    for path, params in LIST_QUERIES:
        params = {name: str(value).format(**anns.ids()) for name, value in params.items()
                  if not str(value).startswith("ann's")}
        assert bob.api.get(path, **params).status_code == 200
    for uuid_ in (ANN_H1, ANN_H2, ANN_TOMBSTONE):
        assert bob.api.put(f"/highlights/{uuid_}", _highlight(ANN_URL, "bob")).status_code == 201
        assert bob.api.delete(f"/highlights/{uuid_}").status_code == 204
    for url in (ANN_URL, ANN_OTHER_URL):
        answer = bob.api.put("/pages", {"url": url, "title": "Bob's", "tags": ["ai", "policy"]})
        assert answer.status_code in (200, 201) and answer.json["id"] not in anns.page_ids
    for page in bob.api.get("/pages").json["items"]:
        assert bob.api.delete(f"/pages/{page['id']}").status_code == 204
    for tag in bob.api.get("/tags").json["items"]:
        assert bob.api.patch(f"/tags/{tag['id']}", {"name": "reading"}).status_code == 200
    assert anns.state() == before


# --- Revoked and bad tokens: 401 everywhere -------------------------------------------

# (method, path template, body): every API route.
ALL_ROUTES = [
    ("GET", "/me", None),
    ("PUT", "/pages", {"url": "https://example.com/new", "title": "New"}),
    ("PUT", "/pages", {"url": ANN_URL, "title": "Replaced?", "tags": []}),
    ("GET", "/pages", None),
    ("GET", "/pages/{page}", None),
    ("GET", "/pages/{page}/snapshot", None),
    ("PATCH", "/pages/{page}", BODIES["page"]),
    ("DELETE", "/pages/{page}", None),
    ("PUT", "/highlights/{highlight}", _highlight(ANN_URL, "overwritten?")),
    ("PUT", "/highlights/{new}", _highlight(ANN_URL, "new?")),
    ("GET", "/highlights/{highlight}", None),
    ("PATCH", "/highlights/{highlight}", BODIES["highlight"]),
    ("DELETE", "/highlights/{highlight}", None),
    ("GET", "/highlights", None),
    ("GET", "/tags", None),
    ("PATCH", "/tags/{tag}", BODIES["tag"]),
]


def _revoke_all_tokens_of(in_db, person) -> None:
    def revoke(session):
        user = session.get(User, person.id)
        for row in tokens.list_tokens(session, user):
            tokens.revoke_token(session, user, row.id)
        session.commit()

    in_db(revoke)


def _new_token(in_db, person) -> str:
    def make(session):
        _, token = tokens.create_token(session, session.get(User, person.id), "second")
        session.commit()
        return token

    return in_db(make)


@pytest.mark.parametrize("method, template, body", ALL_ROUTES, ids=[_route_id(r) for r in ALL_ROUTES])
def test_revoked_token_gets_401_on_every_route(anns, bob, in_db, method, template, body):
    before = anns.state()
    _revoke_all_tokens_of(in_db, anns.person)
    path = template.format(**anns.ids(), new=uuid.uuid4())

    answer = _call(anns.api, method, path, body)

    _assert_json_error(answer, 401, "unauthorized")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert "revoked" in answer.json["error"]["message"]
    _assert_no_trace_of_ann(answer, anns)
    # Nothing changed: read back with a new token. Bob's token still works.
    anns.api.token = _new_token(in_db, anns.person)
    assert anns.state() == before
    assert bob.api.get("/me").status_code == 200


def test_token_revoked_with_the_cli_stops_working_at_once(app, anns, in_db):
    token_id = in_db(lambda s: tokens.list_tokens(s, s.get(User, anns.person.id))[0].id)
    assert anns.api.get("/me").status_code == 200

    result = app.test_cli_runner().invoke(args=["tokens", "revoke", "ann", str(token_id)])

    assert result.exit_code == 0, result.output
    _assert_json_error(anns.api.get("/me"), 401, "unauthorized")
    _assert_json_error(anns.api.put("/pages", {"url": "https://example.com/x"}), 401, "unauthorized")


def test_revoking_one_token_leaves_the_users_other_tokens_working(anns, in_db):
    second = _new_token(in_db, anns.person)
    first_id = in_db(lambda s: tokens.list_tokens(s, s.get(User, anns.person.id))[0].id)

    def revoke_first(session):
        tokens.revoke_token(session, session.get(User, anns.person.id), first_id)
        session.commit()

    in_db(revoke_first)

    assert anns.api.get("/me").status_code == 401
    anns.api.token = second
    assert anns.api.get("/me").json["username"] == "ann"


BAD_AUTHORIZATION = {
    "no header": None,
    "basic scheme": "Basic {token}",
    "token alone": "{token}",
    "bearer without token": "Bearer ",
    "unknown token": "Bearer mrg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "token with a suffix": "Bearer {token}x",
    "token cut short": "Bearer {short}",
    "token without prefix": "Bearer {bare}",
    "two tokens": "Bearer {token} {token}",
}


ROUTES_IN_TURN = [  # each garbled header is tried on one of these, in turn
    ("GET", "/highlights", None),
    ("PUT", "/highlights/{new}", _highlight(ANN_URL, "new?")),
    ("DELETE", "/pages/{page}", None),
]


@pytest.mark.parametrize("authorization, method, template, body", [
    (authorization, *ROUTES_IN_TURN[i % len(ROUTES_IN_TURN)])
    for i, authorization in enumerate(BAD_AUTHORIZATION.values())
], ids=[f"{name} on {ROUTES_IN_TURN[i % 3][0]} {ROUTES_IN_TURN[i % 3][1]}" for i, name in enumerate(BAD_AUTHORIZATION)])
def test_missing_or_garbled_token_gets_401(anns, method, template, body, authorization):
    before = anns.state()
    token = anns.person.token
    headers = {}
    if authorization is not None:
        headers["Authorization"] = authorization.format(token=token, short=token[:-1], bare=token[4:])
    path = "/api/v1" + template.format(**anns.ids(), new=uuid.uuid4())

    answer = anns.api.client.open(path, method=method, headers=headers,
                                  **({"json": body} if body else {}))

    _assert_json_error(answer, 401, "unauthorized")
    _assert_no_trace_of_ann(answer, anns)
    assert anns.state() == before
