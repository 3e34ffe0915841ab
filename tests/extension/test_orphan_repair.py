"""Orphans repaired from the popup, in headless Chromium with the built extension, against a
real Margins server: a highlight whose paragraph is gone while a look-alike sentence stands
elsewhere is not drawn, but listed with that possible match; Accept draws it there and sends
it; Attach here attaches an orphan to the words selected on the page, drawn again after a
reload; the server keeps the old quotes."""

from sqlalchemy import select

from server.models import Highlight
from tests.browser import article_html, drawn_highlights, feed, select_text, wait_for
from tests.extension.toolbar import Toolbar

QUOTE = "The harbour committee approved the new breakwater budget on Tuesday"
LOOK_ALIKE = "The harbour committee approved the new seawall budget on Thursday"
GONE = "Nobody could say where the money for those repairs would come from"
PARAGRAPHS = [
    "Fishermen had waited two winters for a decision, and most of them had stopped hoping for one.",
    f"{QUOTE}, after a long and heated debate about the fees charged to small boats.",
    "The mayor said the repairs would begin in spring, once the storms of the season had passed.",
    f"{GONE}, least of all the mayor, who had promised lower taxes.",
    "In the end the council postponed its decision on the fees until the summer session.",
]


def items(margins, person, url):
    return {item["id"]: item for item in feed(margins.url, person.token, url=url) if not item["deleted"]}


def test_an_orphan_with_a_look_alike_is_not_drawn_and_is_repaired_from_the_popup(browser, margins, reader, pages, in_db):
    pages.pages["/harbour.html"] = article_html("Harbour news", PARAGRAPHS)
    url = pages.url + "/harbour.html"
    page = browser.context.new_page()
    page.goto(url)
    for quote in (QUOTE, GONE):
        words = quote.split()
        select_text(page, " ".join(words[:2]), " ".join(words[-2:]))
        toolbar = Toolbar(page)
        toolbar.click(".swatch[data-color=green]")
        toolbar.wait_for("textarea")
        page.keyboard.press("Escape")
    wait_for(lambda: len(items(margins, reader, url)) == 2, message="two highlights on the server")
    by_quote = {item["quote"]["exact"]: item["id"] for item in items(margins, reader, url).values()}

    # Both paragraphs gone; a sentence like the first now ends the last paragraph.
    changed = [p for p in PARAGRAPHS if QUOTE not in p and GONE not in p]
    changed[-1] += f" A reader wrote that {LOOK_ALIKE}, which is not what happened."
    pages.pages["/harbour.html"] = article_html("Harbour news", changed)
    page.reload()
    wait_for(lambda: page.evaluate("() => document.readyState") == "complete", message="loaded")
    popup = browser.open_popup(url)
    orphan = popup.locator(f'#orphans li[data-id="{by_quote[QUOTE]}"]')
    orphan.locator(".possible").wait_for()
    assert orphan.locator(".possible").inner_text() == f"Possible match: “{LOOK_ALIKE}”"
    assert drawn_highlights(page) == {}, "neither is drawn on the page"

    orphan.get_by_role("button", name="Accept").click()
    wait_for(lambda: drawn_highlights(page) == {"green": 1}, message="the accepted match drawn")
    wait_for(lambda: items(margins, reader, url)[by_quote[QUOTE]]["quote"]["exact"] == LOOK_ALIKE,
             message="the server has the new quote")

    # The other one: the reader selects words on the page and presses Attach here.
    select_text(page, "the repairs", "in spring")
    page.keyboard.press("Escape")  # the toolbar offered for the selection is closed; the selection stays
    popup.locator(f'#orphans li[data-id="{by_quote[GONE]}"]').get_by_role("button", name="Attach here").click()
    wait_for(lambda: items(margins, reader, url)[by_quote[GONE]]["quote"]["exact"] == "the repairs would begin in spring",
             message="attached to the selected words")
    popup.close()
    page.reload()
    wait_for(lambda: drawn_highlights(page) == {"green": 2}, message="both drawn after a reload")

    history = in_db(lambda s: {h.uuid: [old.exact for old in h.history] for h in s.scalars(select(Highlight))})
    assert history == {by_quote[QUOTE]: [QUOTE], by_quote[GONE]: [GONE]}
    page.close()
