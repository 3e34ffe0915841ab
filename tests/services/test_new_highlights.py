"""A new highlight stored in prepared Core statements (services/new_highlights.py): what it leaves
is what the ORM path leaves, the search index included, and the session knows the rows it wrote."""

from sqlalchemy import event, select

from server.db import db
from server.models import Highlight, Page, Tag
from server.services import new_highlights, pages, search

from .factories import make_user, put


def found(session, user, q: str) -> set[tuple[int, int | None]]:
    """What a search finds: (page id, highlight id), highlight id None for the page's own row."""
    return {(r.page_id, r.highlight_id) for r in search.search(session, user.id, q)}


def test_a_new_highlight_and_its_new_page_are_in_the_search_index_of_its_own_transaction(session):
    ann = make_user(session)
    session.commit()
    highlight = put(session, ann, "the quick brown fox", title="Foxes of the north", tags=["animals"])
    assert found(session, ann, "quick fox") == {(highlight.page_id, highlight.id)}
    assert found(session, ann, "north") == {(highlight.page_id, None), (highlight.page_id, highlight.id)}
    session.rollback()
    assert found(session, ann, "quick fox") == set()
    assert session.scalar(select(Highlight.id)) is None


def test_a_title_fills_an_untitled_page_and_its_highlights_are_found_by_it(session):
    ann = make_user(session)
    first = put(session, ann, "an early passage")
    assert first.page.title is None
    second = put(session, ann, "a later passage", title="Harbour lights")
    assert second.page is first.page and first.page.title == "Harbour lights"
    assert found(session, ann, "harbour") == {(first.page_id, None), (first.page_id, first.id), (first.page_id, second.id)}
    put(session, ann, "a third passage", title="Another title")
    assert session.scalar(select(Page.title)) == "Harbour lights"


def test_the_rows_written_are_the_sessions_own_and_changes_to_them_are_kept(session):
    ann = make_user(session)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/essay")
    highlight = put(session, ann, "a passage", url="https://example.com/essay?utm_source=feed", tags=["b", "A"])
    assert highlight.page is page and page.updated_at == highlight.updated_at
    assert [tag.name for tag in highlight.tags] == ["A", "b"]
    assert all(session.get(Tag, tag.id) is tag for tag in highlight.tags)
    highlight.note = "added later"
    session.commit()
    session.expire_all()
    assert session.scalar(select(Highlight.note)) == "added later"
    assert found(session, ann, "later") == {(page.id, highlight.id)}


def test_tags_are_made_once_and_found_again_by_any_case(session):
    ann = make_user(session)
    first = put(session, ann, "one", tags=["Reading", "to-check"])
    second = put(session, ann, "two", tags=["reading", " #Reading "])
    assert [tag.name for tag in second.tags] == ["Reading"]
    assert second.tags[0] is first.tags[0]
    assert session.scalars(select(Tag.name).order_by(Tag.name_key)).all() == ["Reading", "to-check"]


def test_a_new_highlight_on_a_known_page_with_known_tags_takes_eight_statements_or_fewer(session):
    ann = make_user(session)
    put(session, ann, "first", tags=["animals"])
    session.commit()
    statements = []

    def seen(connection, cursor, statement, *rest):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        put(session, ann, "second", tags=["animals"])
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    lock = db.engine.dialect.name != "sqlite"  # SELECT … FOR UPDATE of the user's row
    assert len(statements) <= 8 + lock, statements


def test_a_batch_indexes_its_new_highlights_together_at_its_end(session):
    ann = make_user(session)
    with new_highlights.indexed_at_end(session):
        first = put(session, ann, "a lantern passage")
        second = put(session, ann, "another lantern passage", uuid="3f2b5e1c-8d4a-4e6b-9c1d-2a3b4c5d6e7f")
        put(session, ann, "the lantern changed", uuid="3f2b5e1c-8d4a-4e6b-9c1d-2a3b4c5d6e7f")  # by the ORM path
        assert found(session, ann, "lantern") == {(first.page_id, second.id)}  # the ORM's flush indexed it
    assert found(session, ann, "lantern") == {(first.page_id, first.id), (first.page_id, second.id)}
    assert found(session, ann, "changed") == {(first.page_id, second.id)}
