"""Worker memory after a large ingest: peak and current RSS of each gunicorn worker.

    .venv/bin/python bench/memory.py [--highlights 10000] [--snapshots 1000] [--json FILE]

Serves Margins under gunicorn (2 sync workers) on a fresh SQLite file and
sends it, over HTTP from 4 keep-alive connections, the snapshots (``PUT
/api/v1/pages`` with the HTML of the real article pages of
tests/fixtures/shared/extraction, cycled, each copy at a URL of its own, the body
gzipped as the extension sends it) and the highlights (the ingest bench's
bodies), mixed. Then it reads each worker's peak (VmHWM) and current
(VmRSS) resident size from /proc. Goal (issue 7): a worker's peak <= 120 MB.
Exits 1 when it is missed or a request failed.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.ingest import bodies  # noqa: E402
from bench.report import Row, table, write_json  # noqa: E402
from bench.serve import margins, margins_token  # noqa: E402
from tests.paths import EXTRACTION_PAGES, EXTRACTION_TRUTH  # noqa: E402

GOAL_MB = 120
CLIENTS = 4
#: the page's own canonical URL would make every copy one page; each copy is a page of its own
_CANONICAL = re.compile(r"<link[^>]+rel=[\"']?canonical[^>]*>|<meta[^>]+og:url[^>]*>", re.IGNORECASE)


def snapshot_bodies(count: int):
    """(path, gzipped JSON body) of ``count`` snapshots: the fixture pages, cycled, each copy its own page."""
    truth = json.loads(EXTRACTION_TRUTH.read_text(encoding="utf-8"))
    pages = [(truth[path.name.removesuffix(".html.gz")]["url"],
              gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
             for path in sorted(EXTRACTION_PAGES.glob("*.html.gz"))]
    for n in range(count):
        url, html = pages[n % len(pages)]
        url = f"{url}{'&' if '?' in url else '?'}bench_copy={n}"
        yield "/api/v1/pages", {"url": url, "html": _CANONICAL.sub("", html)}


def highlight_bodies(count: int):
    for body in bodies(count):
        yield f"/api/v1/highlights/{uuid.uuid4()}", json.loads(body)


def mixed(highlights: int, snapshots: int):
    """Snapshots spread evenly among the highlights."""
    every = max(1, highlights // max(1, snapshots))
    pending = snapshot_bodies(snapshots)
    for n, request in enumerate(highlight_bodies(highlights)):
        if n % every == 0:
            yield from _one(pending)
        yield request
    yield from pending


def _one(iterator):
    for item in iterator:
        yield item
        return


class Client:
    """One keep-alive connection; gzips page bodies as the extension does."""

    def __init__(self, url: str, token: str):
        self.connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=120)
        self.token = token

    def put(self, path: str, body: dict) -> int:
        data = json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if path == "/api/v1/pages":
            data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
        self.connection.request("PUT", path, body=data, headers=headers)
        answer = self.connection.getresponse()
        answer.read()
        return answer.status


def ingest(url: str, token: str, requests) -> tuple[int, list[str]]:
    """Send every request, from CLIENTS connections at once; returns how many were sent and the failures."""
    lock, failures, sent = threading.Lock(), [], [0]

    def client_loop():
        client = Client(url, token)
        while True:
            with lock:
                request = next(requests, None)
            if request is None:
                return
            status = client.put(*request)
            with lock:
                sent[0] += 1
                if not 200 <= status < 300:
                    failures.append(f"{status} for PUT {request[0]}")

    with ThreadPoolExecutor(CLIENTS) as pool:
        for done in [pool.submit(client_loop) for _ in range(CLIENTS)]:
            done.result()
    return sent[0], failures


def memory_mb(pid: int) -> tuple[float, float]:
    """Peak and current resident size of a process, in MB (10^6 bytes)."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {name: int(re.search(rf"^{name}:\s+(\d+) kB", status, re.MULTILINE).group(1)) for name in ("VmHWM", "VmRSS")}
    return kb["VmHWM"] * 1024 / 1e6, kb["VmRSS"] * 1024 / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--highlights", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=1_000)
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="margins-memory-"))
    database_url = f"sqlite:///{work / 'margins.sqlite3'}"
    try:
        token = margins_token(database_url, work / "instance")
        with margins(database_url, work / "instance") as server:
            began = time.monotonic()
            sent, failures = ingest(server.url, token, mixed(args.highlights, args.snapshots))
            took = time.monotonic() - began
            workers = {pid: memory_mb(pid) for pid in server.worker_pids()}
        with sqlite3.connect(work / "margins.sqlite3") as connection:
            stored = [connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                      for name in ("highlights", "snapshots")]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"sent {sent:,} requests ({args.highlights:,} highlights, {args.snapshots:,} gzipped snapshots) "
          f"in {took:.0f} s over {CLIENTS} connections; {len(failures)} failed; "
          f"stored {stored[0]:,} highlights and {stored[1]:,} snapshots")
    for failure in failures[:10]:
        print(f"  {failure}")
    for pid, (peak, current) in workers.items():
        print(f"  worker {pid}: peak RSS {peak:6.1f} MB, now {current:6.1f} MB")
    peak = max(peak for peak, _ in workers.values())
    rows = [
        Row("memory", f"worker peak RSS after {args.highlights:,} highlights + {args.snapshots:,} snapshots",
            f"{peak:.0f} MB", goal=f"<= {GOAL_MB} MB", passed=peak <= GOAL_MB),
        Row("memory", "failed requests", f"{len(failures)} of {sent:,}", goal="0", passed=not failures),
    ]
    print()
    print(table(rows))
    write_json(args.json, rows)
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
