"""The readable copy with the extension installed, in headless Chromium against a real Margins server:
the extension leaves the Margins page alone (no toolbar of its own, no second page), the web view's
toolbar saves the highlight on the original page, and the extension draws it on the live article."""

from tests.browser import api, article_html, drawn_highlights, wait_for
from tests.extension.reader import drawn, followed_feed, live_items
from tests.web.conftest import sign_in
from tests.web.copy_toolbar import highlight_in_copy


def test_a_highlight_made_in_the_copy_is_drawn_on_the_live_page(browser, margins, reader, pages, article):
    title, paragraphs = article
    pages.pages["/frontier.html"] = article_html(title, paragraphs)
    url = pages.url + "/frontier.html"
    status, kept = api(margins.url, reader.token, "PUT", "/pages",
                       {"url": url, "title": title, "html": pages.pages["/frontier.html"]})
    assert status == 201, kept

    page = browser.context.new_page()
    sign_in(page, reader, margins.url)
    page.goto(f"{margins.url}/pages/{kept['id']}?view=readable")
    page.wait_for_selector("#readable[data-marked='0']")
    highlight_in_copy(page, "This new era is characterized", "funding rounds", "green", "Compare rounds.", "ai")
    page.wait_for_selector("#readable[data-marked='1']")
    assert drawn_highlights(page) == {"green": 1}  # drawn once, by the web view alone
    assert page.locator("margins-toolbar").count() == 0

    [item] = live_items(margins, reader)
    assert (item["page_id"], item["color"], item["note"], item["tags"]) == (kept["id"], "green", "Compare rounds.", ["ai"])
    assert item["position"] is None and item["range"] is None
    status, library = api(margins.url, reader.token, "GET", "/pages")
    assert status == 200 and [(p["id"], p["url"]) for p in library["items"]] == [(kept["id"], url)]

    followed_feed(browser, margins, reader)  # as the extension does from time to time
    live = browser.context.new_page()
    live.goto(url)
    drawn(live, {"green": 1}, "the copy's highlight on the live page")
    text = live.evaluate("() => [...CSS.highlights.get('margins-green')].map((range) => range.toString()).join('')")
    assert text.startswith("This new era is characterized") and text.endswith("monumental funding rounds")
    wait_for(lambda: len(live_items(margins, reader)) == 1, message="still one highlight")
