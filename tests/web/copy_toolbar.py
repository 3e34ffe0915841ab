"""Highlighting in the web view's readable copy as a reader does: drag over the words, pick a color
in the toolbar that appears, type a note and tags, Save; and what the server then holds."""

from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Highlight, Page
from tests.browser import select_text


def highlight_in_copy(page, start: str, end: str, color: str, note: str, tags: str, screenshot=None) -> None:
    """``screenshot``: a path where the copy is pictured with the toolbar filled in, before Save."""
    select_text(page, start, end)
    toolbar = page.locator("#new-highlight")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("radio", name=color).check()
    toolbar.get_by_label("Note").fill(note)
    toolbar.get_by_label("Tags").fill(tags)
    if screenshot:
        page.screenshot(path=screenshot)
    with page.expect_navigation():
        toolbar.get_by_role("button", name="Save").click()


def library_of(in_db, user_id: int) -> list[tuple]:
    """Every page of the user (id, URL) with its live highlights (exact, color, note, tags, position, range)."""
    def read(session):
        return [(page.id, page.url, [
            (h.exact, h.color, h.note, sorted(t.name for t in h.tags), h.position_start, h.range_selector)
            for h in session.scalars(select(Highlight).where(Highlight.page_id == page.id,
                                                             Highlight.deleted_at.is_(None)))])
            for page in session.scalars(select(Page).where(Page.user_id == user_id).order_by(Page.id))]
    return in_db(read)
