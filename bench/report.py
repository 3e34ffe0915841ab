"""One result format for every bench: rows of figure, baseline, ratio, goal and verdict.

A bench run with ``--json FILE`` writes its rows there, and ``bench/all.py``
reads them back and prints one table for all benches. ``passed`` is None
for a figure that has no goal.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Row:
    bench: str
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "-"}[self.passed]


def write_json(path: Path | str | None, rows: list[Row]) -> None:
    if path:
        Path(path).write_text(json.dumps([asdict(row) for row in rows], indent=1), encoding="utf-8")


def read_json(path: Path | str) -> list[Row]:
    return [Row(**row) for row in json.loads(Path(path).read_text(encoding="utf-8"))]


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal, pasted as is into docs/performance.md)."""
    head = ("bench", "figure", "Margins", "baseline", "ratio", "goal", "")
    cells = [head] + [(r.bench, r.figure, r.value, r.baseline, r.ratio, r.goal, r.verdict) for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(head))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)
