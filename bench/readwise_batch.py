"""Batch intake: highlights per second through POST /api/v2/highlights/ in batches of 1,000, beside sqlite3
executemany of the same rows, in one run.

    .venv/bin/python bench/readwise_batch.py [--batches 5] [--size 1000] [--json FILE]

- margins: Margins under gunicorn (2 sync workers, ``serve.py``) on a fresh
  SQLite file, its write limit out of the way; ``--batches`` requests, each
  of ``--size`` new highlights (a KOReader-like push: text, title, author,
  location, a note on one in three), spread over 20 books. Each batch is one
  transaction: pages, highlights, tags, the search index, the change feed.
- importer: the same highlights as a Readwise export JSON file, one file per
  batch, through ``POST /api/v1/import?format=readwise-json`` on the same
  server, as another user: the importer's speed, which the intake is to come
  close to (both end in the importer's one store).
- baseline: Python's sqlite3 on a fresh file (WAL, synchronous=NORMAL, as
  Margins runs), ``executemany`` of the same rows into one table with a
  unique (book, text, location) key, one commit per batch.

No goal is set: the figure is for docs/performance.md, and the ratio shows
what the all-or-nothing store with its index and feed costs over a bare insert.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.report import Row, table, write_json  # noqa: E402
from bench.serve import margins, margins_token  # noqa: E402
from tests.paths import SEEDS  # noqa: E402

BOOKS = 20


def batches(count: int, size: int) -> list[list[dict]]:
    """``count`` pushes of ``size`` distinct highlights each, quoting the seed texts."""
    words = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))).split()
    made = []
    for batch in range(count):
        items = []
        for n in range(size):
            at = (batch * size + n) * 7 % max(1, len(words) - 40)
            items.append({
                "text": " ".join(words[at:at + 12 + n % 20]), "title": f"Book {n % BOOKS}", "author": "A. Writer",
                "category": "books", "source_type": "bench", "location": batch * size + n, "location_type": "page",
                **({"note": f"note {n}"} if n % 3 == 0 else {}),
            })
        made.append(items)
    return made


def wait_for_job(status_url: str, token: str) -> None:
    """Until the job is done (asked every 50 ms, so the wait adds little to the figure)."""
    while True:
        ask = urllib.request.Request(status_url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(ask, timeout=30) as answer:
            job = json.loads(answer.read())
        if job["state"] in ("done", "failed"):
            assert job["state"] == "done", job
            return
        time.sleep(0.05)


def push_all(url: str, token: str, pushes: list[list[dict]]) -> float:
    started = time.perf_counter()
    for items in pushes:
        request = urllib.request.Request(
            url + "/api/v2/highlights/", data=json.dumps({"highlights": items}).encode(), method="POST",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as answer:
            assert answer.status == 202, answer.status  # accepted: stored in the background
            status_url = json.loads(answer.read())["job"]["status_url"]
        wait_for_job(url + status_url, token)
    return time.perf_counter() - started


def as_export(items: list[dict]) -> bytes:
    """The batch as Readwise's export JSON: books with their highlights."""
    books: dict[str, dict] = {}
    for item in items:
        book = books.setdefault(item["title"], {"title": item["title"], "author": item["author"], "highlights": []})
        book["highlights"].append({"text": item["text"], "location": item["location"], "note": item.get("note")})
    return json.dumps({"results": list(books.values())}).encode()


def import_all(url: str, token: str, pushes: list[list[dict]]) -> float:
    files = [as_export(items) for items in pushes]
    started = time.perf_counter()
    for data in files:
        request = urllib.request.Request(
            url + "/api/v1/import?format=readwise-json", data=data, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300) as answer:
            assert answer.status == 202, answer.status  # accepted: stored in the background
            status_url = json.loads(answer.read())["job"]["status_url"]
        wait_for_job(url + status_url, token)
    return time.perf_counter() - started


def executemany_all(path: Path, pushes: list[list[dict]]) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE highlights (id INTEGER PRIMARY KEY, book TEXT, author TEXT, text TEXT, "
                       "location INTEGER, note TEXT, UNIQUE (book, text, location))")
    started = time.perf_counter()
    for items in pushes:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO highlights (book, author, text, location, note) VALUES (?, ?, ?, ?, ?)",
            [(i["title"], i["author"], i["text"], i["location"], i.get("note", "")) for i in items])
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args()
    pushes = batches(args.batches, args.size)
    total = args.batches * args.size
    with tempfile.TemporaryDirectory(prefix="margins-bench-readwise-") as folder:
        folder = Path(folder)
        database = f"sqlite:///{folder / 'margins.sqlite3'}"
        token = margins_token(database, folder)  # the CLI brings the new database up to date first
        importer_token = margins_token(database, folder, "importer")
        with margins(database, folder) as server:
            margins_seconds = push_all(server.url, token, pushes)
            importer_seconds = import_all(server.url, importer_token, pushes)
        baseline_seconds = executemany_all(folder / "baseline.sqlite3", pushes)
    ours, theirs, imported = total / margins_seconds, total / baseline_seconds, total / importer_seconds
    print(f"margins:  {total} highlights in {margins_seconds:.2f} s: {ours:,.0f} highlights/s "
          f"({args.batches} POSTs of {args.size})")
    print(f"importer: {total} highlights in {importer_seconds:.2f} s: {imported:,.0f} highlights/s "
          f"(POST /api/v1/import, readwise-json)")
    print(f"baseline: {total} rows in {baseline_seconds:.3f} s: {theirs:,.0f} rows/s (sqlite3 executemany)")
    rows = [Row("readwise_batch", f"highlights/s, POST /api/v2/highlights/ in batches of {args.size}",
                f"{ours:,.0f}", f"{theirs:,.0f}", f"{ours / theirs:.4f}x"),
            Row("readwise_batch", "the same, beside the importer (POST /api/v1/import) of the same rows",
                f"{ours:,.0f}", f"{imported:,.0f}", f"{ours / imported:.2f}x")]
    print(table(rows))
    write_json(args.json, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
