"""A hostile page tries, with its own scripts and no action from the reader,
everything an outside review did to drive the extension: select a sentence
and dispatch a synthetic mouseup, dispatch clicks where a highlight is
drawn, click the toolbar's host and whatever is under the pointer, reach
into the toolbar's shadow root, read its fields, listen to what the reader
types in the note, and history.replaceState to another page of the site.
Afterwards the server holds exactly what the reader made, nothing the page
read holds a note or a tag, and nothing was deleted."""

from tests.browser import article_html, click_text, drawn_highlights, feed, select_text, wait_for
from tests.extension.toolbar import Toolbar

SELECT_AND_FAKE_MOUSEUP = """([start, end]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let from = null, to = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!from && node.data.includes(start)) from = [node, node.data.indexOf(start)];
    if (from && node.data.includes(end)) { to = [node, node.data.indexOf(end) + end.length]; break; }
  }
  const range = document.createRange();
  range.setStart(...from); range.setEnd(...to);
  getSelection().removeAllRanges(); getSelection().addRange(range);
  const r = range.getBoundingClientRect();
  for (const type of ["mousedown", "mouseup", "click"]) {
    document.body.dispatchEvent(new MouseEvent(type, {bubbles: true, composed: true, button: 0, clientX: r.right, clientY: r.bottom}));
  }
}"""

# Where the page can see highlights drawn (the Custom Highlight registry is the document's), it clicks them.
FAKE_CLICKS_ON_DRAWN = """() => {
  let clicked = 0;
  for (const [, highlight] of CSS.highlights) for (const range of highlight) {
    const r = range.getClientRects()[0];
    const [x, y] = [r.left + 2, r.top + r.height / 2];
    for (const type of ["mousedown", "mouseup", "click"]) {
      document.elementFromPoint(x, y).dispatchEvent(new MouseEvent(type, {bubbles: true, composed: true, button: 0, clientX: x, clientY: y}));
    }
    clicked++;
  }
  return clicked;
}"""

# Everything the page can reach of the open toolbar, and every way it has to press its buttons.
PROBE_TOOLBAR = """([x, y]) => {
  const host = document.querySelector("margins-toolbar");
  const seen = {hostFound: Boolean(host), shadowRoot: host && host.shadowRoot !== null,
                inner: host ? host.innerHTML + host.textContent : "", atPoint: document.elementFromPoint(x, y)?.localName,
                activeElement: document.activeElement?.localName};
  const target = document.elementFromPoint(x, y);
  target.click();
  target.dispatchEvent(new MouseEvent("click", {bubbles: true, composed: true, clientX: x, clientY: y}));
  host?.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true, composed: true}));
  return seen;
}"""

# The page listens to every key and input, capturing and bubbling, on the window and the document, from
# its first script on (in its <head>) and again later.
EAVESDROP = """
window.heard = window.heard ?? [];
for (const type of ["keydown", "keyup", "keypress", "input", "beforeinput", "focusin", "focus", "paste", "compositionend"]) {
  for (const target of [window, document]) for (const capture of [true, false]) {
    target.addEventListener(type, (event) => event.isTrusted && window.heard.push(type + ":" + (event.key ?? event.data ?? "")), capture);
  }
}
"""

LISTEN = """() => {
""" + EAVESDROP + """
  window.added = [];
  new MutationObserver((records) => { for (const record of records) for (const node of record.addedNodes) window.added.push(node.outerHTML ?? node.textContent); })
    .observe(document, {childList: true, subtree: true, characterData: true, attributes: true});
}"""

REPLACE_WITH_OTHER_PAGE = """async (path) => {
  const other = new DOMParser().parseFromString(await (await fetch(path)).text(), "text/html");
  document.querySelector("article").replaceWith(document.adoptNode(other.querySelector("article")));
  history.replaceState(null, "", path);
}"""


def test_a_page_cannot_make_open_read_change_or_delete_highlights(browser, margins, reader, pages, article):
    title, paragraphs = article
    pages.pages["/site/a.html"] = article_html(title, paragraphs[:6], script=EAVESDROP)
    pages.pages["/site/b.html"] = article_html("Another page", paragraphs[6:11])
    url_a, url_b = pages.url + "/site/a.html", pages.url + "/site/b.html"
    page = browser.context.new_page()
    toolbar = Toolbar(page)

    # The reader's own highlights, with private notes and tags, on two pages of the site.
    for url, (start, end), note, tag in ((url_b, ("The U.S. has implemented", "domestic semiconductor"), "note-b private", "tag-b"),
                                         (url_a, ("OpenAI, one", "most prominent players"), "note-a private", "tag-a")):
        page.goto(url)
        select_text(page, start, end)
        toolbar.click(".swatch[data-color=green]")
        toolbar.fill("textarea", note)
        toolbar.fill("input", tag)
        toolbar.click("[data-action=done]")
        wait_for(lambda url=url, note=note: any(i["note"] == note for i in feed(margins.url, reader.token, url=url)),
                 message=f"the reader's highlight on {url}")
    wait_for(lambda: not browser.storage("queue")["ops"], message="the queue sent")
    before = {item["id"]: item for item in feed(margins.url, reader.token)}

    page.reload()
    wait_for(lambda: drawn_highlights(page) == {"green": 1}, message="the reader's highlight drawn")
    page.evaluate(LISTEN)

    # A synthetic selection-and-mouseup, and synthetic clicks on the drawn highlight: no toolbar.
    page.evaluate(SELECT_AND_FAKE_MOUSEUP, ["The magnitude of these", "broader industry trend"])
    assert page.evaluate(FAKE_CLICKS_ON_DRAWN) == 1
    page.wait_for_timeout(300)  # the content script answers a mouseup on the next task
    assert page.evaluate("document.querySelector('margins-toolbar')") is None
    assert not toolbar.is_open()

    # The reader opens their highlight: the page sees a host element and nothing inside it.
    click_text(page, "one of the most")
    toolbar.wait_for("textarea")
    toolbar.click("textarea")
    page.keyboard.type(" typed")
    delete_x, delete_y = toolbar.center("[data-action=delete]")
    seen = page.evaluate(PROBE_TOOLBAR, [delete_x, delete_y])
    assert seen == {"hostFound": True, "shadowRoot": False, "inner": "", "atPoint": "margins-toolbar",
                    "activeElement": "margins-toolbar"}
    assert page.evaluate("window.heard") == []
    assert toolbar.value("textarea") == "note-a private typed"  # still open, nothing pressed
    page_text = page.evaluate("document.documentElement.outerHTML + JSON.stringify(window.added)")
    assert "note-a" not in page_text and "tag-a" not in page_text
    page.keyboard.press("Escape")  # the reader closes it: their edit is saved
    wait_for(lambda: any(i["note"] == "note-a private typed" for i in feed(margins.url, reader.token, url=url_a)),
             message="the reader's edit")

    # Another page of the site, by replaceState: its highlight is drawn there (the page can see
    # which passage, docs/security.md), but opening it, reading its note or deleting it fails.
    page.evaluate(REPLACE_WITH_OTHER_PAGE, "/site/b.html")
    wait_for(lambda: drawn_highlights(page) == {"green": 1}, message="b's highlight drawn")
    assert page.evaluate(FAKE_CLICKS_ON_DRAWN) == 1
    page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Delete', bubbles: true}))")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('margins-toolbar')") is None
    page_text = page.evaluate("document.documentElement.outerHTML + JSON.stringify(window.added) + JSON.stringify(window.heard)")
    assert "note-b" not in page_text and "tag-b" not in page_text

    wait_for(lambda: not browser.storage("queue")["ops"], message="the queue sent")
    after = {item["id"]: item for item in feed(margins.url, reader.token)}
    assert set(after) == set(before) and not any(item["deleted"] for item in after.values())
    for item_id, item in after.items():
        expected = before[item_id]["note"] + (" typed" if before[item_id]["note"] == "note-a private" else "")
        assert (item["note"], item["tags"], item["color"], item["quote"]) == (
            expected, before[item_id]["tags"], before[item_id]["color"], before[item_id]["quote"])
    page.close()
