"""Margins' PDF viewer in headless Chromium with the built extension, against a
real Margins server: a PDF served as application/pdf opens in the viewer;
highlights within a page and across a page break are kept with their pages
and the file; they are drawn again on reopening, also on pages rendered late;
the same file from another URL joins the same library page, and so does the
same document saved again (other bytes, same fingerprint); a file over the
server's limit keeps its highlights and says it was not stored."""

from tests.browser import PageServer, api, drawn_highlights, upload_pdf, wait_for
from tests.extension.reader import followed_feed, live_items, saved_elsewhere
from tests.extension.toolbar import Toolbar
from tests.live_server import LiveServer
from tests.paths import REPO
from tests.pdf_files import saved_again, text_pdf

LAMP_PAGES = [
    "The first page speaks of lamps and of the oil that feeds them in the long winter nights.",
    "The second page ends with the keeper of the northern light",
    "who climbed the stairs each evening. The third page goes on about the stairs.",
    *[f"Page {n} is filler about the weather at the lighthouse in month {n}." for n in range(4, 40)],
    "The last page says the lamp was finally put out in the spring.",
]

# The viewport point of a character of `needle` in the viewer's text layers
# (start: its first character, end: its last), the page scrolled so `needle`
# is at `block` of the view.
_POINT = """([needle, where, block]) => {
  const spans = [...document.querySelectorAll('.textLayer span')];
  const span = spans.find((s) => s.textContent.includes(needle));
  if (!span) return null;
  if (block) span.scrollIntoView({block, behavior: 'instant'});
  const node = span.firstChild;
  const at = node.data.indexOf(needle);
  const range = document.createRange();
  const offset = where === 'start' ? at : at + needle.length - 1;
  range.setStart(node, offset);
  range.setEnd(node, offset + 1);
  const r = range.getClientRects()[0];
  return {x: where === 'start' ? r.left + 1 : r.right - 1, y: r.top + r.height / 2};
}"""


def open_viewer(browser, page, url):
    page.goto(url)
    page.wait_for_url(f"chrome-extension://{browser.extension_id}/viewer.html?**", timeout=30000)
    page.wait_for_selector("body[data-ready=true]", timeout=60000)


def drag(page, start, end, *, block="center"):
    """Select from the first character of `start` to the last of `end` with the mouse."""
    first = wait_for(lambda: page.evaluate(_POINT, [start, "start", block]), message=start)
    last = wait_for(lambda: page.evaluate(_POINT, [end, "end", None]), message=end)
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    page.mouse.move((first["x"] + last["x"]) / 2, (first["y"] + last["y"]) / 2, steps=4)
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.up()


def highlight(page, start, end, color, *, note=None, tags=None, block="center"):
    drag(page, start, end, block=block)
    toolbar = Toolbar(page)
    toolbar.click(f".swatch[data-color={color}]")
    toolbar.wait_for("textarea")
    if note:
        toolbar.fill("textarea", note)
    if tags:
        toolbar.fill("input", tags)
    toolbar.click("[data-action=done]")


def zoom_out(page, times):
    for _ in range(times):
        page.click("#zoom-out")


def rendered(page, number):
    page.wait_for_selector(f'.page[data-page-number="{number}"][data-rendered=true]', timeout=60000)


def pdfs_of(margins, person, **query):
    status, answer = api(margins.url, person.token, "GET", "/pdfs?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert status == 200, answer
    return answer["items"]


def test_a_pdf_is_highlighted_in_the_viewer_within_and_across_pages_and_kept_with_its_file(browser, margins, reader):
    origin = PageServer().__enter__()  # where the PDF is published; stopped before the web view opens the stored copy
    pages = origin
    pages.pages["/papers/lamp.pdf"] = text_pdf(LAMP_PAGES, title="The lamp papers", author="A. Keeper")
    url = pages.url + "/papers/lamp.pdf"
    page = browser.context.new_page()
    open_viewer(browser, page, url)
    assert page.title() == "The lamp papers"
    assert page.locator("#count").inner_text() == f"of {len(LAMP_PAGES)}"
    # Lazy: the pages far down are laid out, not rendered.
    assert page.locator(".page").count() == len(LAMP_PAGES)
    assert page.locator(".page[data-rendered=true]").count() < 10

    highlight(page, "oil that feeds", "winter nights", "green", note="Whale oil, mostly.", tags="lamps, oil")
    zoom_out(page, 4)  # pages 2 and 3 in one view, for a selection across the break
    rendered(page, 3)
    highlight(page, "keeper of the", "each evening", "blue", block="start")

    items = wait_for(lambda: (lambda found: found if len(found) == 2 and any(i["note"] for i in found) else None)(
        live_items(margins, reader, url)), timeout=30, message="both highlights on the server")
    by_color = {item["color"]: item for item in items}
    assert by_color["green"]["quote"]["exact"] == "oil that feeds them in the long winter nights"
    assert (by_color["green"]["note"], by_color["green"]["tags"]) == ("Whale oil, mostly.", ["lamps", "oil"])
    assert by_color["blue"]["quote"]["exact"].startswith("keeper of the northern light")
    assert by_color["blue"]["quote"]["exact"].endswith("who climbed the stairs each evening")
    assert by_color["green"]["pages"] == {"first": 1, "last": 1}
    assert by_color["blue"]["pages"] == {"first": 2, "last": 3}
    # The file went with the first highlight, to the same library page; its metadata became the page's.
    [pdf] = wait_for(lambda: pdfs_of(margins, reader, page_id=by_color["green"]["page_id"]), timeout=30, message="the file")
    assert pdf["page_count"] == len(LAMP_PAGES) and pdf["title"] == "The lamp papers"

    # Reopened: both drawn, the one across the break on each of its pages.
    page.close()
    page = browser.context.new_page()
    open_viewer(browser, page, url)
    wait_for(lambda: drawn_highlights(page).get("green") == 1, timeout=30, message="the first page's highlight drawn")
    page.fill("#page", "3")
    page.press("#page", "Enter")
    rendered(page, 3)
    wait_for(lambda: drawn_highlights(page) == {"green": 1, "blue": 2}, timeout=30, message="the one across pages, on both")
    page.screenshot(path=REPO / "docs" / "img" / "pdf-viewer.png")

    # A highlight on a page rendered late, after scrolling to it.
    page.fill("#page", str(len(LAMP_PAGES)))
    page.press("#page", "Enter")
    rendered(page, len(LAMP_PAGES))
    highlight(page, "finally put out", "the spring", "pink")
    wait_for(lambda: len(live_items(margins, reader, url)) == 3, timeout=30, message="the late page's highlight")
    page.close()
    page = browser.context.new_page()
    open_viewer(browser, page, url + "#page=1")
    page.keyboard.press("End")
    rendered(page, len(LAMP_PAGES))
    wait_for(lambda: drawn_highlights(page).get("pink") == 1, timeout=30, message="drawn on the late page")

    # Popup: the document's highlights in reading order, with their page numbers.
    popup = browser.open_popup(page.url)
    wait_for(lambda: popup.locator("#highlights li").count() == 3, timeout=30, message="three in the popup")
    assert popup.locator("#highlights li .page").all_inner_texts() == ["p. 1", "p. 2", f"p. {len(LAMP_PAGES)}"]
    popup.close()

    # The same file from another URL: the same library page, its highlights drawn.
    pages.pages["/mirror/copy-of-lamp.pdf"] = pages.pages["/papers/lamp.pdf"]
    page.close()
    page = browser.context.new_page()
    open_viewer(browser, page, pages.url + "/mirror/copy-of-lamp.pdf")
    wait_for(lambda: drawn_highlights(page).get("green") == 1, timeout=30, message="drawn from the other URL")
    highlight(page, "first page speaks", "of lamps", "yellow")
    wait_for(lambda: len(live_items(margins, reader, url)) == 4, timeout=30, message="on the same page")
    status, answer = api(margins.url, reader.token, "GET", "/pages")
    assert status == 200 and len(answer["items"]) == 1, answer
    page_id = answer["items"][0]["id"]
    page.close()

    # The web view opens the stored copy with the highlights, the original server gone.
    origin.__exit__(None, None, None)
    web = browser.context.new_page()
    web.goto(margins.url + "/login")
    web.fill("#username", reader.username)
    web.fill("#password", reader.password)
    web.press("#password", "Enter")
    web.wait_for_load_state()
    web.goto(f"{margins.url}/pages/{page_id}")
    web.click("a.pdf-link")
    web.wait_for_selector("body[data-ready=true]", timeout=60000)
    assert web.locator("#count").inner_text() == f"of {len(LAMP_PAGES)}"
    web.fill("#page", "3")
    web.press("#page", "Enter")
    rendered(web, 3)
    wait_for(lambda: drawn_highlights(web) == {"green": 1, "yellow": 1, "blue": 2}, timeout=30, message="drawn in the web view")
    web.goto(f"{margins.url}/pages/{page_id}/pdf#page={len(LAMP_PAGES)}")
    web.wait_for_selector("body[data-ready=true]", timeout=60000)
    rendered(web, len(LAMP_PAGES))
    wait_for(lambda: drawn_highlights(web).get("pink") == 1, timeout=30, message="the last page's, opened at #page=N")


def test_the_same_document_from_a_second_url_is_found_by_its_fingerprint_with_the_first_urls_highlights(
        browser, margins, reader, pages):
    first_url = pages.url + "/papers/lamp-notes.pdf"
    original = text_pdf(LAMP_PAGES[:3], title="The lamp papers")
    upload_pdf(margins.url, reader.token, first_url, original)  # as another device did, with two highlights
    saved_elsewhere(margins, reader, first_url, "oil that feeds them in the long winter nights", "green",
                    pages={"first": 1, "last": 1})
    saved_elsewhere(margins, reader, first_url, "goes on about the stairs", "blue", pages={"first": 3, "last": 3})
    followed_feed(browser, margins, reader)  # this device has heard of them, as within a minute it does
    pages.pages["/mirror/lamp-notes-revised.pdf"] = saved_again(original, "The lamp papers, revised")
    second_url = pages.url + "/mirror/lamp-notes-revised.pdf"

    page = browser.context.new_page()
    open_viewer(browser, page, second_url)
    wait_for(lambda: drawn_highlights(page).get("green") == 1, timeout=30, message="the first URL's highlight drawn")
    page.fill("#page", "3")
    page.press("#page", "Enter")
    rendered(page, 3)
    wait_for(lambda: drawn_highlights(page).get("blue") == 1, timeout=30, message="and the one on page 3")
    highlight(page, "keeper of the", "northern light", "pink", block="start")

    # One library page: the new highlight joined the first URL's page, which the popup lists whole.
    wait_for(lambda: len(live_items(margins, reader, first_url)) == 3, timeout=30, message="on the first URL's page")
    status, answer = api(margins.url, reader.token, "GET", "/pages")
    assert status == 200 and [item["url"] for item in answer["items"]] == [first_url], answer
    popup = browser.open_popup(page.url)
    wait_for(lambda: popup.locator("#highlights li").count() == 3, timeout=30, message="three in the popup")
    assert popup.locator("#highlights li .page").all_inner_texts() == ["p. 1", "p. 2", "p. 3"]
    popup.close()
    page.close()


def test_a_pdf_over_the_servers_limit_keeps_its_highlights_and_says_the_file_was_not_stored(browser, margins, reader, pages):
    margins.relay.cut()  # the browser's kept-alive connections would hold each graceful stop for 2 s
    margins.stop()
    margins.live = LiveServer(margins.database_url, workers=1, threads=4, env={"MARGINS_MAX_PDF_BYTES": "1000"}).start()
    margins.relay.target = margins.live.port
    try:
        pages.pages["/big.pdf"] = text_pdf(LAMP_PAGES[:3], title="Too big")
        url = pages.url + "/big.pdf"
        page = browser.context.new_page()
        open_viewer(browser, page, url)
        highlight(page, "oil that feeds", "winter nights", "green")
        wait_for(lambda: "not stored" in page.locator("#status").inner_text(), timeout=30, message="the viewer says so")
        [item] = wait_for(lambda: live_items(margins, reader, url), timeout=30, message="the highlight kept")
        assert item["quote"]["exact"] == "oil that feeds them in the long winter nights"
        assert pdfs_of(margins, reader, page_id=item["page_id"]) == []
    finally:
        margins.relay.cut()
        margins.stop()
        margins.start()
