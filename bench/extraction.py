"""Margins' article extractor against bare readability-lxml on real pages.

    .venv/bin/python bench/extraction.py [--ablate] [--repeat N] [--fixtures DIR] [--json FILE]

Scores both on the pages of ``fixtures/extraction`` (real news and blog
pages with hand-checked article text) the way the Scrapinghub
article-extraction benchmark does (see that folder's README), and times
them page by page in the same run, interleaved, so that both see the same
machine load. Bare readability is ``readability.Document(html).summary()``;
its HTML becomes text with the converter Margins uses, so that only the
choice of content differs. ``--ablate`` runs Margins again with each
cleaning step left out, to show what the step buys.

Exits 1 when a target of issue 3 is missed: F1 >= 0.97, median time
<= 1.5 x bare readability, no empty output, no exception.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from readability import Document  # noqa: E402

from bench.report import Row, write_json  # noqa: E402
from server.services.extraction import STEPS, decode_html, extract, html_to_text  # noqa: E402
from tests.paths import EXTRACTION_TRUTH  # noqa: E402

DEFAULT_FIXTURES = EXTRACTION_TRUTH.parent
TARGET_F1 = 0.97
TARGET_TIME_RATIO = 1.5
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: str
    truth: str


@dataclass
class Result:
    """Per-page precision, recall and seconds of one extractor."""

    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    empty: int = 0
    errors: int = 0

    def f1(self) -> float:
        p, r = statistics.mean(self.precision), statistics.mean(self.recall)
        return 2 * p * r / (p + r) if p + r else 0.0

    def milliseconds(self, quantile: float) -> float:
        ordered = sorted(self.seconds)
        return 1000 * ordered[min(len(ordered) - 1, round(quantile * (len(ordered) - 1)))]


def load_pages(fixtures: Path) -> list[Page]:
    truth = json.loads((fixtures / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        raw = gzip.decompress((fixtures / "pages" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, item["url"], decode_html(raw), item["articleBody"]))
    return pages


def shingles(text: str, size: int = 4) -> Counter:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def precision_recall(truth: str, predicted: str) -> tuple[float, float]:
    """The benchmark's per-page scores over multisets of 4-token shingles."""
    expected, found = shingles(truth), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    if not found:
        return (1.0 if not expected else 0.0), (1.0 if not expected else 0.0)
    return tp / (tp + fp), (tp / (tp + fn) if tp + fn else 1.0)


def margins(skip: frozenset[str] = frozenset()):
    return lambda page: extract(page.html, page.url, skip=skip).text


def bare(page: Page) -> str:
    return html_to_text(Document(page.html).summary())


def run(pages: list[Page], extractors: dict, repeat: int) -> dict[str, Result]:
    """Score and time each extractor on each page; a page's time is its best of `repeat`."""
    results = {name: Result() for name in extractors}
    for page in pages:
        for name, extractor in extractors.items():
            result = results[name]
            try:
                best, text = float("inf"), ""
                for _ in range(repeat):
                    start = time.perf_counter()
                    text = extractor(page)
                    best = min(best, time.perf_counter() - start)
            except Exception:  # noqa: BLE001 - a benchmark reports failures, it does not stop
                traceback.print_exc()
                result.errors += 1
                best, text = float("nan"), ""
            precision, recall = precision_recall(page.truth, text)
            result.precision.append(precision)
            result.recall.append(recall)
            result.seconds.append(best)
            result.empty += not text.strip()
    return results


def print_table(results: dict[str, Result]) -> None:
    print(f"{'extractor':<28}{'precision':>10}{'recall':>8}{'F1':>7}{'empty':>7}{'errors':>7}"
          f"{'median ms':>11}{'p95 ms':>8}{'max ms':>8}")
    for name, result in results.items():
        print(f"{name:<28}{statistics.mean(result.precision):>10.4f}{statistics.mean(result.recall):>8.4f}"
              f"{result.f1():>7.4f}{result.empty:>7}{result.errors:>7}{result.milliseconds(0.5):>11.1f}"
              f"{result.milliseconds(0.95):>8.1f}{result.milliseconds(1.0):>8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES,
                        help="folder with pages/*.html.gz and ground-truth.json")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    parser.add_argument("--ablate", action="store_true", help="also run without each cleaning step")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()

    pages = load_pages(args.fixtures)
    results = run(pages, {"margins": margins(), "readability-lxml (bare)": bare}, args.repeat)
    print(f"{len(pages)} pages from {args.fixtures}, best of {args.repeat} runs each\n")
    print_table(results)
    ours, theirs = results["margins"], results["readability-lxml (bare)"]
    ratio = ours.milliseconds(0.5) / theirs.milliseconds(0.5)
    print(f"\ntime ratio margins / bare: {ratio:.2f} (median), "
          f"{ours.milliseconds(0.95) / theirs.milliseconds(0.95):.2f} (p95)")

    if args.ablate:
        ablated = run(pages, {f"without {step}": margins(frozenset({step})) for step in STEPS}, args.repeat)
        print("\nablation: margins with one cleaning step left out\n")
        print_table(ablated)
        print(f"\n{'step':<28}{'F1 it buys':>11}")
        for step in STEPS:
            print(f"{step:<28}{ours.f1() - ablated[f'without {step}'].f1():>+11.4f}")

    missed = [
        f"F1 {ours.f1():.4f} < {TARGET_F1}" if ours.f1() < TARGET_F1 else "",
        f"time ratio {ratio:.2f} > {TARGET_TIME_RATIO}" if ratio > TARGET_TIME_RATIO else "",
        f"{ours.empty} empty outputs" if ours.empty else "",
        f"{ours.errors} exceptions" if ours.errors else "",
    ]
    missed = [item for item in missed if item]
    print("\ntargets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    write_json(args.json, [
        Row("extraction", f"snapshot cleaning F1 ({len(pages)} pages)", f"{ours.f1():.4f}",
            f"{theirs.f1():.4f} (bare readability-lxml)", "", f">= {TARGET_F1}", ours.f1() >= TARGET_F1),
        Row("extraction", "median time per page", f"{ours.milliseconds(0.5):.1f} ms",
            f"{theirs.milliseconds(0.5):.1f} ms (bare readability-lxml)", f"{ratio:.2f}x",
            f"<= {TARGET_TIME_RATIO}x", ratio <= TARGET_TIME_RATIO),
        Row("extraction", "empty outputs + exceptions", f"{ours.empty + ours.errors}",
            f"{theirs.empty + theirs.errors}", goal="0", passed=not (ours.empty or ours.errors)),
    ])
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
