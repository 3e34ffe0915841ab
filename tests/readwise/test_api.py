"""The Readwise-compatible API (/api/v2) as reading apps use it: push, list, change, export."""

from sqlalchemy import func, select

from server.models import Highlight, Page
from server.services import importing

from .conftest import ARTICLE, BOOK, KINDLE_CLIPPINGS


def test_a_good_token_is_204_and_anything_else_401(readwise, ann, client):
    assert readwise(ann).get("/auth/").status_code == 204
    assert client.get("/api/v2/auth/", headers={"Authorization": f"Bearer {ann.token}"}).status_code == 204
    for headers in ({}, {"Authorization": "Token mrg_not-a-real-token"}, {"Authorization": f"Basic {ann.token}"}):
        answer = client.get("/api/v2/auth/", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Token")
        assert "token" in answer.json["detail"].lower()


def test_a_push_lands_on_a_book_and_an_article_and_answers_with_their_highlight_ids(readwise, ann):
    answer = readwise(ann).push(
        {**BOOK, "text": "All warfare is based on deception.", "location": 180, "location_type": "location",
         "note": "Compare with Clausewitz.", "highlighted_at": "2018-03-05T22:15:02Z"},
        {**BOOK, "text": "Let your plans be dark", "location": 301},
        {**ARTICLE, "text": "A margin is where a reader talks back."},
    )
    assert answer.status_code == 200, answer.json
    book, article = answer.json
    assert (book["title"], book["author"], book["category"], book["source_url"]) == (
        "The Art of War", "Sun Tzu", "books", None)
    assert len(book["modified_highlights"]) == 2 and book["num_highlights"] == 2
    assert (article["category"], article["source_url"]) == ("articles", "https://example.com/essays/margins")
    first = readwise(ann).get(f"/highlights/{book['modified_highlights'][0]}/").json
    assert (first["text"], first["note"], first["location"], first["book_id"]) == (
        "All warfare is based on deception.", "Compare with Clausewitz.", 180, book["id"])
    assert first["highlighted_at"] == "2018-03-05T22:15:02.000000Z"


def test_the_same_batch_twice_gives_no_duplicates_and_keeps_what_the_user_changed(readwise, ann, in_db):
    api = readwise(ann)
    batch = [{**BOOK, "text": "All warfare is based on deception.", "location": 180},
             {**ARTICLE, "text": "A margin is where a reader talks back."}]
    first = api.push(*batch).json
    highlight_id = first[0]["modified_highlights"][0]
    assert api.patch(f"/highlights/{highlight_id}/", {"color": "blue"}).status_code == 200
    assert api.post(f"/highlights/{highlight_id}/tags/", {"name": "strategy"}).status_code == 201
    again = api.push(*batch).json
    assert [b["modified_highlights"] for b in again] == [b["modified_highlights"] for b in first]
    assert in_db(lambda s: s.scalar(select(func.count()).select_from(Highlight))) == 2
    kept = api.get(f"/highlights/{highlight_id}/").json
    assert (kept["color"], [t["name"] for t in kept["tags"]]) == ("blue", ["strategy"])
    # A new note for the same highlight updates it; the same text elsewhere in the book is another one.
    api.push({**BOOK, "text": "All warfare is based on deception.", "location": 180, "note": "Sun Tzu 1.18"},
             {**BOOK, "text": "All warfare is based on deception.", "location": 950})
    assert api.get(f"/highlights/{highlight_id}/").json["note"] == "Sun Tzu 1.18"
    assert api.get("/highlights/").json["count"] == 3


def test_a_kindle_import_and_a_push_of_the_same_book_meet_on_one_page(readwise, ann, in_db, app):
    def import_kindle(session):
        importing.import_file(session, ann.id, "kindle", KINDLE_CLIPPINGS.read_bytes())
        session.commit()

    in_db(import_kindle)
    book = readwise(ann).push({**BOOK, "text": "Appear weak when you are strong", "location": 12,
                               "location_type": "page"}).json[0]
    assert book["num_highlights"] == 3  # two from Kindle, one pushed
    same_title = select(func.count()).select_from(Page).where(Page.title == "The Art of War")
    assert in_db(lambda s: s.scalar(same_title)) == 1
    listed = readwise(ann).get("/highlights/", book_id=book["id"]).json["results"]
    assert {h["text"].split(",")[0] for h in listed} == {  # Kindle kept the extended highlight
        "All warfare is based on deception.", "Let your plans be dark and impenetrable as night",
        "Appear weak when you are strong"}


def test_lists_page_by_number_and_filter_by_time(readwise, ann):
    api = readwise(ann)
    api.push(*({**BOOK, "text": f"Passage {n}", "location": n} for n in range(5)))
    first = api.get("/highlights/", page_size=2).json
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = api.get("/highlights/", page_size=2, page=3).json
    assert [h["text"] for h in last["results"]] == ["Passage 4"] and last["next"] is None
    moment = last["results"][0]["updated"]
    assert api.get("/highlights/", updated__gt=moment).json["count"] == 0
    assert api.get("/highlights/", updated__lt=moment).json["count"] == 4
    books = api.get("/books/", category="books").json
    assert books["count"] == 1 and books["results"][0]["num_highlights"] == 5
    assert api.get("/books/", category="articles").json["count"] == 0


def test_export_nests_highlights_in_books_and_follows_updated_after(readwise, ann):
    api = readwise(ann)
    api.push({**BOOK, "text": "All warfare is based on deception.", "location": 180})
    article = api.push({**ARTICLE, "text": "A margin is where a reader talks back."}).json[0]
    everything = api.get("/export/").json
    assert [b["title"] for b in everything["results"]] == ["The Art of War", "On Margins"]
    assert everything["nextPageCursor"] is None
    moment = api.get(f"/highlights/{article['modified_highlights'][0]}/").json["updated"]
    book_id = everything["results"][0]["user_book_id"]
    changed = api.patch(f"/highlights/{everything['results'][0]['highlights'][0]['id']}/", {"note": "Ch. 1"})
    assert changed.status_code == 200
    later = api.get("/export/", updatedAfter=moment).json["results"]
    assert [(b["user_book_id"], [h["note"] for h in b["highlights"]]) for b in later] == [(book_id, ["Ch. 1"])]
    assert [b["title"] for b in api.get("/export/", ids=str(article["id"])).json["results"]] == ["On Margins"]


def test_delete_leaves_nothing_listed_and_a_tag_comes_off(readwise, ann):
    api = readwise(ann)
    ids = api.push({**BOOK, "text": "One", "location": 1}, {**BOOK, "text": "Two", "location": 2}).json[0][
        "modified_highlights"]
    tag = api.post(f"/highlights/{ids[0]}/tags/", {"name": "Favorites"}).json
    assert api.get(f"/highlights/{ids[0]}/tags/").json["results"] == [tag]
    assert api.delete(f"/highlights/{ids[0]}/tags/{tag['id']}/").status_code == 204
    assert api.get(f"/highlights/{ids[0]}/tags/").json["results"] == []
    assert api.delete(f"/highlights/{ids[1]}/").status_code == 204
    assert api.get(f"/highlights/{ids[1]}/").status_code == 404
    assert [h["id"] for h in api.get("/highlights/").json["results"]] == [ids[0]]


def test_another_users_token_sees_and_changes_nothing(readwise, ann, bob):
    mine = readwise(ann).push({**BOOK, "text": "Mine", "location": 1}).json[0]
    highlight_id = mine["modified_highlights"][0]
    theirs = readwise(bob)
    assert theirs.get("/highlights/").json["count"] == 0
    assert theirs.get("/books/").json["count"] == 0
    assert theirs.get("/export/", ids=str(mine["id"])).json["results"] == []
    for answer in (theirs.get(f"/highlights/{highlight_id}/"), theirs.get(f"/books/{mine['id']}/"),
                   theirs.patch(f"/highlights/{highlight_id}/", {"note": "mine now"}),
                   theirs.delete(f"/highlights/{highlight_id}/"),
                   theirs.post(f"/highlights/{highlight_id}/tags/", {"name": "x"}),
                   theirs.get(f"/highlights/{highlight_id}/tags/")):
        assert answer.status_code == 404, answer.json
    # The same book pushed by bob is bob's own page.
    assert theirs.push({**BOOK, "text": "Mine", "location": 1}).json[0]["id"] != mine["id"]
    assert readwise(ann).get(f"/highlights/{highlight_id}/").json["note"] == ""


def test_koreaders_push_lands_as_it_sends_it(client, ann):
    """KOReader's Readwise exporter: no trailing slash, page numbers as 'order', a missing note and author."""
    answer = client.post("/api/v2/highlights", headers={"Authorization": f"Token {ann.token}"}, json={"highlights": [
        {"text": "It was a bright cold day in April", "title": "Nineteen Eighty-Four", "source_type": "koreader",
         "category": "books", "location": 1, "location_type": "order", "highlighted_at": "2026-11-30T21:04:00Z"},
        {"text": "and the clocks were striking thirteen.", "title": "Nineteen Eighty-Four", "author": "George Orwell",
         "note": "", "source_type": "koreader", "category": "books", "location": 1, "location_type": "order",
         "highlighted_at": "2026-11-30T21:05:00Z"}]})
    assert answer.status_code == 200, answer.json
    assert [(b["title"], b["author"], b["source"], b["num_highlights"]) for b in answer.json] == [
        ("Nineteen Eighty-Four", None, "koreader", 1), ("Nineteen Eighty-Four", "George Orwell", "koreader", 1)]


def test_a_pdf_highlight_has_its_page_as_location_and_a_pushed_page_is_kept_as_one(readwise, ann):
    url = "https://example.com/paper.pdf"
    made = ann.api.put("/highlights/3c3c3c3c-0000-4000-8000-000000000001", {
        "url": url, "quote": {"exact": "over the page break"}, "pages": {"first": 3, "last": 4}})
    assert made.status_code == 201, made.json
    [listed] = readwise(ann).get("/highlights/").json["results"]
    assert (listed["location"], listed["location_type"], listed["url"]) == (3, "page", f"{url}#page=3")
    [exported] = [h for book in readwise(ann).get("/export/").json["results"] for h in book["highlights"]]
    assert (exported["location"], exported["end_location"]) == (3, 4)
    readwise(ann).push({"text": "a passage on page seven", "source_url": url, "location": 7, "location_type": "page"})
    pages = {item["quote"]["exact"]: item["pages"] for item in ann.api.feed()}
    assert pages["a passage on page seven"] == {"first": 7, "last": 7}
