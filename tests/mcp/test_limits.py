"""MCP write tools count against the API token's write limit (MARGINS_RATELIMIT_WRITES), the same count
/api/v1 and /api/v2 keep; reads do not count. Tools called in-process, as the HTTP endpoint calls them."""

import anyio
import pytest
from mcp.server.mcpserver.exceptions import ToolError

from server.mcp import tools
from server.mcp.caller import Caller, current

from .conftest import seed


def test_writes_share_the_tokens_limit_and_reads_go_on(make_app, ann):
    ids = seed(ann)
    app = make_app(MARGINS_RATELIMIT_WRITES="2 per minute")
    client = app.test_client()
    v1 = {"Authorization": f"Bearer {ann.token}"}
    assert client.patch(f"/api/v1/highlights/{ids['snails']}", headers=v1, json={"note": "v1"}).status_code == 200

    async def note(text):
        return await tools.update_highlight(highlight_id=ids["snails"], note=text)

    with app.test_request_context("/api/mcp", method="POST"):
        caller = current.set(Caller(ann.id, ann.token))
        try:
            assert anyio.run(note, "first from MCP")["note"] == "first from MCP"
            with pytest.raises(ToolError, match=r"2 per minute.*nothing was changed. Try again in \d+ seconds"):
                anyio.run(note, "one too many")
            found = anyio.run(lambda: tools.search_highlights(query="snails"))
        finally:
            current.reset(caller)
    # the highlight's row (PostgreSQL may rank the page's own row first)
    assert "first from MCP" in [result.get("note") for result in found["results"]]
