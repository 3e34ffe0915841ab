"""The extension end to end in headless Chromium, against a real Margins server:
highlighting through the toolbar, drawing again on reload, editing and
deleting, re-anchoring on changed pages, orphans in the popup, and the
offline queue. Screenshots for docs/img/ are taken here."""

import zlib

from sqlalchemy import select

from server.models import Snapshot
from tests.browser import api, article_html, click_text, drawn_highlights, feed, select_text, wait_for
from tests.extension.reader import copied_link, highlight, live_items
from tests.extension.toolbar import Toolbar
from tests.paths import REPO

IMAGES = REPO / "docs" / "img"
SCRIPT_MARKER = "window.trackingPixel = 'should-not-be-kept'"


def serve(pages, path, title, paragraphs):
    pages.pages[path] = article_html(title, paragraphs, script=SCRIPT_MARKER)
    return pages.url + path



def test_a_highlight_made_in_the_toolbar_is_kept_drawn_edited_and_deleted(browser, margins, reader, pages, article, in_db):
    title, paragraphs = article
    url = serve(pages, "/frontier.html", title, paragraphs)
    page = browser.context.new_page()
    page.goto(url)

    # Across an <em>, a heading and into the next paragraph.
    select_text(page, "This new era is characterized", "race for dominance")
    toolbar = Toolbar(page)
    toolbar.wait_for(".swatch[data-color=green]")
    assert all(toolbar.has(f".swatch[data-color={color}]") for color in ("yellow", "green", "blue", "pink", "purple", "orange"))
    box = toolbar.bounding_box()
    page.screenshot(path=IMAGES / "extension-toolbar.png",
                    clip={"x": 0, "y": max(0, box["y"] - 190), "width": 1100, "height": box["height"] + 230})
    toolbar.click(".swatch[data-color=green]")
    toolbar.fill("textarea", "Compare with the 2021 rounds.")
    toolbar.fill("input", "ai, #funding")
    box = toolbar.bounding_box()
    page.screenshot(path=IMAGES / "extension-toolbar-edit.png",
                    clip={"x": 0, "y": max(0, box["y"] - 190), "width": 1100, "height": box["height"] + 230})
    toolbar.click("[data-action=done]")

    [item] = wait_for(lambda: [i for i in live_items(margins, reader, url) if i["note"]], message="the highlight on the server")
    assert item["quote"]["exact"].startswith("This new era is characterized by monumental funding rounds")
    assert item["quote"]["exact"].endswith("race for dominance")
    assert "Massive Funding Rounds and Lab Competition" in item["quote"]["exact"]
    assert item["quote"]["prefix"].endswith("over AI leadership. ") and len(item["quote"]["prefix"]) == 32
    assert item["quote"]["suffix"].startswith(":") and len(item["quote"]["suffix"]) == 32
    assert item["position"]["end"] - item["position"]["start"] == len(item["quote"]["exact"])
    assert item["range"]["startContainer"].startswith("/html[1]/body[1]/article[1]/p[")
    assert (item["color"], item["note"], item["tags"]) == ("green", "Compare with the 2021 rounds.", ["ai", "funding"])

    # The snapshot went with the first highlight: cleaned, and without the page's script.
    status, snapshot = wait_for(lambda: (lambda a: a if a[0] == 200 else None)(
        api(margins.url, reader.token, "GET", f"/pages/{item['page_id']}/snapshot")), message="the snapshot")
    assert "Massive Funding Rounds and Lab Competition" in snapshot["text"]
    assert "Home" not in snapshot["text"].split("\n")[0]
    raw = in_db(lambda session: [zlib.decompress(s.raw_html).decode() for s in session.scalars(select(Snapshot))])
    assert len(raw) == 1 and "trackingPixel" not in raw[0] and "<script" not in raw[0]
    assert "margins-toolbar" not in raw[0]

    # An overlapping second highlight.
    highlight(page, "strategic hardware development", "on a global scale")
    wait_for(lambda: len(live_items(margins, reader, url)) == 2, message="two highlights")

    page.reload()
    wait_for(lambda: drawn_highlights(page) == {"green": 1, "yellow": 1}, message="both drawn again")
    wait_for(lambda: browser.badge(browser.tab_id(url)) == "2", message="badge 2")
    page.screenshot(path=IMAGES / "extension-page.png", clip={"x": 0, "y": 0, "width": 1100, "height": 560})

    # Click the first one (where only it is): edit color and note.
    click_text(page, "characterized by")
    assert toolbar.value("textarea") == "Compare with the 2021 rounds."
    toolbar.click(".swatch[data-color=blue]")
    toolbar.fill("textarea", "Compare with the 2021 and 2022 rounds.")
    toolbar.click("[data-action=done]")
    wait_for(lambda: any(i["color"] == "blue" and "2022" in i["note"] for i in live_items(margins, reader, url)),
             message="the edit on the server")
    assert drawn_highlights(page) == {"blue": 1, "yellow": 1}

    click_text(page, "characterized by")
    copied = copied_link(browser, page)
    # a quote over a heading is linked by its first and last lines; both are found once on
    # the page, so the link needs no context
    assert copied == url + ("#:~:text=This%20new%20era%20is%20characterized,"
                            "underscore%20the%20race%20for%20dominance")
    click_text(page, "characterized by")
    toolbar.click("[data-action=delete]")
    # the delete is sent once its 8 s undo window has passed, then synced
    wait_for(lambda: len(live_items(margins, reader, url)) == 1, timeout=30, message="the delete on the server")
    assert api(margins.url, reader.token, "GET", f"/highlights/{item['id']}")[0] == 404
    assert any(i["id"] == item["id"] and i["deleted"] for i in feed(margins.url, reader.token, url=url))
    assert drawn_highlights(page) == {"yellow": 1}
    page.reload()
    wait_for(lambda: drawn_highlights(page) == {"yellow": 1}, message="only the second after reload")
    page.close()


def popup_items(browser, url):
    popup = browser.open_popup(url)
    items = popup.eval_on_selector_all("li[data-id]", "els => els.map((el) => [el.querySelector('.quote').textContent, el.dataset.status])")
    return popup, dict(items)


A = "nearing a $100 billion mega-funding round"
B = "fostering domestic semiconductor fabrication"
C = "significantly reducing latency and enhancing privacy"


def test_highlights_anchor_again_on_changed_pages_and_orphans_are_listed(browser, margins, reader, pages, article):
    title, paragraphs = article
    url = serve(pages, "/changing.html", title, paragraphs)
    page = browser.context.new_page()
    page.goto(url)
    for quote in (A, B, C):
        words = quote.split()
        highlight(page, " ".join(words[:2]), " ".join(words[-2:]))
    wait_for(lambda: len(live_items(margins, reader, url)) == 3, message="three highlights on the server")

    # Text changed elsewhere: a new first paragraph, a sentence reworded.
    elsewhere = ["A new paragraph, added after the highlights were made, moves every offset."] + [
        p.replace("Governments worldwide are actively investing", "Governments everywhere now invest heavily") for p in paragraphs]
    serve(pages, "/changing.html", title, elsewhere)
    page.reload()
    wait_for(lambda: sum(drawn_highlights(page).values()) == 3, message="three drawn")
    popup, items = popup_items(browser, url)
    assert items == {A: "exact", B: "exact", C: "exact"}
    # Reading order, and a click scrolls the page to the highlight.
    assert popup.eval_on_selector_all("#highlights li .quote", "els => els.map((el) => el.textContent)") == [A, B, C]
    page.evaluate("window.scrollTo(0, 0)")
    popup.locator("#highlights li", has_text=C).click()
    wait_for(lambda: page.evaluate("window.scrollY") > 300, message="the page scrolled to the highlight")
    popup.close()

    # The highlighted words changed slightly; another highlight's words are gone.
    changed = [p.replace(B, "fostering domestic semi-conductor fabrications") for p in paragraphs if C not in p]
    serve(pages, "/changing.html", title, changed)
    page.reload()
    wait_for(lambda: sum(drawn_highlights(page).values()) == 2, message="two drawn")
    popup, items = popup_items(browser, url)
    assert items == {A: "exact", B: "approximate", C: "orphan"}
    assert popup.locator("#orphans li").inner_text().startswith(C)
    assert popup.locator("#orphans-section").is_visible()
    popup.locator("body").screenshot(path=IMAGES / "extension-popup.png")
    popup.close()

    # Late content (as in a single-page app): the orphan's paragraph comes back, and it anchors.
    page.evaluate("(text) => { const p = document.createElement('p'); p.textContent = text; document.querySelector('article').append(p); }",
                  next(p for p in paragraphs if C in p))
    wait_for(lambda: sum(drawn_highlights(page).values()) == 3, message="the orphan drawn once its text appeared")
    popup, items = popup_items(browser, url)
    assert items[C] == "exact"
    popup.close()

    # The keyboard shortcut and the context menu ask the tab to highlight the selection.
    select_text(page, "Regional fabrication plants", "established worldwide")
    browser.worker.evaluate("(tabId) => chrome.tabs.sendMessage(tabId, {type: 'highlight-selection'})", browser.tab_id(url))
    wait_for(lambda: any(i["quote"]["exact"] == "Regional fabrication plants are being established worldwide"
                         and i["color"] == "yellow" for i in live_items(margins, reader, url)), message="the shortcut's highlight")
    page.close()


def test_changes_made_offline_reach_the_server_once_and_in_order(browser, margins, reader, pages, article):
    title, paragraphs = article
    url = serve(pages, "/offline.html", title, paragraphs)
    page = browser.context.new_page()
    page.goto(url)
    highlight(page, "OpenAI, one", "most prominent players")
    [first] = wait_for(lambda: live_items(margins, reader, url), message="the first highlight")

    margins.stop()
    try:
        for quote in (A, B, C):
            words = quote.split()
            highlight(page, " ".join(words[:2]), " ".join(words[-2:]), color="pink")
        click_text(page, "one of the most")
        Toolbar(page).click("[data-action=delete]")
        tab = browser.tab_id(url)
        wait_for(lambda: browser.badge(tab) == "3↑", message="badge with the pending mark")
        popup = browser.open_popup(url)
        wait_for(lambda: popup.locator("#connection").inner_text() == "Offline", message="offline in the popup")
        assert "4 changes of this page not sent yet" in popup.locator("#pending").inner_text()
        popup.close()
    finally:
        margins.start()

    # The service worker's own retry sends the queue; the badge is exact within a second of it.
    wait_for(lambda: not browser.storage("queue")["ops"], timeout=70, interval=0.05, message="the queue sent")
    wait_for(lambda: browser.badge(tab) == "3", timeout=1, interval=0.05, message="badge without the pending mark")
    popup = browser.open_popup(url)
    wait_for(lambda: popup.locator("#connection").inner_text() == "Connected", message="connected in the popup")
    popup.close()
    items = feed(margins.url, reader.token, url=url)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 4
    live = {item["quote"]["exact"]: item for item in items if not item["deleted"]}
    assert set(live) == {A, B, C}
    assert all(item["color"] == "pink" for item in live.values())
    assert [item["id"] for item in items if item["deleted"]] == [first["id"]]
    page.close()
