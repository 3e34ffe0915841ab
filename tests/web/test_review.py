"""Editing a note during the review (real Chromium): the caret at the end, and nothing typed is lost."""

import re
import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Highlight

from .conftest import sign_in


def test_a_note_edited_in_the_review_is_continued_and_never_dropped(browser_page, ann, in_db, watch):
    highlight_id = str(uuid.uuid4())
    ann.api.put(f"/highlights/{highlight_id}", {"url": "https://example.com/a", "note": "First thought",
                                                "quote": {"exact": "a passage to review"}})
    ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": "https://example.com/b", "quote": {"exact": "another one"}})
    page = browser_page
    sign_in(page, ann)
    page.goto("/review")
    page.wait_for_selector("html[data-enhanced]", state="attached")
    expect(page.locator(".review-card .highlight")).to_have_attribute("data-uuid", highlight_id)

    page.keyboard.press("e")
    note = page.locator(f"#note-{highlight_id}")
    expect(note).to_be_focused()
    page.keyboard.type(", and a second")  # the caret is at the end: typing goes on from there
    expect(note).to_have_value("First thought, and a second")

    page.locator("#open-page").click()  # leaving with the edit unsaved asks; dismissing stays
    expect(note).to_have_value("First thought, and a second")
    assert watch.dialogs == ["beforeunload: "], watch
    assert page.url.endswith("/review")

    page.locator("h1").click()
    page.keyboard.press("n")  # moving on saves the edit first
    expect(page.locator(".progress")).to_have_text("1 of 2 reviewed today")
    expect(page.locator(".seen")).to_contain_text("a passage to review")
    saved = in_db(lambda s: s.scalar(select(Highlight.note).where(Highlight.uuid == highlight_id)))
    assert saved == "First thought, and a second"
    expect(page).to_have_url(re.compile(r"/review$"))
    assert not watch.errors and not watch.beacons, watch
