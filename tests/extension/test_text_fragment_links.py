"""Text-fragment links open on real pages: on each real article page of
tests/fixtures/shared/extraction, a highlight made with the extension's toolbar, its "Copy
link" link and the "Open on the page" link of the server's Markdown export, each opened in
a fresh page of the same Chromium.

The highlight's kind turns with the page, so that context meets block boundaries in every
way: a sentence from the middle of the article, the first words of a paragraph (the
context before is another block), its last words (the context after is), and words across
two paragraphs (the quote holds a block boundary).

Evidence that Chromium's text-fragment support matched a link: the page is given a
``::target-text`` style of a colour pages do not use (text and background magenta), and
the screenshot of what Chromium painted has that colour, on a word of the quote (a word
whose box holds the painted spot, found under any overlay by ``elementsFromPoint``).
``::target-text`` is painted only on the text a fragment matched (Chromium scrolls it
into view), so a link that matches nothing paints none. The extension is off on the page
while its links are opened, so its own highlight does not paint over the spot.

Pages come from one local server and no other host resolves, so the test needs no network
and the pages are what they were when saved, less what they loaded from elsewhere.
"""

import base64
import gzip
import json
import re
import urllib.request

import pytest

from tests.browser import chromium_with_extension, wait_for
from tests.extension.reader import copied_link, live_items
from tests.extension.toolbar import Toolbar
from tests.paths import EXTRACTION_PAGES, EXTRACTION_TRUTH

TRUTH = json.loads(EXTRACTION_TRUTH.read_text())
#: Pages that do not stay themselves without their other hosts, so have no text to highlight.
# What is tested here is Chromium opening links on real pages, which no database changes: it runs once,
# on the default SQLite run, not again on PostgreSQL (the export's link rule runs on both, in
# tests/services/exporting and tests/services/test_rules.py), to keep the suite's time in bounds.
pytestmark = pytest.mark.same_on_every_database

LEAVE_OFFLINE = {
    "57e2e988": "my6sense.com goes to another address as it loads",
    "9eef8162": 'msn.com replaces itself with "This page is not available right now" when its scripts fail',
    "c50845a7": "space.com's ad-block check (Sourcepoint) sends the reader to www.space.com/cc.html at the "
                "first mouse move once its ads failed to load",
}
PAGES = sorted(key for path in EXTRACTION_PAGES.glob("*.html.gz")
               if (key := path.name.removesuffix(".html.gz"))[:8] not in LEAVE_OFFLINE)
KINDS = ("middle", "block start", "block end", "across blocks")
EDGE_WORDS = 6
TARGET_TEXT_STYLE = "::target-text { background-color: rgb(255, 0, 255) !important; color: rgb(255, 0, 255) !important; }"

# Counts the pixels of the mark colour in a PNG (decoded by the extension's service worker, so no
# image library is needed), and gives a point well inside them: the middle of the longest run in a
# row, at the middle of the marked rows under it (a line's middle, not the edge it shares with the next).
# Magenta seen through a page's translucent layer (a paywall's fade, a dimmed backdrop) counts too.
MARKED_PIXELS = """async (png) => {
  const bytes = Uint8Array.from(atob(png), (ch) => ch.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: "image/png"}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const {data, width, height} = context.getImageData(0, 0, bitmap.width, bitmap.height);
  const marked = (x, y) => {
    const i = (y * width + x) * 4, r = data[i], g = data[i + 1], b = data[i + 2];
    return r - g > 80 && b - g > 80 && Math.abs(r - b) < 40;
  };
  let count = 0, best = {run: 0};
  for (let y = 0; y < height; y++) {
    for (let x = 0, run = 0; x < width; x++) {
      run = marked(x, y) ? run + 1 : 0;
      count += run ? 1 : 0;
      if (run > best.run) best = {run, x: Math.round(x - run / 2), y};
    }
  }
  let bottom = best.y;
  while (count && bottom + 1 < height && marked(best.x, bottom + 1)) bottom++;
  return {count, x: best.x, y: (best.y + bottom) / 2};
}"""

# The words at a viewport point: in each element there (under a page's overlays too), the word of
# its text whose box holds the point, or the nearest on that line.
WORDS_AT = r"""([x, y]) => {
  const words = [];
  for (const element of document.elementsFromPoint(x, y)) {
    let best = null;
    for (const node of element.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      for (const match of node.data.matchAll(/[\p{L}\p{N}]+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        for (const box of range.getClientRects()) {
          const away = y < box.top || y > box.bottom ? Infinity : Math.max(box.left - x, x - box.right, 0);
          if (away < (best?.away ?? 40)) best = {away, word: match[0]};
        }
      }
    }
    if (best) words.push(best.word);
  }
  return words;
}"""

# Select from the start of the first needle to the end of the last, each found after the one
# before by the browser's own find (which matches across inline elements); the selected text.
SELECT = """(needles) => {
  const selection = getSelection();
  selection.removeAllRanges();
  const ranges = [];
  for (const needle of needles) {
    if (!window.find(needle, false, false, !ranges.length, false, false, false)) return "";
    ranges.push(selection.getRangeAt(0).cloneRange());
  }
  const [first, last] = [ranges[0], ranges[ranges.length - 1]];
  selection.setBaseAndExtent(first.startContainer, first.startOffset, last.endContainer, last.endOffset);
  return selection.toString();
}"""

# Where the selection ends, in the viewport.
SELECTION_END = """() => {
  const boxes = getSelection().getRangeAt(0).getClientRects(), box = boxes[boxes.length - 1];
  return {x: box.right - 1, y: box.top + box.height / 2};
}"""


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", text.casefold()))


def kind_of(key: str) -> str:
    return KINDS[PAGES.index(key) % len(KINDS)]


def selections(key: str) -> list[tuple[str, ...]]:
    """What to select on a page, best first (the first found on it is highlighted), from the
    article's checked text: a selection is the text from its first needle to its last."""
    paragraphs = [" ".join(p.split()) for p in TRUTH[key]["articleBody"].split("\n") if len(p.split()) >= 2 * EDGE_WORDS]
    middle, third = len(paragraphs) // 2, len(paragraphs) // 3
    kind = kind_of(key)
    if kind == "middle":
        found = []
        for paragraph in paragraphs[middle:] + paragraphs[:middle]:
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if len(s.split()) >= 5]
            found += [(sentence,) for sentence in sentences[len(sentences) // 2:][:1]]
        return found
    first = [" ".join(p.split()[:EDGE_WORDS]) for p in paragraphs]
    last = [" ".join(p.split()[-EDGE_WORDS:]) for p in paragraphs]
    found = {"block start": [(start,) for start in first], "block end": [(end,) for end in last],
             "across blocks": list(zip(last, first[1:], strict=False))}[kind]
    return found[third:] + found[:third]


def make_highlight(page, key: str) -> tuple[str, ...]:
    """Select the first of the page's selections found on it and highlight it with the toolbar,
    as a reader does; its needles."""
    for needles in selections(key)[:10]:
        text = folded(page.evaluate(SELECT, list(needles)))
        if text.startswith(folded(needles[0])) and text.endswith(folded(needles[-1])):
            end = page.evaluate(SELECTION_END)
            page.mouse.move(end["x"], end["y"])
            page.mouse.up()  # a trusted mouseup on the selection opens the toolbar, as after a drag
            toolbar = Toolbar(page)
            toolbar.click(".swatch[data-color=yellow]")
            toolbar.wait_for("[data-action=link]")
            return needles
    raise AssertionError(f"none of the article's text to select was found on {key}")


def exported_links(margins, token: str) -> dict[str, str]:
    """{highlight id: its "Open on the page" link} in the server's Markdown export."""
    request = urllib.request.Request(margins.url + "/api/v1/export?format=markdown",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        markdown = answer.read().decode()
    return {uuid: link for link, uuid in re.findall(r"\[Open on the page\]\(([^)\s]+)\)[\s\S]*?\^([0-9a-f-]{36})", markdown)}


def marked_words(browser, link: str) -> list[str] | None:
    """Open `link` in a fresh page: the words where Chromium painted ::target-text, or None if it painted none."""
    page = browser.context.new_page()
    try:
        page.goto(link)
        page.add_style_tag(content=TARGET_TEXT_STYLE)

        def painted():
            found = browser.worker.evaluate(MARKED_PIXELS, base64.b64encode(page.screenshot()).decode())
            return found if found["count"] >= 40 else None

        try:
            spot = wait_for(painted, timeout=10, interval=0.2, message="::target-text painted")
        except AssertionError:
            return None
        return page.evaluate(WORDS_AT, [spot["x"], spot["y"]])
    finally:
        page.close()


@pytest.fixture(scope="module")
def browser(extension_build, tmp_path_factory):
    """The extension's Chromium, where no host but the local ones resolves."""
    with chromium_with_extension(extension_build / "chrome", tmp_path_factory.mktemp("chromium"), local_only=True) as browser:
        yield browser


@pytest.fixture(scope="module")
def real_pages(pages):
    """Every real page, served from the one page server."""
    for key in PAGES:
        pages.pages[f"/{key}.html"] = gzip.decompress((EXTRACTION_PAGES / f"{key}.html.gz").read_bytes())
    return pages


@pytest.mark.parametrize("key", PAGES, ids=[f"{key[:8]}-{kind_of(key).replace(' ', '-')}" for key in PAGES])
def test_copy_link_and_export_links_open_on_the_real_page(key, browser, margins, reader, real_pages):
    page = browser.context.new_page()
    page.goto(f"{real_pages.url}/{key}.html")
    needles = make_highlight(page, key)
    links = {"Copy link": copied_link(browser, page)}
    page.close()
    [item] = wait_for(lambda: live_items(margins, reader), message="the highlight on the server")
    exact = folded(item["quote"]["exact"])
    assert exact.startswith(folded(needles[0])) and exact.endswith(folded(needles[-1])), exact
    links["export"] = exported_links(margins, reader.token)[item["id"]]
    browser.configure(margins.url, reader.token, excludedSites=["127.0.0.1"])  # the extension off while links open

    quote = words(item["quote"]["exact"])
    marked = {link: marked_words(browser, link) for link in set(links.values())}
    failed = {source: marked[link] for source, link in links.items() if not quote & words(" ".join(marked[link] or []))}
    assert not failed, "\n".join(f"{source} link {links[source]} marked {words!r}, not the quote {item['quote']['exact']!r}"
                                 for source, words in failed.items())
