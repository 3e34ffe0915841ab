"""Highlighting in the readable copy without the extension: the form route (owner only, bad input
refused with a message) and, in real Chromium, select → color → note and tags → Save, drawn in the
copy and held by the original page."""

import re

from playwright.sync_api import expect

from .conftest import SCREENSHOTS, sign_in
from .copy_toolbar import highlight_in_copy, library_of
from .seed import article_html

URL = "https://harbour.example/breakwater"
PARAGRAPHS = [
    "The harbour committee approved the new breakwater budget on Tuesday, after a long debate.",
    "Fishermen had waited two winters for a decision, and most of them had stopped hoping for one.",
    "The mayor said the repairs would begin in spring, once the storms of the season had passed.",
]
WORDS = {"exact": "stopped hoping", "prefix": "and most of them had ", "suffix": " for one."}


def kept_page(person) -> int:
    answer = person.api.put("/pages", {"url": URL, "title": "Harbour news", "html": article_html("Harbour news", PARAGRAPHS)})
    assert answer.status_code in (200, 201), answer.json
    return answer.json["id"]


def post_form(client, page_id: int, **fields):
    """The form posted as the signed-in person's own page would (their CSRF token, from Settings)."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings").text).group(1)
    return client.post(f"/pages/{page_id}/highlights", data={"csrf_token": csrf, **fields})


def test_the_form_puts_a_highlight_on_the_original_page_without_a_position(ann, login, in_db):
    page_id = kept_page(ann)
    answer = post_form(login(ann), page_id, **WORDS, color="green", note="Two winters!", tags="harbour, #Coast",
                       next=f"/pages/{page_id}?view=readable")
    assert answer.status_code == 302 and answer.location == f"/pages/{page_id}?view=readable"
    assert library_of(in_db, ann.id) == [(page_id, URL, [("stopped hoping", "green", "Two winters!", ["Coast", "harbour"], None, None)])]


def test_another_users_page_is_not_found_and_bad_input_says_what_to_do(ann, bob, login, in_db):
    page_id = kept_page(ann)
    assert post_form(login(bob), page_id, **WORDS, color="green").status_code == 404
    client = login(ann)
    for fields, message in (({**WORDS, "exact": "  "}, "Select the words in the readable copy first, then press Save."),
                            ({**WORDS, "color": "teal"}, "Pick one of the colors"),
                            ({**WORDS, "exact": "x" * 50_001}, "select fewer words")):
        answer = post_form(client, page_id, **fields)
        assert answer.status_code == 422 and message in answer.text
    assert library_of(in_db, ann.id) == [(page_id, URL, [])]


def test_words_selected_in_the_copy_are_highlighted_there_on_the_original_page(browser_page, ann, in_db, watch):
    page_id = kept_page(ann)
    page = browser_page
    sign_in(page, ann)
    page.goto(f"/pages/{page_id}?view=readable")
    expect(page.locator("#new-highlight")).to_be_hidden()
    highlight_in_copy(page, "waited two winters", "for a decision", "green", "Two <b>winters</b>", "harbour, #Coast",
                      screenshot=SCREENSHOTS / "web-copy-toolbar.png")
    expect(page.locator("#readable")).to_have_attribute("data-marked", "1")
    drawn = page.evaluate("() => [...CSS.highlights.get('margins-green')].map((range) => range.toString())")
    assert drawn == ["waited two winters for a decision"]
    expect(page.locator("#new-highlight")).to_be_hidden()
    assert library_of(in_db, ann.id) == [(page_id, URL, [
        ("waited two winters for a decision", "green", "Two <b>winters</b>", ["Coast", "harbour"], None, None)])]
    assert watch.clean(), watch
