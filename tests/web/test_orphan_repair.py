"""Repairing an orphan in the readable copy, in real Chromium against the real server: a
highlight whose paragraph is gone while a look-alike sentence stands elsewhere is not drawn
but listed with that possible match; accepting it draws it there, "Attach here" attaches it
to selected words; the server keeps the old quote in the highlight's history."""

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from server.models import Highlight

from .conftest import sign_in
from .seed import article_html

QUOTE = "The harbour committee approved the new breakwater budget on Tuesday"
LOOK_ALIKE = "The harbour committee approved the new seawall budget on Thursday"
PARAGRAPHS = [
    "Fishermen had waited two winters for a decision, and most of them had stopped hoping for one.",
    f"In other news from the coast, a reader wrote that {LOOK_ALIKE}, which is not what happened.",
    "The mayor said the repairs would begin in spring, once the storms of the season had passed.",
]


def put_orphan(person, url: str) -> str:
    """A page whose kept copy lost the highlighted paragraph; the highlight, with a note and a tag."""
    answer = person.api.put("/pages", {"url": url, "title": "Harbour news", "html": article_html("Harbour news", PARAGRAPHS)})
    assert answer.status_code in (200, 201), answer.json
    highlight_id = str(uuid.uuid4())
    answer = person.api.put(f"/highlights/{highlight_id}", {
        "url": url, "quote": {"exact": QUOTE, "prefix": "with the paragraph it came from. ", "suffix": ", after a long and heated debate"},
        "color": "green", "note": "Check the figures.", "tags": ["harbour"]})
    assert answer.status_code == 201, answer.json
    return answer.json["page_id"], highlight_id


def stored(in_db, highlight_id):
    def read(session):
        highlight = session.scalar(select(Highlight).where(Highlight.uuid == highlight_id))
        return highlight.exact, highlight.note, [t.name for t in highlight.tags], highlight.color, [h.exact for h in highlight.history]
    return in_db(read)


def test_a_look_alike_is_offered_not_drawn_and_accepting_it_attaches_the_highlight(browser_page, ann, in_db, watch):
    page_id, highlight_id = put_orphan(ann, "https://harbour.example/news")
    sign_in(browser_page, ann)
    page = browser_page
    page.goto(f"/pages/{page_id}?view=readable")
    expect(page.locator("#readable")).to_have_attribute("data-marked", "0")
    orphan = page.locator(f'#orphan-list li[data-uuid="{highlight_id}"]')
    expect(orphan.locator(".possible q")).to_have_text(LOOK_ALIKE)
    orphan.get_by_role("button", name="Accept the possible match").click()
    expect(page.locator("#readable")).to_have_attribute("data-marked", "1")
    expect(page.locator(f'#orphan-list li[data-uuid="{highlight_id}"]')).to_have_count(0)
    assert stored(in_db, highlight_id) == (LOOK_ALIKE, "Check the figures.", ["harbour"], "green", [QUOTE])
    page.goto(f"/pages/{page_id}")
    expect(page.locator(f"#h-{highlight_id} .history")).to_contain_text(QUOTE)
    assert watch.clean(), watch


def test_attach_here_attaches_the_highlight_to_the_selected_words(browser_page, ann, in_db, watch):
    page_id, highlight_id = put_orphan(ann, "https://harbour.example/more")
    sign_in(browser_page, ann)
    page = browser_page
    page.goto(f"/pages/{page_id}?view=readable")
    orphan = page.locator(f'#orphan-list li[data-uuid="{highlight_id}"]')
    orphan.get_by_role("button", name="Attach here").click()
    expect(orphan.locator(".attach-hint")).to_have_text("Select the words in the copy above first.")
    chosen = "the repairs would begin in spring"
    page.evaluate("""(words) => {
      const paragraph = [...document.querySelectorAll('#readable p')].find((p) => p.textContent.includes(words));
      const text = paragraph.firstChild;
      const at = text.data.indexOf(words);
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + words.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }""", chosen)
    orphan.get_by_role("button", name="Attach here").click()
    expect(page.locator("#readable")).to_have_attribute("data-marked", "1")
    assert stored(in_db, highlight_id) == (chosen, "Check the figures.", ["harbour"], "green", [QUOTE])
    page.reload()
    expect(page.locator("#readable")).to_have_attribute("data-marked", "1")
    drawn = page.evaluate("() => [...CSS.highlights.get('margins-green')].map((range) => range.toString())")
    assert drawn == [chosen]
    assert watch.clean(), watch
