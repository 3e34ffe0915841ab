"""A note with line breaks and Markdown, shown the same everywhere the web view shows it (real Chromium)."""

import uuid

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

NOTE = "First line\nsecond line with **bold** words\n\n- a [link](https://example.com/more)\n- <b>raw</b> tag"


@pytest.fixture
def noted(ann):
    highlight_id = str(uuid.uuid4())
    answer = ann.api.put(f"/highlights/{highlight_id}", {
        "url": "https://example.com/essay", "title": "An essay", "color": "green", "note": NOTE, "tags": ["essays"],
        "quote": {"exact": "the passage worth keeping", "prefix": "", "suffix": ""}})
    assert answer.status_code == 201, answer.json
    return answer.json


def shows_the_note(note) -> None:
    expect(note.locator("p").first).to_have_text("First line\nsecond line with bold words")
    assert note.locator("p").first.evaluate("p => p.querySelectorAll('br').length") == 1
    expect(note.locator("strong")).to_have_text("bold")
    expect(note.get_by_role("link", name="link")).to_have_attribute("href", "https://example.com/more")
    expect(note.locator("li")).to_have_text(["a link", "<b>raw</b> tag"])  # raw HTML shown as text
    for raw in ("**", "](", "- a"):
        assert raw not in note.inner_text()


def test_a_note_shows_its_line_breaks_and_markdown_everywhere(browser_page, ann, noted, watch):
    page = browser_page
    sign_in(page, ann)
    for path in ("/", f"/pages/{noted['page_id']}", "/review"):
        page.goto(path)
        shows_the_note(page.locator(".note").first)
    page.goto("/tags")
    page.get_by_role("link", name="#essays").click()
    shows_the_note(page.locator(".note").first)
    page.goto("/search?q=bold")
    note = page.locator(".result .note").first
    expect(note.locator("strong mark")).to_have_text("bold")  # the matching word marked inside the Markdown
    shows_the_note(note)
    assert watch.clean(), watch
