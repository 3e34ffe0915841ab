"""Page visits with the extension's local index: how soon highlights are drawn, and what the server hears.

A real Margins server (gunicorn with its access log, a fresh SQLite file) and
headless Chromium with the built extension. Highlights are saved through the
API (as another device would) and the extension follows the change feed once,
as it does when the popup opens. Then:

- time to drawn: a page (the article seed) with 50 highlights is loaded
  VISITS times; each time, the milliseconds from navigation start until all
  50 are drawn (the CSS Custom Highlight registry holds 50 ranges, looked at
  every animation frame). With the index: drawn from its copy. Without: the
  copy is dropped before each visit, so the page is asked of the server
  (`GET /api/v1/highlights?url=…`), as every visit did before the index.
- requests: 100 page visits, 10 of them to pages with highlights, counted in
  the server's access log: with the index, and without it (the index marked
  as not filled yet, so every visit asks the server, as before).

    .venv/bin/python bench/page_visits.py [--visits 10] [--json FILE]
"""

import argparse
import html
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.report import Row, write_json  # noqa: E402
from bench.serve import UNREACHED_RATE_LIMIT, margins_token  # noqa: E402
from tests.browser import PageServer, api, build_extension, chromium_with_extension, wait_for  # noqa: E402
from tests.extension.conftest import seed_paragraphs  # noqa: E402
from tests.extension.reader import followed_feed  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

HIGHLIGHTS = 50
PAGE_VISITS = 100
WITH_HIGHLIGHTS = 10

# From navigation start until `count` ranges are drawn, looked at every frame; window.drawnAt holds it.
WATCH_DRAWING = """(count) => {
  const drawn = () => [...CSS.highlights.keys()].filter((k) => k.startsWith("margins-"))
    .reduce((sum, k) => sum + CSS.highlights.get(k).size, 0);
  const look = () => (drawn() >= count ? (window.drawnAt = performance.now()) : requestAnimationFrame(look));
  look();
}"""


class Person:
    """What tests.extension.reader.followed_feed needs of the reader."""

    def __init__(self, token):
        self.token = token


def quotes_of(paragraphs: list[str], count: int) -> list[str]:
    """`count` distinct runs of eight words from the paragraphs."""
    quotes = []
    for paragraph in paragraphs:
        words = paragraph.split()
        quotes += [" ".join(words[i:i + 8]) for i in range(0, len(words) - 8, 12)]
    quotes = [quote for quote in dict.fromkeys(quotes) if sum(p.count(quote) for p in paragraphs) == 1]
    assert len(quotes) >= count, f"the seed has only {len(quotes)} distinct runs"
    return quotes[:count]


def save(server, token, url: str, quotes: list[str], first: int) -> None:
    for n, quote in enumerate(quotes, first):
        status, answer = api(server.url, token, "PUT", f"/highlights/00000000-0000-4000-8000-{n:012d}",
                             {"url": url, "quote": {"exact": quote}, "color": "yellow"})
        assert status in (200, 201), answer


def api_requests(server, since: int) -> tuple[list[str], int]:
    lines = server.log_path.read_text(errors="replace").splitlines()
    return [line for line in lines[since:] if "/api/v1/" in line], len(lines)


def time_to_drawn(browser, url: str, visits: int, drop_copy: bool) -> list[float]:
    times = []
    page = browser.context.new_page()
    page.add_init_script(f"({WATCH_DRAWING})({HIGHLIGHTS})")
    for _ in range(visits):
        if drop_copy:
            browser.worker.evaluate("""async (path) => {
              const all = await chrome.storage.local.get(null);
              await chrome.storage.local.remove(Object.keys(all).filter((key) => key.startsWith("page:") && key.endsWith(path)));
            }""", "/fifty.html")
        page.goto("about:blank")
        page.goto(url, wait_until="commit")
        wait_for(lambda: page.evaluate("window.drawnAt ?? null") is not None, timeout=30, message="all highlights drawn")
        times.append(page.evaluate("window.drawnAt"))
    page.close()
    return times


def visit_all(browser, urls: list[str]) -> float:
    """Visits the pages one after the other; the seconds it took."""
    began = time.monotonic()
    page = browser.context.new_page()
    for url in urls:
        page.goto(url)
        page.wait_for_function("() => document.readyState === 'complete'")
        page.wait_for_timeout(100)  # the content script asks (or not) at document_idle
    page.close()
    return time.monotonic() - began


def main(visits: int, json_path: str | None) -> None:
    title, paragraphs = seed_paragraphs("002_7e9d346e9de488ee.txt")
    quotes = quotes_of(paragraphs, HIGHLIGHTS)
    body = f"<!doctype html><title>{html.escape(title)}</title><article>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</article>"
    work = Path(tempfile.mkdtemp(prefix="margins-bench-visits-"))
    try:
        database_url = f"sqlite:///{work / 'margins.sqlite3'}"
        token = margins_token(database_url, work / "instance")
        with LiveServer(database_url, instance_path=work / "instance", workers=1, threads=4, env=UNREACHED_RATE_LIMIT) as server, \
                PageServer() as pages, chromium_with_extension(build_extension() / "chrome", work / "chromium") as browser:
            fifty = pages.url + "/fifty.html"
            pages.pages["/fifty.html"] = body
            urls = []
            for n in range(PAGE_VISITS):
                pages.pages[f"/visit-{n}.html"] = body
                urls.append(pages.url + f"/visit-{n}.html")
            highlighted = urls[:: PAGE_VISITS // WITH_HIGHLIGHTS]
            save(server, token, fifty, quotes, 0)
            for n, url in enumerate(highlighted):
                save(server, token, url, quotes[n * 3:n * 3 + 3], 1000 + n * 10)
            browser.configure(server.url, token, feedMinutes=60)  # no poll in the middle of a count
            person = Person(token)
            followed_feed(browser, server, person)

            with_index = time_to_drawn(browser, fifty, visits, drop_copy=False)
            without_index = time_to_drawn(browser, fifty, visits, drop_copy=True)

            visit_all(browser, highlighted)  # their copies come from the feed; a first visit keeps them used
            _, since = api_requests(server, 0)
            seconds = visit_all(browser, urls)
            counted_with, since = api_requests(server, since)
            browser.worker.evaluate("async () => { const { index } = await chrome.storage.local.get('index');"
                                    " await chrome.storage.local.set({ index: { ...index, complete: false } }); }")
            visit_all(browser, urls)
            counted_without, _ = api_requests(server, since)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    median_with, median_without = statistics.median(with_index), statistics.median(without_index)
    page_questions = sum("url=" in line for line in counted_with)
    print(f"page with {HIGHLIGHTS} highlights, {visits} loads each: navigation start to all drawn")
    print(f"  with the local index:    median {median_with:7.1f} ms  (all: {', '.join(f'{t:.0f}' for t in with_index)})")
    print(f"  without (asks the server): median {median_without:5.1f} ms  (all: {', '.join(f'{t:.0f}' for t in without_index)})")
    print(f"{PAGE_VISITS} page visits, {WITH_HIGHLIGHTS} with highlights: server requests")
    print(f"  with the local index: {len(counted_with)} ({page_questions} asking for a page; the visits took {seconds:.0f} s,"
          f" so at the default feedMinutes (1) {int(seconds // 60)} feed poll(s) would come on top)")
    print(f"  without:              {len(counted_without)}")
    write_json(json_path, [
        Row("page visits", f"load to {HIGHLIGHTS} highlights drawn, median ms", f"{median_with:.0f}",
            baseline=f"{median_without:.0f} (asking the server)", ratio=f"{median_with / median_without:.2f}x"),
        Row("page visits", f"server requests for {PAGE_VISITS} visits, {WITH_HIGHLIGHTS} with highlights",
            str(len(counted_with)), baseline=f"{len(counted_without)} (without the index)",
            goal="<= 10", passed=len(counted_with) <= 10),
    ])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=10, help="loads of the 50-highlight page, each way (default 10)")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()
    main(args.visits, args.json)
