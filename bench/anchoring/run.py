"""Re-anchor 1,000 highlights on a long page in Chromium, with Margins' anchoring
and with a Hypothesis-style baseline (exact search, then approx-string-match
with up to min(256, length/2) errors, scored on context and position).

The page is the one of tests/fixtures/shared/extraction/pages with the most text,
its body repeated four times, so each quote occurs about four times and only
context and position tell them apart; 10% of the quotes are slightly edited.

    .venv/bin/python bench/anchoring/run.py [HIGHLIGHTS] [--json FILE]   (after: cd extension && npm ci; default 1000)
"""

import argparse
import gzip
import subprocess
import sys
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.report import Row, write_json  # noqa: E402
from tests.paths import EXTRACTION_PAGES  # noqa: E402

EXTENSION = REPO / "extension"


def longest_page() -> tuple[Path, str]:
    best = None
    for path in sorted(EXTRACTION_PAGES.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        tree = lxml.html.fromstring(html)
        for hidden in tree.xpath("//script | //style | //noscript | //template"):
            hidden.drop_tree()
        body = tree.find("body")
        length = len(body.text_content()) if body is not None else 0
        if best is None or length > best[0]:
            best = (length, path, html)
    return best[1], best[2]


def bundle() -> str:
    esbuild = EXTENSION / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        sys.exit("Install the extension's npm packages first: (cd extension && npm ci)")
    result = subprocess.run(
        [str(esbuild), str(Path(__file__).with_name("bench.mjs")), "--bundle", "--format=iife", "--log-level=warning",
         f"--alias:approx-string-match={EXTENSION / 'node_modules' / 'approx-string-match'}"],
        capture_output=True, text=True, check=True, cwd=EXTENSION,
    )
    return result.stdout


#: issue 4: at least this much faster than the baseline, with no wrong placement
GOAL_SPEED_UP = 20


def main(count: int, json_path=None) -> None:
    from playwright.sync_api import sync_playwright

    path, html = longest_page()
    code = bundle()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # the bench page loads nothing
            page.add_script_tag(content=code)
            result = page.evaluate("([html, count]) => runBench(html, {count})", [html, count])
        finally:
            browser.close()
    margins, baseline = result["margins"], result["baseline"]
    print(f"page: {path.name} body x4 -> {result['textLength']:,} characters of text; "
          f"{result['highlights']} highlights, {result['edited']} slightly edited; "
          f"a quote occurs {result['medianOccurrences']} times (median)")
    for name, row in (("Margins", margins), ("Hypothesis-style baseline", baseline)):
        print(f"{name:>26}: {row['ms']:9.1f} ms   right occurrence {row['right']:4d}   "
              f"wrong {row['wrong']:3d}   not found {row['missing']:3d}")
    speed_up = baseline['ms'] / max(margins['ms'], 0.001)
    print(f"{'speed-up':>26}: {speed_up:.0f}x")
    write_json(json_path, [
        Row("anchoring", f"re-anchor {result['highlights']:,} highlights in Chromium", f"{margins['ms']:.0f} ms",
            f"{baseline['ms']:.0f} ms (Hypothesis-style)", f"{speed_up:.1f}x faster", f">= {GOAL_SPEED_UP}x faster",
            speed_up >= GOAL_SPEED_UP),
        Row("anchoring", "wrong placements / not found", f"{margins['wrong']} / {margins['missing']}",
            f"{baseline['wrong']} / {baseline['missing']}", goal="0 wrong", passed=margins["wrong"] == 0),
    ])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("highlights", nargs="?", type=int, default=1000)
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    arguments = parser.parse_args()
    main(arguments.highlights, arguments.json)
