"""``flask --app server mcp --user NAME``: the MCP server over stdio, driven by the SDK's client, which starts
it as a subprocess on the test database, as an assistant's configuration would."""

import subprocess
import sys

import pytest
from mcp import StdioServerParameters

from ..live_server import margins_environment
from ..paths import REPO
from .conftest import SNAIL, call, refused, run_with, seed


@pytest.fixture
def stdio(database_url, instance_path):
    def parameters(username: str) -> StdioServerParameters:
        return StdioServerParameters(
            command=sys.executable, args=["-m", "flask", "--app", "server", "mcp", "--user", username],
            env=margins_environment(database_url, instance_path), cwd=REPO)

    return parameters


def test_a_local_assistant_lists_searches_creates_and_deletes(stdio, ann, bob):
    ids = seed(ann)

    async def scenario(client):
        tools = {tool.name for tool in (await client.list_tools()).tools}
        found = await call(client, "search_highlights", query="snails", color="yellow", tag="medieval")
        none = await call(client, "search_highlights", query="snails", color="blue")
        page = await call(client, "get_page", page_id=ids["page"])
        placed = await call(client, "create_highlight", page_id=ids["page"], quote="Montaigne kept notes",
                            note="a habit worth keeping")
        missing = await refused(client, "create_highlight", page_id=ids["page"], quote="Montaigne kept no notes")
        deleted = await call(client, "delete_highlight", highlight_id=placed["highlight_id"])
        return tools, found, none, page, placed, missing, deleted

    tools, found, none, page, placed, missing, deleted = run_with(stdio("ann"), scenario)
    assert {"search_highlights", "create_highlight", "daily_review"} <= tools
    assert [hit["quote"] for hit in found["results"]] == [SNAIL] and none["results"] == []
    assert page["highlight_count"] == 2 and page["highlights"][0]["margins_link"].startswith("/pages/")
    assert placed["quote"] == "Montaigne kept notes" and "«Montaigne kept notes» at the end" in placed["passage"]
    assert "not in the page's stored text" in missing
    assert deleted == {"deleted": placed["highlight_id"]}

    async def as_bob(client):
        return await call(client, "list_pages"), await refused(client, "get_page", page_id=ids["page"])

    pages, error = run_with(stdio("bob"), as_bob)
    assert pages["pages"] == [] and "No page" in error


def test_an_unknown_user_is_refused_with_the_command_that_makes_one(database_url, instance_path):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "server", "mcp", "--user", "nobody"],
                            env=margins_environment(database_url, instance_path), cwd=REPO,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and result.stdout == ""
    assert "flask --app server users create nobody" in result.stderr
