"""What the library shows beside the page list: each page's first highlights, and a tag's
highlights grouped by page."""

from datetime import timedelta

from server.models import utcnow
from server.services import highlights, library, pages, tags

from .factories import make_user, put


def texts(items) -> list[str]:
    return [h.exact for h in items]


def test_a_page_previews_its_first_live_highlights_in_reading_order(session):
    ann = make_user(session)
    start = utcnow() - timedelta(days=1)
    made = {text: put(session, ann, text, position_start=position, created_at=start + timedelta(minutes=n))
            for n, (text, position) in enumerate([("unplaced", None), ("fourth", 40), ("second", 20),
                                                  ("first", 10), ("deleted", 5), ("third", 30)])}
    highlights.delete_highlight(session, ann.id, made["deleted"].uuid)
    page = made["first"].page
    shown = library.previews(session, ann.id, [page.id])
    assert list(shown) == [page.id]
    assert texts(shown[page.id]) == ["first", "second", "third", "fourth", "unplaced"][:library.PREVIEWS]


def test_unplaced_highlights_are_previewed_after_the_placed_ones_oldest_first(session):
    ann = make_user(session)
    start = utcnow() - timedelta(days=1)
    for n, (text, position) in enumerate([("unplaced old", None), ("placed", 500), ("unplaced new", None)]):
        put(session, ann, text, position_start=position, created_at=start + timedelta(minutes=n))
    page = pages.page_for_url(session, ann.id, "https://example.com/essay")
    assert texts(library.previews(session, ann.id, [page.id])[page.id]) == ["placed", "unplaced old", "unplaced new"]


def test_previews_of_one_color_show_that_colors_first_highlights(session):
    ann = make_user(session)
    for n, color in enumerate(["yellow", "blue", "yellow", "blue", "blue", "blue"]):
        put(session, ann, f"{color} {n}", color=color, position_start=n)
    page = pages.page_for_url(session, ann.id, "https://example.com/essay")
    assert texts(library.previews(session, ann.id, [page.id], color="blue")[page.id]) == ["blue 1", "blue 3", "blue 4"]
    assert library.previews(session, ann.id, [page.id], color="pink") == {}


def test_previews_are_per_page_and_leave_out_pages_with_nothing_to_show(session):
    ann = make_user(session)
    one = put(session, ann, "on one", url="https://example.com/one").page
    two = put(session, ann, "on two", url="https://example.com/two").page
    empty = pages.page_for_url(session, ann.id, "https://example.com/empty")
    shown = library.previews(session, ann.id, [one.id, two.id, empty.id])
    assert {page_id: texts(items) for page_id, items in shown.items()} == {one.id: ["on one"], two.id: ["on two"]}
    assert library.previews(session, ann.id, []) == {}


def test_previews_come_with_their_tags(session):
    ann = make_user(session)
    page = put(session, ann, tags=["b", "A"]).page
    (preview,) = library.previews(session, ann.id, [page.id])[page.id]
    assert [tag.name for tag in preview.tags] == ["A", "b"]


def test_another_users_page_ids_preview_nothing(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    anns = put(session, ann, "ann's").page
    assert library.previews(session, bob.id, [anns.id]) == {}


def test_a_tags_highlights_are_grouped_by_page_newest_activity_first(session):
    ann = make_user(session)
    put(session, ann, "old page, second", url="https://example.com/old", tags=["ideas"], position_start=20)
    put(session, ann, "old page, first", url="https://example.com/old", tags=["Ideas"], position_start=10)
    put(session, ann, "old page, untagged", url="https://example.com/old", position_start=15)
    put(session, ann, "new page", url="https://example.com/new", tags=["ideas"], position_start=1)
    gone = put(session, ann, "deleted", url="https://example.com/gone", tags=["ideas"])
    highlights.delete_highlight(session, ann.id, gone.uuid)
    (tag,) = tags.resolve_tags(session, ann.id, ["ideas"])
    grouped = [(page.url, texts(items)) for page, items in library.highlights_by_page(session, ann.id, tag)]
    assert grouped == [("https://example.com/new", ["new page"]),
                       ("https://example.com/old", ["old page, first", "old page, second"])]


def test_a_tag_shows_only_its_owners_highlights(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    put(session, ann, "ann's", tags=["ideas"])
    put(session, bob, "bob's", tags=["ideas"])
    (anns,) = tags.resolve_tags(session, ann.id, ["ideas"])
    assert [texts(items) for _, items in library.highlights_by_page(session, ann.id, anns)] == [["ann's"]]
    assert library.highlights_by_page(session, bob.id, anns) == []
