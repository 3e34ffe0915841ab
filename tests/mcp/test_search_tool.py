"""search_highlights' filters are the search's own: a narrow filter finds its highlights however many
other matches rank above them. Tools called in-process, as the HTTP endpoint calls them."""

import uuid

import anyio

from server.mcp import tools
from server.mcp.caller import Caller, current

from .conftest import PAGE_URL, seed


def test_a_color_filter_finds_the_one_match_ranked_below_hundreds_of_others(app, ann):
    seed(ann)
    for n in range(tools.SEARCH_WINDOW + 10):  # short quotes: each ranks above the long one below
        answer = ann.api.put(f"/highlights/{uuid.uuid4()}", {
            "url": f"https://example.com/snails/{n}", "quote": {"exact": f"snails number {n}"}, "color": "yellow"})
        assert answer.status_code == 201, answer.json
    buried = ("A long passage that mentions snails once among many other words about knights, scribes, "
              "monasteries, vellum, ink, candles, prayers and the long winters of the copying rooms")
    assert ann.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": PAGE_URL, "quote": {"exact": buried}, "color": "purple", "tags": ["bestiary"]}).status_code == 201

    def search(**arguments):
        with app.test_request_context("/api/mcp", method="POST"):
            caller = current.set(Caller(ann.id, ann.token))
            try:
                return anyio.run(lambda: tools.search_highlights(query="snails", **arguments))
            finally:
                current.reset(caller)

    assert [hit["quote"] for hit in search(color="purple")["results"]] == [buried]
    assert [hit["quote"] for hit in search(tag="Bestiary")["results"]] == [buried]
    assert search(color="purple", site="example.org")["results"] == []
    assert len(search(site="example.com", limit=50)["results"]) == 50
