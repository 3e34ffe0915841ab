"""Re-anchor highlights in Chromium with Margins' anchoring and with the Hypothesis
way (exact search, then approx-string-match with up to min(256, length/2) errors,
scored on context and position), on changed pages:

1. the perturbation bench (perturb.mjs): on each of the 59 pages of
   tests/fixtures/shared/extraction/pages, quotes in random paragraphs, and a
   changed copy of the page per kind of change (insert or delete a paragraph
   before, a context word, re-wrapped markup, the paragraph moved, a word of the
   quote, the paragraph deleted, deleted with a look-alike sentence elsewhere,
   pull quotes, a repeated caption): right / wrong / orphan per kind and the
   total times; then how many wrong placements and lost right ones each
   threshold of the confidence would give;
2. the long repeated page (bench.mjs): the page with the most text, its body
   repeated four times, so each quote occurs about four times and only context
   and position tell them apart; 10% of the quotes slightly edited.

    .venv/bin/python bench/anchoring/run.py [--highlights 1000] [--quotes-per-page 12] [--json FILE]
    (after: cd extension && npm ci)
"""

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.report import Row, write_json  # noqa: E402
from tests.paths import EXTRACTION_PAGES  # noqa: E402

EXTENSION = REPO / "extension"


def fixture_pages() -> list[tuple[Path, str]]:
    return [(path, gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
            for path in sorted(EXTRACTION_PAGES.glob("*.html.gz"))]


def longest_page(pages) -> tuple[Path, str]:
    best = None
    for path, html in pages:
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
        [str(esbuild), str(Path(__file__).with_name("perturb.mjs")), "--bundle", "--format=iife", "--log-level=warning",
         f"--alias:approx-string-match={EXTENSION / 'node_modules' / 'approx-string-match'}"],
        capture_output=True, text=True, check=True, cwd=EXTENSION,
    )
    return result.stdout


#: issue 4: at least this much faster than the baseline on the long repeated page, with no wrong placement
GOAL_SPEED_UP = 20
#: issue 15: edit and move quotes lost to orphans, at most
GOAL_LOST = 0.01
#: issue 15: the threshold can move this much either way with no wrong placement and no right one lost
GOAL_MARGIN = 0.05
#: the thresholds whose outcome the bench prints
THRESHOLDS = [round(0.5 + 0.02 * i, 2) for i in range(21)]


def perturbation_rows(result) -> list[Row]:
    kinds = result["kinds"]
    print(f"{result['pages']} pages, {result['quotes']} quotes; per kind of change (a quote whose "
          "paragraph is gone is right only as an orphan):")
    print(f"{'':>26}  {'Margins':^26}  {'Hypothesis way':^26}")
    print(f"{'kind':>26}  {'right':>8}{'wrong':>9}{'orphan':>9}  {'right':>8}{'wrong':>9}{'orphan':>9}  time (Margins / Hypothesis)")
    total = {"margins": 0.0, "baseline": 0.0}
    wrong = {"margins": 0, "baseline": 0}
    for kind, row in kinds.items():
        cells = []
        for name in ("margins", "baseline"):
            tally = row[name]
            total[name] += tally["ms"]
            wrong[name] += tally["wrong"]
            cells.append(f"{tally['right']:>8}{tally['wrong']:>9}{tally['orphan']:>9}")
        print(f"{kind:>26}  {cells[0]}  {cells[1]}  {row['margins']['ms']:7.0f} / {row['baseline']['ms']:.0f} ms")
    print(f"{'total time':>26}  {total['margins']:>17.0f} ms  {total['baseline']:>17.0f} ms")
    # Margins' best candidate for every quote, placed or not: what each threshold would do.
    scores = result["scores"]
    print("threshold: wrong placements / right ones lost to orphans (over all kinds) if it were that "
          f"(anchoring.js has {result['threshold']})")
    print("   " + "  ".join(f"{t:.2f}: {sum(1 for s, right, _ in scores if s >= t and not right)}"
                           f"/{sum(1 for s, right, _ in scores if s < t and right)}" for t in THRESHOLDS))
    wrong_scores = [s for s, right, _ in scores if not right]
    lowest = next((t for t in (round(0.5 + 0.01 * i, 2) for i in range(51)) if all(s < t for s in wrong_scores)), None)
    if lowest is not None:
        lost = [kind for s, right, kind in scores if right and s < lowest]
        moved = sum(1 for kind in lost if kind in ("edit quote word", "move block"))
        print(f"highest-scored wrong candidate {max(wrong_scores, default=0):.3f} (ambiguous ones are never drawn): "
              f"the lowest threshold with no wrong placement is {lowest:.2f}, losing {len(lost)} right ones "
              f"({moved} of them edit or move quotes)")
    # How far the threshold could move either way before a wrong candidate is
    # drawn or a right one lost (ambiguous ones, never drawn, left out).
    threshold = result["threshold"]
    worst_right = min((s for s, right, _ in scores if right and s >= 0), default=1)
    best_wrong = max((s for s, right, _ in scores if not right and s >= 0), default=0)
    margin = min(threshold - best_wrong, worst_right - threshold)
    print(f"right candidates score {worst_right:.3f} or more, wrong ones {best_wrong:.3f} or less: "
          f"the threshold {threshold} has a margin of {margin:.3f}")
    lost = sum(kinds[k]["margins"]["orphan"] for k in ("edit quote word", "move block"))
    counted = sum(kinds[k]["quotes"] for k in ("edit quote word", "move block"))
    return [
        Row("anchoring", f"perturbed pages: wrong placements ({result['quotes']} quotes x {len(kinds)} kinds)",
            str(wrong["margins"]), str(wrong["baseline"]), goal="0", passed=wrong["margins"] == 0),
        Row("anchoring", f"perturbed pages: margin of the threshold {threshold} (to the best wrong / worst right score)",
            f"{margin:.3f}", goal=f">= {GOAL_MARGIN}", passed=margin >= GOAL_MARGIN),
        Row("anchoring", "perturbed pages: edit and move quotes lost to orphans", f"{lost} of {counted}",
            goal=f"<= {GOAL_LOST:.0%}", passed=lost <= GOAL_LOST * counted),
        Row("anchoring", "perturbed pages: total anchoring time", f"{total['margins']:.0f} ms",
            f"{total['baseline']:.0f} ms", f"{total['baseline'] / max(total['margins'], 0.001):.1f}x faster",
            "<= the Hypothesis way's", total["margins"] <= total["baseline"]),
    ]


def main(count: int, quotes_per_page: int, json_path=None, verbose=False) -> None:
    from playwright.sync_api import sync_playwright

    pages = fixture_pages()
    path, html = longest_page(pages)
    code = bundle()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # the bench page loads nothing
            page.add_script_tag(content=code)
            perturbed = page.evaluate("([pages, quotesPerPage]) => runPerturbation(pages, {quotesPerPage})",
                                      [[html for _, html in pages], quotes_per_page])
            result = page.evaluate("([html, count]) => runBench(html, {count})", [html, count])
        finally:
            browser.close()
    rows = perturbation_rows(perturbed)
    if verbose:
        for sample in perturbed["samples"]:
            print(json.dumps(sample, ensure_ascii=False))
    print()
    margins, baseline = result["margins"], result["baseline"]
    print(f"long repeated page: {path.name} body x4 -> {result['textLength']:,} characters of text; "
          f"{result['highlights']} highlights, {result['edited']} slightly edited; "
          f"a quote occurs {result['medianOccurrences']} times (median)")
    for name, row in (("Margins", margins), ("Hypothesis way", baseline)):
        print(f"{name:>26}: {row['ms']:9.1f} ms   right occurrence {row['right']:4d}   "
              f"wrong {row['wrong']:3d}   not found {row['missing']:3d}")
    speed_up = baseline['ms'] / max(margins['ms'], 0.001)
    print(f"{'speed-up':>26}: {speed_up:.0f}x")
    write_json(json_path, rows + [
        Row("anchoring", f"long repeated page: re-anchor {result['highlights']:,} highlights", f"{margins['ms']:.0f} ms",
            f"{baseline['ms']:.0f} ms (Hypothesis way)", f"{speed_up:.1f}x faster", f">= {GOAL_SPEED_UP}x faster",
            speed_up >= GOAL_SPEED_UP),
        Row("anchoring", "long repeated page: wrong placements / not found", f"{margins['wrong']} / {margins['missing']}",
            f"{baseline['wrong']} / {baseline['missing']}", goal="0 wrong", passed=margins["wrong"] == 0),
    ])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--highlights", type=int, default=1000, help="on the long repeated page (default 1000)")
    parser.add_argument("--quotes-per-page", type=int, default=12, help="in the perturbation bench (default 12)")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    parser.add_argument("--verbose", action="store_true", help="also print Margins' wrong placements, lost quotes and candidates scored within 0.2 of the threshold")
    arguments = parser.parse_args()
    main(arguments.highlights, arguments.quotes_per_page, arguments.json, arguments.verbose)
