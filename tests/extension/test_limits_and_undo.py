"""Where the extension cannot or must not highlight, and undo, in Chromium with
the built extension and a real Margins server: the popup says why on a
browser page and a page with a closed shadow root; the Margins server's
own pages (its readable copy) are never recorded as web pages; a delete made
on the page comes back, the same highlight, with Undo."""

from tests.browser import api, article_html, click_text, select_text, wait_for
from tests.extension.reader import drawn, highlight, live_items
from tests.extension.toolbar import Toolbar


def popup_limit(browser, url):
    popup = browser.open_popup(url)
    limit = popup.locator("#limit")
    text = limit.inner_text() if limit.is_visible() else None
    invitation = popup.locator("#highlights").inner_text()
    popup.close()
    return text, invitation


CLOSED_SHADOW = """<!doctype html><html><head><meta charset="utf-8"><title>Widgets</title></head><body>
<p>Open text anyone can highlight.</p><price-card></price-card>
<script>
customElements.define("price-card", class extends HTMLElement {
  constructor() { super(); this.attachShadow({mode: "closed"}).innerHTML = "<p>Text kept in a closed shadow root.</p>"; }
});
</script></body></html>"""


def test_the_popup_says_where_margins_cannot_highlight_and_why(browser, margins, reader, pages):
    pages.pages["/widgets.html"] = CLOSED_SHADOW
    page = browser.context.new_page()

    page.goto(pages.url + "/widgets.html")
    limit, invitation = wait_for(lambda: (lambda answer: answer if answer[0] else None)(popup_limit(browser, page.url)),
                                 message="the popup's word on closed shadow roots")
    assert limit.startswith("1 part of this page is in closed shadow roots") and "cannot highlight" in limit
    assert invitation == "Select text on the page to highlight it."  # the rest of the page can be

    # A PDF opens in Margins' own viewer now (tests/extension/test_pdf_viewer.py).
    for url, says in (("chrome://version/", "This is one of the browser's own pages: browsers let no extension read or change them."),):
        try:
            page.goto(url)
        except Exception:  # noqa: BLE001 (a PDF may be handed to the viewer without a navigation Playwright waits for)
            pass
        limit, invitation = wait_for(lambda url=url: popup_limit(browser, url), message=f"the popup on {url}")
        assert limit.startswith(says) and "Select text" not in invitation
    page.close()


def test_the_margins_servers_own_pages_are_never_recorded(browser, margins, reader, pages, article):
    title, paragraphs = article
    article_url = pages.url + "/original.html"
    status, summary = api(margins.url, reader.token, "PUT", "/pages",
                          {"url": article_url, "title": title, "html": article_html(title, paragraphs)})
    assert status in (200, 201), summary
    page = browser.context.new_page()
    page.goto(margins.url + "/login")
    page.fill("#username", reader.username)
    page.fill("#password", reader.password)
    page.press("#password", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    readable = f"{margins.url}/pages/{summary['id']}?view=readable"
    page.goto(readable)
    select_text(page, "OpenAI, one", "most prominent players")
    page.wait_for_timeout(300)  # the toolbar would show on the next task
    assert not Toolbar(page).is_open()
    answer = browser.worker.evaluate("(tab) => chrome.tabs.sendMessage(tab, {type: 'highlight-selection'}, {frameId: 0})",
                                     browser.tab_id(readable))
    assert answer is None
    limit, _ = popup_limit(browser, readable)
    assert limit.startswith("This is your Margins server: its pages are never recorded as web pages.")
    status, listing = api(margins.url, reader.token, "GET", "/pages")
    assert [item["url"] for item in listing["items"]] == [article_url]
    assert live_items(margins, reader) == []
    page.close()


def test_a_delete_made_on_the_page_is_undone_with_its_note_tags_and_color(browser, margins, reader, pages, article):
    title, paragraphs = article
    pages.pages["/undo.html"] = article_html(title, paragraphs)
    url = pages.url + "/undo.html"
    page = browser.context.new_page()
    page.goto(url)
    toolbar = Toolbar(page)
    highlight(page, "OpenAI, one", "most prominent players", color="purple")
    click_text(page, "one of the most")
    toolbar.fill("textarea", "Check the **valuation**.")
    toolbar.fill("input", "money, openai")
    toolbar.click("[data-action=done]")
    [kept] = wait_for(lambda: [i for i in live_items(margins, reader, url) if i["tags"]], message="the highlight with its tags")

    click_text(page, "one of the most")
    toolbar.click("[data-action=delete]")
    assert toolbar.text(".message") == "Highlight deleted."
    wait_for(lambda: live_items(margins, reader, url) == [], message="the delete on the server")
    drawn(page, {}, "nothing drawn after the delete")
    page.mouse.click(5, 700)  # a click on the page leaves the bar with Undo
    toolbar.click("[data-action=undo]")
    drawn(page, {"purple": 1}, "drawn again after Undo")
    [back] = wait_for(lambda: live_items(margins, reader, url), message="the highlight back on the server")
    assert (back["id"], back["note"], back["tags"], back["color"], back["quote"]) == (
        kept["id"], "Check the **valuation**.", ["money", "openai"], "purple", kept["quote"])

    popup = browser.open_popup(url)  # the note without Markdown's markup
    assert popup.locator("#highlights .note").inner_text() == "Check the valuation."
    popup.close()
    page.close()
