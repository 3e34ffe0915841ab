"""Pages: one per article for each user, found by any of its URLs, listed newest activity first."""

from datetime import timedelta

import pytest

from server.models import Page, utcnow
from server.services import highlights, pages
from server.services.cursors import encode_cursor
from server.services.errors import Invalid, NotFound

from .factories import article_html, last_change, make_user, put

ARTICLE = article_html(
    "On foxes", "The quick brown fox jumps over the lazy dog, again and again, all day long. " * 4,
    canonical="https://example.com/foxes", author="Jane Doe",
)


def listed(session, user, **filters) -> list[str]:
    return [page.url for page in pages.list_pages(session, user.id, **filters)[0]]


def test_every_spelling_of_a_url_leads_to_one_page(session):
    ann = make_user(session)
    page = pages.page_for_url(session, ann.id, "https://example.com/essay?utm_source=mail&b=2&a=1", "An essay")
    for spelling in ("https://EXAMPLE.com/essay?a=1&b=2", "https://example.com:443/essay?a=1&b=2#comments",
                     "https://example.com/essay?b=2&fbclid=x&a=1"):
        assert pages.page_for_url(session, ann.id, spelling) is page
    assert (page.url_key, page.domain, page.title) == ("https://example.com/essay?a=1&b=2", "example.com", "An essay")
    assert page.snapshots == []


def test_a_title_sent_later_does_not_replace_the_one_the_page_has(session):
    ann = make_user(session)
    page = pages.page_for_url(session, ann.id, "https://example.com/a")
    assert pages.page_for_url(session, ann.id, "https://example.com/a", "First title").title == "First title"
    assert pages.page_for_url(session, ann.id, "https://example.com/a", "Second title") is page
    assert page.title == "First title"


def test_a_url_that_cannot_be_kept_is_refused_on_the_url_field(session):
    ann = make_user(session)
    for url in ("ftp://example.com/file", "not a url", "javascript:alert(1)"):
        with pytest.raises(Invalid) as refused:
            pages.page_for_url(session, ann.id, url)
        assert list(refused.value.fields) == ["url"]


def test_the_same_url_makes_a_page_for_each_user(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    anns = pages.page_for_url(session, ann.id, "https://example.com/a")
    bobs = pages.page_for_url(session, bob.id, "https://example.com/a")
    assert anns.id != bobs.id
    with pytest.raises(NotFound):
        pages.get_page(session, bob.id, anns.id)


@pytest.mark.parametrize("page_id", [0, -5, 2**31, 2**63 + 1])
def test_an_id_no_page_can_have_is_simply_not_found(session, page_id):
    with pytest.raises(NotFound) as refused:
        pages.get_page(session, make_user(session).id, page_id)
    assert "GET /api/v1/pages lists yours" in refused.value.message


def test_html_gives_the_page_its_metadata_and_its_canonical_url_as_another_way_in(session):
    ann = make_user(session)
    page, created = pages.upsert_page(session, ann.id, "https://example.com/foxes?from=feed", html=ARTICLE)
    assert created
    assert (page.title, page.author, page.canonical_url) == ("On foxes", "Jane Doe", "https://example.com/foxes")
    assert page.word_count > 50
    # A highlight made on the canonical URL lands on the same page.
    assert put(session, ann, url="https://example.com/foxes").page_id == page.id
    again, created_again = pages.upsert_page(session, ann.id, "https://example.com/foxes")
    assert (again.id, created_again) == (page.id, False)


def test_a_page_met_first_by_its_canonical_url_is_found_from_its_other_url_after_a_capture(session):
    ann = make_user(session)
    first = pages.page_for_url(session, ann.id, "https://example.com/foxes")
    page, created = pages.upsert_page(session, ann.id, "https://m.example.com/foxes-mobile", html=ARTICLE)
    assert (page.id, created) == (first.id, False)
    assert pages.page_for_url(session, ann.id, "https://m.example.com/foxes-mobile") is first


def test_a_later_capture_missing_some_metadata_keeps_what_the_page_had(session):
    ann = make_user(session)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/foxes", html=ARTICLE)
    bare = article_html("On foxes, revised", "Foxes are quick and brown and clever animals of the woods. " * 4)
    pages.upsert_page(session, ann.id, "https://example.com/foxes", html=bare)
    assert (page.title, page.author) == ("On foxes, revised", "Jane Doe")
    assert len(page.snapshots) == 2


def test_a_renamed_page_keeps_its_name_through_later_captures(session):
    ann = make_user(session)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/foxes", html=ARTICLE)
    pages.update_page(session, ann.id, page.id, title="My fox notes")
    pages.upsert_page(session, ann.id, "https://example.com/foxes",
                      html=article_html("Another title", "A changed article about foxes and their dens. " * 4))
    assert page.title == "My fox notes"


def test_tags_given_with_a_page_replace_its_tags_and_none_leaves_them(session):
    ann = make_user(session)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/a", tags=["b", "A"])
    assert [t.name for t in page.tags] == ["A", "b"]
    pages.upsert_page(session, ann.id, "https://example.com/a")
    assert [t.name for t in page.tags] == ["A", "b"]
    pages.upsert_page(session, ann.id, "https://example.com/a", tags=[])
    assert page.tags == []


def test_the_library_lists_newest_activity_first(session):
    ann = make_user(session)
    for name in ("a", "b", "c"):
        pages.page_for_url(session, ann.id, f"https://example.com/{name}")
        put(session, ann, url=f"https://example.com/{name}", uuid=f"00000000-0000-4000-8000-00000000000{name}")
    highlights.patch_highlight(session, ann.id, "00000000-0000-4000-8000-00000000000a", note="again")
    assert listed(session, ann) == ["https://example.com/a", "https://example.com/c", "https://example.com/b"]


def test_pages_with_the_same_activity_time_page_through_without_gaps_or_repeats(session):
    ann = make_user(session)
    moment = utcnow()
    for n in range(7):
        pages.page_for_url(session, ann.id, f"https://example.com/{n}").updated_at = moment
    pages.page_for_url(session, ann.id, "https://example.com/older").updated_at = moment - timedelta(seconds=1)
    session.flush()
    seen, cursor = [], None
    while True:
        batch, cursor = pages.list_pages(session, ann.id, cursor=cursor, limit=3)
        seen += [page.url for page in batch]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8
    assert seen[-1] == "https://example.com/older"


@pytest.mark.parametrize("cursor", [encode_cursor("yesterday", 5), encode_cursor("2026-11-23T10:00:00", 5),
                                    encode_cursor("2026-11-23T10:00:00+00:00", 2**31), "junk"])
def test_a_page_cursor_not_made_here_is_refused(session, cursor):
    with pytest.raises(Invalid) as refused:
        pages.list_pages(session, make_user(session).id, cursor=cursor)
    assert refused.value.fields == {"cursor": ["invalid cursor"]}


def test_the_site_filter_takes_subdomains_and_ignores_www_but_not_lookalikes(session):
    ann = make_user(session)
    for url in ("https://www.example.com/a", "https://blog.example.com/b", "https://notexample.com/c",
                "https://example.com.evil.net/d"):
        pages.page_for_url(session, ann.id, url)
    assert sorted(listed(session, ann, domain="www.Example.com")) == [
        "https://blog.example.com/b", "https://www.example.com/a"]
    assert listed(session, ann, domain="blog.example.com") == ["https://blog.example.com/b"]


def test_the_text_filter_looks_in_titles_and_urls_and_takes_wildcards_literally(session):
    ann = make_user(session)
    pages.page_for_url(session, ann.id, "https://example.com/rates", "Rates rose 100% this year")
    pages.page_for_url(session, ann.id, "https://example.com/more", "Rates rose 1000 times")
    pages.page_for_url(session, ann.id, "https://example.com/snake_case")
    assert listed(session, ann, q="100%") == ["https://example.com/rates"]
    assert listed(session, ann, q="SNAKE_") == ["https://example.com/snake_case"]


def test_the_tag_and_color_filters_see_a_page_through_its_live_highlights(session):
    ann = make_user(session)
    pages.upsert_page(session, ann.id, "https://example.com/tagged-page", tags=["ideas"])
    put(session, ann, url="https://example.com/tagged-highlight", tags=["Ideas"], color="blue")
    gone = put(session, ann, url="https://example.com/deleted-highlight", tags=["ideas"], color="blue")
    highlights.delete_highlight(session, ann.id, gone.uuid)
    assert sorted(listed(session, ann, tag=" IDEAS ")) == [
        "https://example.com/tagged-highlight", "https://example.com/tagged-page"]
    assert listed(session, ann, color="blue") == ["https://example.com/tagged-highlight"]


def test_a_users_library_holds_only_their_pages(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    put(session, ann, url="https://example.com/anns", tags=["shared"], color="pink")
    put(session, bob, url="https://example.com/bobs", tags=["shared"], color="pink")
    for filters in ({}, {"tag": "shared"}, {"color": "pink"}, {"domain": "example.com"}, {"q": "example"}):
        assert listed(session, bob, **filters) == ["https://example.com/bobs"], filters


def test_a_pages_highlights_come_in_reading_order_unplaced_ones_last_by_age(session):
    ann = make_user(session)
    start = utcnow() - timedelta(days=1)
    made = [put(session, ann, text, position_start=position, created_at=start + timedelta(minutes=n)).exact
            for n, (text, position) in enumerate([("unplaced old", None), ("third", 300), ("first", 10),
                                                  ("unplaced new", None), ("second", 20)])]
    gone = put(session, ann, "deleted", position_start=5)
    highlights.delete_highlight(session, ann.id, gone.uuid)
    page = pages.page_for_url(session, ann.id, "https://example.com/essay")
    assert [h.exact for h in pages.page_highlights(session, page)] == [
        "first", "second", "third", "unplaced old", "unplaced new"]
    assert pages.highlight_counts(session, [page.id]) == {page.id: len(made)}


def test_renaming_a_page_marks_it_renamed_and_brings_it_to_the_top(session):
    ann = make_user(session)
    first = pages.page_for_url(session, ann.id, "https://example.com/first", "First")
    pages.page_for_url(session, ann.id, "https://example.com/second", "Second")
    pages.update_page(session, ann.id, first.id, title="Renamed")
    assert (first.title, first.title_edited) == ("Renamed", True)
    assert listed(session, ann)[0] == "https://example.com/first"


def test_deleting_a_page_buries_its_highlights_and_forgets_its_urls(session):
    ann = make_user(session)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/foxes?from=feed", html=ARTICLE)
    kept = put(session, ann, "elsewhere", url="https://example.com/other")
    on_page = [put(session, ann, text, url="https://example.com/foxes").uuid for text in ("one", "two")]
    pages.delete_page(session, ann.id, page.id)

    assert session.get(Page, page.id) is None
    buried = highlights.feed(session, ann.id).items
    assert [(h.uuid, h.deleted, h.page_id) for h in buried] == [
        (kept.uuid, False, kept.page_id), *((uuid, True, None) for uuid in on_page)]
    assert last_change(session, ann) == 5
    # Neither the URL it was saved with nor its canonical URL leads to it any more.
    assert pages.page_for_url(session, ann.id, "https://example.com/foxes?from=feed").id != page.id


def test_nobody_changes_or_deletes_another_users_page(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    page = put(session, ann, url="https://example.com/anns").page
    with pytest.raises(NotFound):
        pages.update_page(session, bob.id, page.id, title="bob's now")
    with pytest.raises(NotFound):
        pages.delete_page(session, bob.id, page.id)
    assert pages.get_page(session, ann.id, page.id).title is None
    assert pages.highlight_counts(session, [page.id]) == {page.id: 1}
