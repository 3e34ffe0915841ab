"""Margins' PDF viewer on a long document: first page rendered, highlights anchored, beside PDF.js alone.

A real Margins server (gunicorn, a fresh SQLite file) and headless Chromium
with the built extension. A 300-page text PDF (made with fpdf2, as the tests
make theirs, from the seed texts' sentences in a fixed shuffled order) is
kept through the API as the page's file, with 200 highlights spread over it
(quote with its context, and page), as another device would have saved them;
the extension follows the change feed first, as it does when the popup opens.

Then the viewer (viewer.html?file=URL) and a minimal page of PDF.js alone
(the same pdfjs-dist and worker, fetch, getDocument, page 1 rendered to a
canvas with its text layer at the viewer's scale), both extension pages in
the same browser, each opened RUNS times, in turn, after one warm-up each
(which also gives the viewer its local copy of the highlights). Each time,
milliseconds from navigation start:

- first page rendered: page 1's canvas and text layer in place (the viewer
  has laid out all 300 pages by then, and reads every page's text meanwhile);
- every page's text read: the viewer is ready (body[data-ready]) and asks
  for the document's highlights;
- 200 anchored, page 1's drawn: the viewer anchors the whole list on the
  document's text in one step and draws what falls on rendered pages in the
  same step, so the moment page 1's highlight is drawn all 200 are anchored
  (checked after each run: the viewer's list, as the popup asks for it, has
  all 200 placed exactly). The other pages' highlights are drawn as each page
  renders; no figure for that, it follows the reader's scrolling.

The baseline for both is PDF.js alone rendering the first page.

    .venv/bin/python bench/pdf_viewer.py [--runs 7] [--json FILE]
"""

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.report import Row, write_json  # noqa: E402
from bench.serve import UNREACHED_RATE_LIMIT, margins_token  # noqa: E402
from tests.browser import PageServer, api, build_extension, chromium_with_extension, upload_pdf, wait_for  # noqa: E402
from tests.extension.reader import followed_feed  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402
from tests.paths import SEEDS  # noqa: E402
from tests.pdf_files import text_pdf  # noqa: E402

PAGES = 300
HIGHLIGHTS = 200
PAGE_CHARACTERS = 1600  # well within one A4 page at 12 pt, so the PDF has exactly PAGES pages
QUOTE_WORDS = 8
CONTEXT = 32
COLORS = ("yellow", "green", "blue", "pink")
PDFJS = REPO / "extension" / "node_modules" / "pdfjs-dist" / "build" / "pdf.mjs"

# In the bench's copy of the viewer, before viewer.js: when page 1 is rendered, when the viewer is
# ready (every page's text read; the highlights are asked for next) and when `drawn` highlights are drawn on page 1 (its text layer's ranges in the CSS Custom Highlight registry).
WATCH = """(() => {
  const marks = (window.benchMarks = {});
  const FIRST = '.page[data-page-number="1"]';
  new MutationObserver(() => {
    if (!marks.rendered && document.querySelector(FIRST + '[data-rendered="true"]')) marks.rendered = performance.now();
    if (!marks.ready && document.body.dataset.ready === "true") marks.ready = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-rendered", "data-ready"] });
  const onFirst = () => [...CSS.highlights.keys()].filter((key) => key.startsWith("margins-"))
    .flatMap((key) => [...CSS.highlights.get(key)])
    .filter((range) => range.startContainer.parentElement?.closest(FIRST)).length;
  const look = () => (onFirst() >= DRAWN ? (marks.drawn = performance.now()) : requestAnimationFrame(look));
  requestAnimationFrame(look);
})();
"""

BASELINE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PDF.js alone</title><link rel="stylesheet" href="viewer.css"></head>
<body><main id="viewer"><div class="page"></div></main><script type="module" src="baseline.mjs"></script></body></html>
"""

# PDF.js alone: the file fetched, opened, page 1 rendered with its text layer at the viewer's scale.
BASELINE_JS = """import { GlobalWorkerOptions, TextLayer, getDocument } from "./pdf.mjs";

GlobalWorkerOptions.workerSrc = "pdf.worker.mjs";
const file = new URLSearchParams(location.search).get("file");
const data = await (await fetch(file)).arrayBuffer();
const pdf = await getDocument({ data, isEvalSupported: false, enableScripting: false }).promise;
const page = await pdf.getPage(1);
const slot = document.querySelector(".page");
const scale = Math.min(1.5, Math.max(0.5, (document.getElementById("viewer").clientWidth - 32) / page.getViewport({ scale: 1 }).width));
const viewport = page.getViewport({ scale });
slot.style.width = `${viewport.width}px`;
slot.style.height = `${viewport.height}px`;
slot.style.setProperty("--total-scale-factor", String(viewport.scale));
const canvas = document.createElement("canvas");
canvas.width = Math.floor(viewport.width);
canvas.height = Math.floor(viewport.height);
const div = document.createElement("div");
div.className = "textLayer";
await page.render({ canvas, viewport }).promise;
await new TextLayer({ textContentSource: await page.getTextContent(), container: div, viewport }).render();
slot.replaceChildren(canvas, div);
window.benchMarks = { rendered: performance.now() };
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def page_texts() -> list[str]:
    """PAGES texts of whole seed sentences, in a fixed shuffled order: every page different (only the
    sentences Helvetica can write: Latin-1)."""
    sentences = []
    for seed in sorted(SEEDS.glob("*.txt")):
        for line in seed.read_text().splitlines():
            sentences += [s.strip() for s in line.split(". ") if len(s.split()) >= 6 and _latin1(s)]
    shuffle = random.Random(16)
    texts = []
    for _ in range(PAGES):
        shuffle.shuffle(sentences)
        text = ""
        for sentence in sentences:
            if len(text) + len(sentence) > PAGE_CHARACTERS:
                break
            text += (" " if text else "") + sentence.rstrip(".") + "."
        texts.append(text)
    return texts


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def highlights_of(texts: list[str]) -> list[dict]:
    """HIGHLIGHTS quotes of QUOTE_WORDS words, each on its own page (spread evenly from page 1),
    each found once in the whole document, with CONTEXT characters of context."""
    whole = " ".join(texts)
    found = []
    for n in range(HIGHLIGHTS):
        index = n * PAGES // HIGHLIGHTS
        words = texts[index].split()
        for start in range(len(words) // 3, len(words) - QUOTE_WORDS):
            exact = " ".join(words[start:start + QUOTE_WORDS])
            if whole.count(exact) == 1:
                break
        else:
            raise RuntimeError(f"no quote on page {index + 1} occurs only once in the document")
        at = texts[index].index(exact)
        found.append({
            "quote": {"exact": exact, "prefix": texts[index][max(0, at - CONTEXT):at],
                      "suffix": texts[index][at + len(exact):at + len(exact) + CONTEXT]},
            "pages": {"first": index + 1, "last": index + 1}, "color": COLORS[n % len(COLORS)],
        })
    return found


def bench_extension(folder: Path, drawn_on_first: int) -> Path:
    """A copy of the built extension with the watcher in its viewer and the PDF.js-alone page beside it."""
    shutil.copytree(build_extension() / "chrome", folder)
    (folder / "bench-watch.js").write_text(WATCH.replace("DRAWN", str(drawn_on_first)))
    viewer = folder / "viewer.html"
    viewer.write_text(viewer.read_text().replace('<script src="viewer.js">', '<script src="bench-watch.js"></script>\n  <script src="viewer.js">'))
    shutil.copy(PDFJS, folder / "pdf.mjs")
    (folder / "baseline.html").write_text(BASELINE_HTML)
    (folder / "baseline.mjs").write_text(BASELINE_JS)
    return folder


def opened(browser, address: str, wanted: tuple[str, ...]) -> dict:
    """Opens an extension page; its marks once all `wanted` are set (milliseconds from navigation start)."""
    page = browser.context.new_page()
    page.goto(address, wait_until="commit")
    marks = wait_for(lambda: (lambda m: m if m and all(k in m for k in wanted) else None)(page.evaluate("window.benchMarks ?? null")),
                     timeout=120, message=f"{', '.join(wanted)} in {address.split('/')[-1][:40]}")
    return {"marks": marks, "page": page}


def anchored(browser, address: str) -> dict[str, int]:
    """The viewer's highlights by status, as the popup asks for them."""
    listed = browser.worker.evaluate("(id) => chrome.tabs.sendMessage(id, { type: 'list' })", browser.tab_id(address))
    statuses = {}
    for item in listed:
        statuses[item["status"]] = statuses.get(item["status"], 0) + 1
    return statuses


def main(runs: int, json_path: str | None) -> None:
    texts = page_texts()
    highlights = highlights_of(texts)
    log(f"making a {PAGES}-page PDF with fpdf2 ...")
    pdf = text_pdf(texts, title="A long document")
    work = Path(tempfile.mkdtemp(prefix="margins-bench-pdf-"))
    rendered = {"viewer": [], "baseline": []}
    ready, drawn = [], []
    try:
        database_url = f"sqlite:///{work / 'margins.sqlite3'}"
        token = margins_token(database_url, work / "instance")
        extension = bench_extension(work / "extension", sum(h["pages"]["first"] == 1 for h in highlights))
        with LiveServer(database_url, instance_path=work / "instance", workers=1, threads=4, env=UNREACHED_RATE_LIMIT) as server, \
                PageServer() as files, chromium_with_extension(extension, work / "chromium") as browser:
            files.pages["/long.pdf"] = pdf
            url = files.url + "/long.pdf"
            stored = upload_pdf(server.url, token, url, pdf)
            if stored["page_count"] != PAGES:
                raise RuntimeError(f"the PDF has {stored['page_count']} pages, not {PAGES}: lower PAGE_CHARACTERS")
            log(f"{len(pdf) / 1e6:.1f} MB, {PAGES} pages kept; saving {HIGHLIGHTS} highlights through the API ...")
            for n, highlight in enumerate(highlights):
                status, answer = api(server.url, token, "PUT", f"/highlights/00000000-0000-4000-8000-{n:012d}",
                                     {"url": url, **highlight})
                assert status in (200, 201), answer
            browser.configure(server.url, token, feedMinutes=60)  # no poll in the middle of a count
            followed_feed(browser, server, SimpleNamespace(token=token))

            base = f"chrome-extension://{browser.extension_id}"
            viewer, baseline = f"{base}/viewer.html?file={url}", f"{base}/baseline.html?file={url}"
            for run in range(runs + 1):  # run 0 warms up
                for name in (("viewer", "baseline") if run % 2 else ("baseline", "viewer")):
                    if name == "viewer":
                        view = opened(browser, viewer, ("rendered", "ready", "drawn"))
                        statuses = anchored(browser, viewer)
                        if statuses.get("exact") != HIGHLIGHTS:
                            raise RuntimeError(f"the viewer placed its {HIGHLIGHTS} highlights so: {statuses}")
                    else:
                        view = opened(browser, baseline, ("rendered",))
                    view["page"].close()
                    if run:
                        rendered[name].append(view["marks"]["rendered"])
                        if name == "viewer":
                            ready.append(view["marks"]["ready"])
                            drawn.append(view["marks"]["drawn"])
                    log(f"run {run or 'warm-up'}: {name} " + ", ".join(f"{k} {v:.0f} ms" for k, v in view["marks"].items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    alone = statistics.median(rendered["baseline"])
    figures = [  # (what, the times)
        (f"{PAGES} pages: first page rendered", rendered["viewer"]),
        ("every page's text read (viewer ready)", ready),
        (f"all {HIGHLIGHTS} highlights anchored and page 1's drawn", drawn),
    ]
    print(f"{PAGES}-page text PDF ({len(pdf) / 1e6:.1f} MB), {HIGHLIGHTS} highlights; median of {runs} opens each,"
          " ms from navigation start")
    print(f"  {'PDF.js alone: first page rendered':56} {alone:6.0f}          (all: {', '.join(f'{t:.0f}' for t in rendered['baseline'])})")
    for what, times in figures:
        median = statistics.median(times)
        print(f"  {'Margins: ' + what:56} {median:6.0f}  {median / alone:5.2f}x  (all: {', '.join(f'{t:.0f}' for t in times)})")
    write_json(json_path, [
        Row("pdf viewer", f"{what}, median ms", f"{statistics.median(times):.0f}",
            baseline=f"{alone:.0f} (PDF.js alone, first page)", ratio=f"{statistics.median(times) / alone:.2f}x")
        for what, times in figures
    ])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="opens of each page after the warm-up (default 7)")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()
    main(args.runs, args.json)
