"""The MCP server over streamable HTTP (/api/mcp) on a live Margins under gunicorn, driven by the SDK's own
client, authorized by API tokens."""

import json
import os
import subprocess
import sys

import httpx2
import pytest
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy import select

from server.models import ApiToken
from server.services.tokens import hash_token

from ..live_server import LiveServer
from ..paths import REPO
from .conftest import PAGE_URL, SNAIL, call, refused, run_with, seed

TOOLS = {"search_highlights", "list_pages", "get_page", "get_highlight", "create_highlight", "update_highlight",
         "delete_highlight", "list_tags", "daily_review"}


@pytest.fixture(scope="module")
def live_server(app, database_url):
    with LiveServer(database_url) as server:  # ``app`` first: the schema exists before it starts
        yield server


@pytest.fixture
def people(live_server, ann, bob):
    """ann's and bob's tokens (the server shares the test database), and the ids of ann's ``seed``."""
    return ann.token, bob.token, seed(ann)


def connect(server: LiveServer, token: str):
    return streamable_http_client(server.url + "/api/mcp",
                                  http_client=httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}))


def test_the_tools_are_listed_with_schemas_and_descriptions(live_server, people):
    async def scenario(client):
        return (await client.list_tools()).tools

    tools = run_with(connect(live_server, people[0]), scenario)
    assert {tool.name for tool in tools} == TOOLS
    for tool in tools:
        assert len(tool.description) > 40, tool.name
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert "description" in json.dumps(schema) or name == "color", (tool.name, name)
    create = next(tool for tool in tools if tool.name == "create_highlight")
    assert create.input_schema["required"] == ["quote"]


def test_an_assistant_searches_reads_highlights_and_reviews(live_server, people):
    ann, _, ids = people

    async def scenario(client):
        found = await call(client, "search_highlights", query="snails")
        page = await call(client, "get_page", page_id=ids["page"])
        placed = await call(client, "create_highlight", url=PAGE_URL, quote="where a reader  talks BACK",
                            context_after="Others say", note="the second one", tags=["margins"])
        missing = await refused(client, "create_highlight", page_id=ids["page"], quote="where a writer talks back")
        twice = await refused(client, "create_highlight", page_id=ids["page"], quote="where a reader talks back")
        updated = await call(client, "update_highlight", highlight_id=placed["highlight_id"], color="green",
                             tags=["margins", "reading"])
        deleted = await call(client, "delete_highlight", highlight_id=ids["montaigne"])
        gone = await refused(client, "get_highlight", highlight_id=ids["montaigne"])
        review = await call(client, "daily_review")
        seen = await call(client, "daily_review", mark_seen=review["to_review"][0]["highlight_id"])
        tags = await call(client, "list_tags")
        readable = await client.read_resource(page["readable_copy"])
        return found, page, placed, missing, twice, updated, deleted, gone, review, seen, tags, readable

    found, page, placed, missing, twice, updated, deleted, gone, review, seen, tags, readable = run_with(
        connect(live_server, ann), scenario)
    hit = found["results"][0]
    assert (hit["match"], hit["highlight_id"], hit["snippet"]) == (
        "highlight", ids["snails"], "drawings of **snails** fighting knights")
    assert hit["margins_link"].startswith(live_server.url + f"/pages/{ids['page']}#h-")
    assert "#:~:text=" in hit["source_link"]
    assert [h["highlight_id"] for h in page["highlights"]] == [ids["snails"], ids["montaigne"]]  # reading order
    assert "and «drawings of snails fighting knights», and nobody" in page["highlights"][0]["passage"]
    # The quote is placed on the copy's own words, at the occurrence its context names.
    assert placed["quote"] == "where a reader talks back"
    assert "«where a reader talks back». Others say" in placed["passage"]
    assert "not in the page's stored text" in missing and "2 times" in twice
    assert (updated["color"], updated["tags"]) == ("green", ["margins", "reading"])
    assert deleted == {"deleted": ids["montaigne"]} and "No highlight" in gone
    assert len(review["to_review"]) == 2 and len(seen["done"]) == 1
    assert {t["name"]: t["highlight_count"] for t in tags["tags"]} == {"margins": 1, "medieval": 1, "reading": 1}
    text = readable.contents[0].text
    assert text.startswith("Readers have always written") and "Coleridge" in text


def test_another_users_token_sees_and_changes_none_of_the_first_users_data(live_server, people):
    _, bob, ids = people
    highlight = ids["snails"]

    async def scenario(client):
        lists = [await call(client, "search_highlights", query="snails"), await call(client, "list_pages"),
                 await call(client, "list_tags"), await call(client, "daily_review")]
        errors = [
            await refused(client, "get_page", page_id=ids["page"]),
            await refused(client, "get_page", url=PAGE_URL),
            await refused(client, "get_highlight", highlight_id=highlight),
            await refused(client, "create_highlight", page_id=ids["page"], quote=SNAIL),
            await refused(client, "create_highlight", url=PAGE_URL, quote=SNAIL),
            await refused(client, "update_highlight", highlight_id=highlight, note="mine now"),
            await refused(client, "delete_highlight", highlight_id=highlight),
            await refused(client, "daily_review", mark_seen=highlight),
        ]
        try:
            await client.read_resource(f"margins://pages/{ids['page']}/readable/1")
            errors.append("read")
        except Exception as error:  # the SDK raises the server's JSON-RPC error
            errors.append(str(error))
        return lists, errors

    lists, errors = run_with(connect(live_server, bob), scenario)
    assert lists == [{"results": [], "next_offset": None}, {"pages": [], "next_cursor": None}, {"tags": []},
                     {"to_review": [], "done": []}]
    assert all("No page" in e or "No highlight" in e for e in errors), "\n".join(errors)

    async def still_there(client):
        return await call(client, "get_highlight", highlight_id=highlight)

    assert run_with(connect(live_server, people[0]), still_there)["note"] == "note on snails"


def refusal(server: LiveServer, token: str) -> str:
    """What the client says when the server refuses its token (it must)."""
    async def scenario(client):
        return await call(client, "list_tags")

    try:
        run_with(connect(server, token), scenario)
    except Exception as error:  # the SDK's error, or an exception group holding it
        return repr(error)
    raise AssertionError(f"the token {token!r} was let in")


def test_a_bad_or_revoked_token_is_refused(live_server, people, in_db):
    ann = people[0]
    token_id = in_db(lambda session: session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(ann))))
    assert "error" in refusal(live_server, "mrg_not-a-real-token")
    assert "error" in refusal(live_server, "")
    live_server.cli(["tokens", "revoke", "ann", str(token_id)], check=True)
    assert "error" in refusal(live_server, ann)
    for headers in ({"Authorization": f"Bearer {ann}"}, {"Authorization": "Token mrg_not-a-real-token"}, {}):
        answer = httpx2.post(live_server.url + "/api/mcp", headers=headers, json={})
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "flask --app server tokens create" in answer.json()["error"]["message"]


def test_bad_arguments_get_tool_errors_and_store_nothing(live_server, people):
    ann, _, ids = people

    async def scenario(client):
        errors = [
            await refused(client, "get_page", page_id="one"),
            await refused(client, "get_highlight", highlight_id="not-a-uuid"),
            await refused(client, "create_highlight", page_id=ids["page"], quote=SNAIL, note="a\x00b"),
            await refused(client, "create_highlight", page_id=ids["page"], quote=SNAIL, color="red"),
            await refused(client, "create_highlight", page_id=ids["page"], quote="x" * 50_001),
            await refused(client, "create_highlight", page_id=ids["page"], quote=SNAIL, tags=["t"] * 101),
            await refused(client, "search_highlights", query=""),
            await refused(client, "list_pages", limit=51),
            await refused(client, "update_highlight", highlight_id=ids["snails"], tags=[""]),
        ]
        return errors, await call(client, "get_page", page_id=ids["page"])

    errors, page = run_with(connect(live_server, ann), scenario)
    assert len(errors) == 9 and all(errors)
    assert page["highlight_count"] == 2
    assert page["highlights"][0]["tags"] == ["medieval"]


def test_hostile_text_is_kept_as_text(live_server, people):
    ann, _, ids = people
    # a plain word too: PostgreSQL's parser reads "<script>alert(1)</script>" as markup, not words
    hostile = "<script>alert(1)</script> harbourmaster ' OR 1=1; -- \u202eevil"

    async def scenario(client):
        await call(client, "update_highlight", highlight_id=ids["snails"], note=hostile)
        return await call(client, "search_highlights", query="harbourmaster")

    (hit,) = run_with(connect(live_server, ann), scenario)["results"]
    assert hit["note"] == hostile


def test_malformed_or_oversized_requests_are_refused_and_the_server_goes_on(live_server, people):
    ann = people[0]
    headers = {"Authorization": f"Bearer {ann}", "Content-Type": "application/json",
               "Accept": "application/json, text/event-stream"}
    url = live_server.url + "/api/mcp"
    broken = httpx2.post(url, headers=headers, content=b'{"jsonrpc": "2.0", "id": 1, "method": ')
    assert 400 <= broken.status_code < 500 and "error" in broken.json()
    huge = httpx2.post(url, headers=headers, content=b'{"x": "' + b"x" * (17 << 20) + b'"}')
    assert huge.status_code == 413

    async def scenario(client):
        return await call(client, "list_tags")

    assert run_with(connect(live_server, ann), scenario)["tags"]


#: What an app worker does not load until an MCP request or command needs it (about 40 MB of a worker)
LOADED_ON_DEMAND = ("mcp", "pydantic", "starlette", "anyio", "markdownify")


def test_a_worker_loads_the_sdk_only_when_an_mcp_request_comes(tmp_path):
    """A worker that serves the API and the web view (and refuses an MCP request without a token) keeps the
    SDK out of its memory; the tests above show that MCP requests are served all the same."""
    script = f"""
import sys
from server import create_app
app = create_app({{"INSTANCE_PATH": {str(tmp_path)!r}, "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/m.sqlite3"}})
client = app.test_client()
assert client.get("/api/v1/me").status_code == 401 and client.post("/api/mcp").status_code == 401
print(sorted(name for name in {LOADED_ON_DEMAND!r} if name in sys.modules))
"""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("MARGINS_")}
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
