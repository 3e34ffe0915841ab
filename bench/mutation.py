"""What the content script costs on a page that never stops changing.

A page (the article seed, 20 of its passages highlighted, and one highlight
whose text is not on the page: an orphan, waiting for its text, which is the
case that makes the content script look at the page's text again) rewrites part of
its DOM 20 times a second for DURATION seconds: a ticker's text, and one
list item replaced. It runs in headless Chromium twice: without the
extension (the baseline), then with the built extension against a real
Margins server (gunicorn, a fresh SQLite file). For each run: the page's
main-thread script time and task time per second of page life (Chrome
DevTools Protocol `Performance.getMetrics`, which counts content scripts
too); for the extension, the re-anchoring passes and the milliseconds the
content script spent in its redraw checks (`keep-drawn.js` stats, asked of
the tab by the service worker).

    .venv/bin/python bench/mutation.py [--duration 30] [--highlights 20]
"""

import argparse
import html
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.serve import margins, margins_token  # noqa: E402
from tests.browser import CHROMIUM, PageServer, api, build_extension, chromium_with_extension, wait_for  # noqa: E402
from tests.extension.conftest import seed_paragraphs  # noqa: E402

TICKS_PER_SECOND = 20

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>{paragraphs}</article>
<aside><p id="ticker">0</p><ul id="feed"><li>first</li></ul></aside>
<script>
let tick = 0;
setInterval(() => {{
  tick++;
  document.getElementById("ticker").textContent = "Tick " + tick;
  const item = document.createElement("li");
  item.textContent = "Item " + tick;
  document.getElementById("feed").replaceChildren(item);
}}, {interval});
</script></body></html>"""


def metrics(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def measure(context, url: str, duration: float, ready=lambda page: True) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    wait_for(lambda: ready(page), timeout=30, message="the page ready")
    start, started = metrics(cdp), time.monotonic()
    page.wait_for_timeout(duration * 1000)
    end, elapsed = metrics(cdp), time.monotonic() - started
    ticks = page.evaluate("tick")
    return {"page": page, "seconds": elapsed, "ticks": ticks,
            "script_ms_per_s": (end["ScriptDuration"] - start["ScriptDuration"]) * 1000 / elapsed,
            "task_ms_per_s": (end["TaskDuration"] - start["TaskDuration"]) * 1000 / elapsed}


def main(duration: float, highlights: int) -> None:
    from playwright.sync_api import sync_playwright

    title, paragraphs = seed_paragraphs("002_7e9d346e9de488ee.txt")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    quotes = [p[: min(60, len(p))].strip() for p in paragraphs if len(p) > 80][:highlights]
    work = Path(tempfile.mkdtemp(prefix="margins-bench-mutation-"))
    build = build_extension()
    try:
        database_url = f"sqlite:///{work / 'margins.sqlite3'}"
        instance = work / "instance"
        token = margins_token(database_url, instance)
        with margins(database_url, instance, workers=1) as server, PageServer() as pages:
            pages.pages["/mutating.html"] = PAGE.format(title=html.escape(title), paragraphs=body,
                                                        interval=1000 // TICKS_PER_SECOND)
            url = pages.url + "/mutating.html"
            for n, quote in enumerate(quotes):
                status, answer = api(server.url, token, "PUT", f"/highlights/00000000-0000-4000-8000-{n:012d}",
                                     {"url": url, "quote": {"exact": quote}, "color": "yellow"})
                assert status in (200, 201), answer
            status, answer = api(server.url, token, "PUT", "/highlights/00000000-0000-4000-8000-999999999999",
                                 {"url": url, "quote": {"exact": "Words this page does not have"}, "color": "pink"})
            assert status in (200, 201), answer

            with sync_playwright() as playwright:
                plain = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                baseline = measure(plain.new_context(), url, duration)
                plain.close()

            with chromium_with_extension(build / "chrome", work / "chromium") as browser:
                browser.configure(server.url, token)
                drawn = "() => CSS.highlights.get('margins-yellow')?.size ?? 0"
                with_extension = measure(browser.context, url, duration,
                                         lambda page: page.evaluate(drawn) == len(quotes) and browser.storage("page:" + url))
                tab = browser.tab_id(url)
                stats = browser.worker.evaluate("(tab) => chrome.tabs.sendMessage(tab, {type: 'stats'}, {frameId: 0})", tab)
                still_drawn = with_extension["page"].evaluate(drawn)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"page: {len(paragraphs)} paragraphs, {len(quotes)} highlights and an orphan, DOM changed {TICKS_PER_SECOND}x/s for "
          f"{duration:.0f} s ({baseline['ticks']} and {with_extension['ticks']} changes)")
    for name, run in (("without the extension", baseline), ("with the extension", with_extension)):
        print(f"{name:>24}: script {run['script_ms_per_s']:6.2f} ms/s   tasks {run['task_ms_per_s']:6.2f} ms/s")
    per_second = stats["ms"] / with_extension["seconds"]
    print(f"{'content script':>24}: {stats['anchorings']} anchoring passes in all ({stats['passes']} from the redraw "
          f"checks), {stats['checks']} checks, "
          f"{stats['ms']:.1f} ms in them ({per_second:.2f} ms per second of page life); "
          f"{still_drawn}/{len(quotes)} still drawn")
    print(f"{'extra script time':>24}: {with_extension['script_ms_per_s'] - baseline['script_ms_per_s']:+.2f} ms/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30, help="seconds of page life measured (default 30)")
    parser.add_argument("--highlights", type=int, default=20, help="highlights drawn on the page, beside the orphan (default 20)")
    args = parser.parse_args()
    main(args.duration, args.highlights)
