"""What the MCP tests share: a page with a stored copy and highlights, put in through /api/v1 as the
extension would, and calling tools with the SDK's own client."""

import json
import uuid

import anyio
from mcp import Client

PAGE_URL = "https://example.com/essays/on-margins"
PARAGRAPHS = [
    "Readers have always written in the margins of their books, arguing with the author in pencil.",
    "Some say the margin is where a reader talks back. Medieval scribes filled them with glosses and "
    "drawings of snails fighting knights, and nobody knows quite why.",
    "Montaigne kept notes at the end of each book he finished, with the date and his verdict.",
    "Some say the margin is where a reader talks back. Others say it is where a reader listens twice.",
    "Coleridge's marginalia run to six volumes; his friends lent him books in the hope he would write in them.",
]
HTML = ("<!doctype html><html><head><title>On Margins</title></head><body><article><h1>On Margins</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>")
SNAIL = "drawings of snails fighting knights"


def seed(person) -> dict:
    """The page and two highlights, put in as the person through /api/v1; their ids."""
    page = person.api.put("/pages", {"url": PAGE_URL, "html": HTML, "tags": ["reading"]}).json
    ids = {"page": page["id"], "snails": str(uuid.uuid4()), "montaigne": str(uuid.uuid4())}
    for key, exact, prefix, suffix, tags in (
        ("snails", SNAIL, "filled them with glosses and ", ", and nobody knows", ["medieval"]),
        ("montaigne", "kept notes at the end of each book", "Montaigne ", " he finished", []),
    ):
        answer = person.api.put(f"/highlights/{ids[key]}", {
            "url": PAGE_URL, "quote": {"exact": exact, "prefix": prefix, "suffix": suffix},
            "note": f"note on {key}", "tags": tags})
        assert answer.status_code == 201, answer.json
    return ids


def run_with(server, scenario):
    """Run ``await scenario(client)`` with an MCP client connected to ``server`` (a transport or parameters)."""
    async def main():
        async with Client(server) as client:
            return await scenario(client)

    return anyio.run(main)


async def call(client, tool: str, **arguments) -> dict:
    """A tool's answer, which must not be an error."""
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def refused(client, tool: str, **arguments) -> str:
    """The error message of a tool call that must fail."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.content[0].text
    return result.content[0].text
