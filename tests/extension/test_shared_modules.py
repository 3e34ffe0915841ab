"""extension/src/shared/ as the web view uses it: plain ES modules imported by a
page (no extension), anchoring a selector made before the page changed and
drawing it with the CSS Custom Highlight API and with the <mark> fallback."""

import pytest

from tests.browser import CHROMIUM, EXTENSION, PageServer, article_html

# A plain page importing the shared modules: no server, no database in it.
pytestmark = pytest.mark.same_on_every_database

MODULE_PAGE_SCRIPT = """</script><script type="module">
import * as anchoring from "/shared/anchoring.js";
import * as domText from "/shared/dom-text.js";
window.shared = {...anchoring, ...domText};
"""

ROUND_TRIP = """([mode, quoteStart, quoteEnd]) => {
  const {anchor, describe, textOf, rangeAt, offsetsOf, createPainter} = window.shared;
  const article = document.querySelector("article");
  const before = textOf(article);
  const start = before.text.indexOf(quoteStart);
  const end = before.text.indexOf(quoteEnd) + quoteEnd.length;
  const selector = describe(before.text, start, end);
  const originalHtml = article.innerHTML;
  // The page changes before the highlight is shown again.
  const p = document.createElement("p");
  p.textContent = "A paragraph added later moves every offset.";
  article.prepend(p);
  const map = textOf(article);
  const found = anchor(map.text, selector);
  const range = rangeAt(map, found.start, found.end);
  const roundTrip = offsetsOf(map, range);
  const painter = createPainter(document, {mode});
  painter.paint("h1", range, "green");
  const drawn = painter.rangeOf("h1");
  const drawnText = drawn.toString();
  const box = drawn.getClientRects()[0];
  const hit = painter.hitTest(box.left + 2, box.top + box.height / 2);
  const textAfterPaint = textOf(article).text;
  const marks = document.querySelectorAll("mark[data-margins-id]").length;
  const registered = CSS.highlights.get("margins-green")?.size ?? 0;
  painter.unpaint("h1");
  p.remove();
  return {
    method: found.method, quote: selector.quote.exact, drawnText,
    sameOffsets: roundTrip.start === found.start && roundTrip.end === found.end,
    textUnchanged: textAfterPaint === map.text, hit, marks, registered,
    marksLeft: document.querySelectorAll("mark[data-margins-id]").length,
    htmlRestored: article.innerHTML === originalHtml, mode: painter.mode,
  };
}"""


@pytest.fixture(scope="module")
def module_page():
    with PageServer() as pages:
        for path in (EXTENSION / "src" / "shared").glob("*.js"):  # with the modules they import
            pages.pages[f"/shared/{path.name}"] = path.read_text()
        pages.pages["/article.html"] = article_html("Attention", [
            "As we have seen, attention is the <em>scarcest</em> resource of the modern reader.",
            "Every page competes for it, and most pages lose.",
        ], script=MODULE_PAGE_SCRIPT)
        yield pages.url + "/article.html"


def evaluated_on(module_page: str, script: str, argument):
    """``script`` run with ``argument`` on the page that loads the shared modules, in plain Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            page.goto(module_page)
            page.wait_for_function("window.shared")
            return page.evaluate(script, argument)
        finally:
            browser.close()


@pytest.mark.parametrize("mode", ["highlights", "marks"])
def test_the_web_view_can_anchor_and_draw_with_the_shared_modules(module_page, mode):
    result = evaluated_on(module_page, ROUND_TRIP, [mode, "attention is the", "competes for it"])
    assert result["quote"] == "attention is the scarcest resource of the modern reader.\nEvery page competes for it"
    assert result["method"] == "quote"
    assert result["drawnText"] == result["quote"]
    assert result["sameOffsets"] and result["textUnchanged"]
    assert result["hit"] == "h1"
    assert result["mode"] == mode
    if mode == "marks":
        assert result["marks"] >= 3 and result["registered"] == 0
    else:
        assert result["marks"] == 0 and result["registered"] == 1
    assert result["marksLeft"] == 0 and result["htmlRestored"]


ACROSS_SHADOW = """(mode) => {
  const {textOf, rangesAt, createPainter} = window.shared;
  const host = document.createElement("div");
  host.attachShadow({mode: "open"}).innerHTML = "<p>Inside a component, the reader goes on.</p>";
  document.querySelector("article").append(host);
  const map = textOf(document.body);
  const start = map.text.indexOf("most pages lose");
  const end = map.text.indexOf("the reader goes on") + "the reader goes on".length;
  const ranges = rangesAt(map, start, end);
  const parts = ranges.map((range) => [range.toString(), range.startContainer.getRootNode() === host.shadowRoot]);
  const painter = createPainter(document, {mode});
  painter.paint("h2", ranges, "blue");
  const inner = host.shadowRoot.querySelector("p");
  const innerBox = inner.getBoundingClientRect();
  const result = {
    parts,
    hitInside: painter.hitTest(innerBox.left + 2, innerBox.top + innerBox.height / 2),
    registered: CSS.highlights.get("margins-blue")?.size ?? 0,
    marksInside: host.shadowRoot.querySelectorAll("mark[data-margins-id]").length,
    marksOutside: document.querySelectorAll("mark[data-margins-id]").length,
  };
  painter.unpaint("h2");
  result.textRestored = textOf(document.body).text === map.text;
  host.remove();
  return result;
}"""


@pytest.mark.parametrize("mode", ["highlights", "marks"])
def test_a_span_into_an_open_shadow_root_is_drawn_in_both_trees(module_page, mode):
    result = evaluated_on(module_page, ACROSS_SHADOW, mode)
    assert [inside for _, inside in result["parts"]] == [False, True]
    assert "".join(text for text, _ in result["parts"]).replace("\n", "") == "most pages lose.Inside a component, the reader goes on"
    assert result["hitInside"] == "h2"
    if mode == "marks":
        assert result["marksInside"] == 1 and result["marksOutside"] >= 1 and result["registered"] == 0
    else:
        assert result["registered"] == 2 and result["marksInside"] == result["marksOutside"] == 0
    assert result["textRestored"]
