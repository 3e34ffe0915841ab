"""Third-party Readwise clients from PyPI, pointed at a live Margins (gunicorn) instead of readwise.io.

- ``readwise`` (rwxd/pyreadwise, MIT): the fuller client (create, list books and their highlights,
  delete, raw get/post for the rest). It has no base-URL option: the address lives in ``_url``,
  set in its constructor, so ``margins_client`` sets that after constructing it.
- ``readwise-sdk`` (Stainless-generated from Readwise's OpenAPI): read-only (auth, books, highlights),
  with a real ``base_url`` option; its Pydantic models check the answers' shape.
"""

from datetime import datetime, timezone

import pytest
import readwise_sdk
import requests
from readwise import Readwise

from ..live_server import LiveServer
from .conftest import KINDLE_CLIPPINGS


@pytest.fixture(scope="module")
def live_server(app, database_url):
    with LiveServer(database_url) as server:  # ``app`` first: the schema exists before it starts
        yield server


@pytest.fixture
def token(live_server) -> str:
    return live_server.make_user("koreader")


def margins_client(server: LiveServer, token: str) -> Readwise:
    client = Readwise(token)
    client._url = server.url + "/api/v2"
    return client


def test_pyreadwise_creates_lists_exports_updates_and_deletes(live_server, token):
    client = margins_client(live_server, token)
    client.create_highlight("All warfare is based on deception.", "The Art of War", author="Sun Tzu",
                            category="books", note="Compare with Clausewitz.",
                            highlighted_at=datetime(2018, 3, 5, 22, 15, tzinfo=timezone.utc))
    client.create_highlight("A margin is where a reader talks back.", "On Margins",
                            source_url="https://example.com/essays/margins", category="articles")

    books = {book.title: book for category in ("books", "articles") for book in client.get_books(category)}
    assert set(books) == {"The Art of War", "On Margins"}
    assert books["The Art of War"].author == "Sun Tzu" and books["The Art of War"].num_highlights == 1
    (quote,) = client.get_book_highlights(books["The Art of War"].id)
    assert (quote.text, quote.note) == ("All warfare is based on deception.", "Compare with Clausewitz.")
    (article,) = client.get_book_highlights(books["On Margins"].id)
    since = max(quote.updated, article.updated)  # both pushed by now

    changed = client._request("PATCH", f"/highlights/{quote.id}/", data={"note": "Sun Tzu, 1.18"}).json()
    assert changed["note"] == "Sun Tzu, 1.18"
    export = client.get("/export/", params={"updatedAfter": since.isoformat()}).json()
    assert [(b["title"], [h["note"] for h in b["highlights"]]) for b in export["results"]] == [
        ("The Art of War", ["Sun Tzu, 1.18"])]

    client.delete(f"/highlights/{quote.id}/")
    assert list(client.get_book_highlights(books["The Art of War"].id)) == []
    with pytest.raises(requests.HTTPError) as refused:
        client.get(f"/highlights/{quote.id}/")
    assert refused.value.response.status_code == 404


def test_pyreadwise_sending_the_same_batch_twice_gives_no_duplicates(live_server, token):
    client = margins_client(live_server, token)
    batch = {"highlights": [{"text": f"Passage {n}", "title": "Meditations", "author": "Marcus Aurelius",
                             "location": n, "location_type": "page", "category": "books"} for n in range(3)]}
    first = client.post("/highlights/", batch).json()
    second = client.post("/highlights/", batch).json()
    assert first[0]["modified_highlights"] == second[0]["modified_highlights"]
    (book,) = client.get_books("books")
    assert book.num_highlights == 3


def test_a_kindle_import_and_a_push_of_the_same_book_land_on_one_page(live_server, token):
    live_server.cli(["import", "kindle", str(KINDLE_CLIPPINGS), "--user", "koreader"], check=True)
    client = margins_client(live_server, token)
    client.create_highlight("Appear weak when you are strong", "The Art of War", author="Sun Tzu",
                            category="books")
    art_of_war = [book for book in client.get_books("books") if book.title == "The Art of War"]
    assert len(art_of_war) == 1
    texts = [h.text for h in client.get_book_highlights(art_of_war[0].id)]
    assert "Appear weak when you are strong" in texts and "All warfare is based on deception." in texts


def test_readwise_sdk_checks_the_token_and_reads_pages_of_results(live_server, token):
    client = readwise_sdk.Readwise(api_key=f"Token {token}", base_url=live_server.url + "/api/v2",
                                   _strict_response_validation=True, max_retries=0)
    client.auth.check()
    margins_client(live_server, token).post("/highlights/", {"highlights": [
        {"text": f"Passage {n}", "title": "Meditations", "location": n} for n in range(3)]})
    first = client.highlights.list(page_size=2)
    assert first.count == 3 and [h.text for h in first.results] == ["Passage 0", "Passage 1"]
    assert first.next is not None and client.highlights.list(page=2, page_size=2).results[0].text == "Passage 2"
    (book,) = client.books.list().results
    assert (book.title, book.num_highlights, book.category) == ("Meditations", 3, "books")
    bad = readwise_sdk.Readwise(api_key="Token mrg_revoked-or-never-made", base_url=live_server.url + "/api/v2",
                                max_retries=0)
    with pytest.raises(readwise_sdk.AuthenticationError):
        bad.auth.check()
