"""Highlight ingest under load: Margins beside a minimal Flask app, same gunicorn, same wrk load.

    .venv/bin/python bench/ingest.py [--duration 20] [--connections 16] [--users 1] [--no-postgresql] [--json FILE]

Each server runs under gunicorn (2 sync workers) and gets the same load
from Debian's ``wrk`` (2 threads, 16 connections, ``--duration`` seconds
after a short warm-up): ``PUT /api/v1/highlights/<new uuid>`` with bodies
like the extension's (a quote of the seed texts with its 32 characters of
context, position, range, color, a note on one in three, up to three tags,
one of 50 pages), so every request is an insert. Servers:

- margins: Margins on a fresh SQLite file, then on a fresh PostgreSQL
  database when one answers at 127.0.0.1:5432; with its per-token write
  rate limit set so high that it never refuses (its cost is measured);
  one user by default, as the issue asks; with ``--users N``, N users
  whose tokens the requests take in turn (a server many people use);
- baseline: ``bench/baseline_app.py``, Flask + sqlite3 (WAL,
  synchronous=NORMAL): parse, insert one row, commit, answer 201 with JSON;
  and the same app on psycopg, beside Margins on PostgreSQL.

Goals (issue 7), for Margins against the sqlite3 baseline: throughput
>= 0.6x, p99 <= 2x, and no answer other than 2xx. Exits 1 when one is
missed. The PostgreSQL databases are made and dropped here (bench/postgresql.py);
nothing else on that server is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import postgresql  # noqa: E402
from bench.baseline_app import create_table  # noqa: E402
from bench.report import Row, table, write_json  # noqa: E402
from bench.serve import Gunicorn, margins, margins_token  # noqa: E402
from tests.paths import SEEDS  # noqa: E402

SCRIPT = Path(__file__).with_name("ingest.lua")
GOAL_THROUGHPUT, GOAL_P99 = 0.6, 2.0
COLORS = ("yellow", "green", "blue", "pink", "purple", "orange")
TAGS = ("ai", "policy", "reading", "to-check", "economics", "China", "chips", "open source", "cloud", "quote")
CONTEXT = 32


@dataclass
class Load:
    """What wrk measured against one server."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int
    first_failure: str

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def describe(self) -> str:
        return (f"{self.throughput:7.1f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
                f"non-2xx {self.non2xx}  socket errors {self.socket_errors}")


def bodies(count: int = 2000, seed: int = 7) -> list[str]:
    """Highlight bodies as the extension sends them, quoting the seed texts."""
    rng = random.Random(seed)
    texts = [" ".join(path.read_text(encoding="utf-8").split()) for path in sorted(SEEDS.glob("*.txt"))]
    made = []
    for n in range(count):
        text = rng.choice(texts)
        start = rng.randrange(CONTEXT, len(text) - 400)
        end = start + rng.randint(40, 300)
        page = rng.randrange(50)
        body = {
            "url": f"https://news.example.org/2026/{page % 12 + 1:02d}/story-{page}?utm_source=feed",
            "title": f"Story {page}: " + text[page * 40 % (len(text) - 60):][:60].strip(),
            "quote": {"exact": text[start:end], "prefix": text[start - CONTEXT:start], "suffix": text[end:end + CONTEXT]},
            "position": {"start": start, "end": end},
            "range": {"startContainer": "/html[1]/body[1]/main[1]/article[1]/p[3]", "startOffset": start % 200,
                      "endContainer": "/html[1]/body[1]/main[1]/article[1]/p[4]", "endOffset": end % 200},
            "color": rng.choice(COLORS),
            "note": rng.choice(texts)[:rng.randint(20, 200)] if n % 3 == 0 else "",
            "tags": rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3))),
            "created_at": f"2026-03-{n % 28 + 1:02d}T10:{n % 60:02d}:00Z",
        }
        made.append(json.dumps(body))
    return made


def run_wrk(url: str, env: dict, duration: float, connections: int, threads: int) -> Load:
    env = {**env, "INGEST_NONCE": secrets.token_hex(4)}
    command = ["wrk", "--threads", str(threads), "--connections", str(connections), "--duration", f"{duration:g}s",
               "--timeout", "60s", "--script", str(SCRIPT), url]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 120, check=False)
    found = re.search(r"^WRK_RESULT (.*)$", result.stdout, re.MULTILINE)
    if result.returncode or not found:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    raw = json.loads(found.group(1))
    return Load(raw["requests"], raw["duration_us"] / 1e6, raw["p50_us"] / 1000, raw["p99_us"] / 1000,
                raw["non2xx"], raw["socket_errors"], raw["first_failure"])


def load(server: Gunicorn, tokens: list[str], args, body_file: Path) -> Load:
    """A warm-up (every worker has loaded the app), then the measured run."""
    env = {"INGEST_BODIES": str(body_file), "INGEST_TOKENS": ",".join(tokens), "PATH": "/usr/bin:/bin"}
    run_wrk(server.url, env, args.warmup, args.connections, args.threads)
    measured = run_wrk(server.url, env, args.duration, args.connections, args.threads)
    if measured.first_failure:
        print(f"    first failure: {measured.first_failure}")
    return measured


def margins_run(database_url: str, work: Path, args, body_file: Path) -> tuple[Load, int]:
    """Margins on this database, with users and tokens of its own. Returns the load and the rows stored."""
    instance = work / f"instance-{secrets.token_hex(3)}"
    tokens = [margins_token(database_url, instance, f"bench{n}") for n in range(args.users)]
    with margins(database_url, instance) as server:
        measured = load(server, tokens, args, body_file)
    return measured, count_rows(database_url.removeprefix("sqlite:///"))


def baseline_run(database: str, args, body_file: Path) -> tuple[Load, int]:
    create_table(database)
    env = {**os.environ, "BASELINE_DATABASE": database}
    with Gunicorn("bench.baseline_app:app", env) as server:
        measured = load(server, ["none"], args, body_file)
    return measured, count_rows(database)


def count_rows(database: str) -> int:
    if database.startswith("postgresql"):
        with psycopg.connect(database) as connection:
            return connection.execute("SELECT count(*) FROM highlights").fetchone()[0]
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM highlights").fetchone()[0]


def compare(label: str, ours: Load, baseline: Load, baseline_name: str) -> list[Row]:
    throughput = ours.throughput / baseline.throughput
    p99 = ours.p99_ms / baseline.p99_ms
    return [
        Row("ingest", f"{label}: highlight PUTs/s", f"{ours.throughput:.0f}/s",
            f"{baseline.throughput:.0f}/s ({baseline_name})", f"{throughput:.2f}x",
            f">= {GOAL_THROUGHPUT}x", throughput >= GOAL_THROUGHPUT),
        Row("ingest", f"{label}: p99 (p50)", f"{ours.p99_ms:.0f} ms ({ours.p50_ms:.0f})",
            f"{baseline.p99_ms:.0f} ms ({baseline.p50_ms:.0f}) ({baseline_name})", f"{p99:.2f}x",
            f"<= {GOAL_P99}x", p99 <= GOAL_P99),
    ]


def errors_row(label: str, ours: Load) -> Row:
    bad = ours.non2xx + ours.socket_errors
    return Row("ingest", f"{label}: non-2xx + socket errors", f"{bad} of {ours.requests}", goal="0", passed=bad == 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of measured load per server")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--users", type=int, default=1, help="Margins users writing at once, a token each")
    parser.add_argument("--no-postgresql", action="store_true", help="SQLite only")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed; install it with: apt-get install wrk")
        return 2

    work = Path(tempfile.mkdtemp(prefix="margins-ingest-"))
    body_file = work / "bodies.jsonl"
    body_file.write_text("\n".join(bodies()) + "\n", encoding="utf-8")
    print(f"wrk: {args.threads} threads, {args.connections} connections, {args.duration:g} s after "
          f"{args.warmup:g} s of warm-up; gunicorn: 2 sync workers; Margins users: {args.users}")
    users = "" if args.users == 1 else f", {args.users} users"  # in the table's labels
    rows = []
    try:
        def report(name: str, result: tuple[Load, int]) -> Load:
            print(f"  {name:<34}{result[0].describe()}  ({result[1]:,} rows stored)", flush=True)
            return result[0]

        sqlite_baseline = report("baseline Flask + sqlite3", baseline_run(str(work / "baseline.sqlite3"), args, body_file))
        margins_sqlite = report("Margins on SQLite",
                                margins_run(f"sqlite:///{work / 'margins.sqlite3'}", work, args, body_file))
        rows += [*compare(f"SQLite{users}", margins_sqlite, sqlite_baseline, "Flask+sqlite3"),
                 errors_row(f"SQLite{users}", margins_sqlite)]
        if args.no_postgresql or not postgresql.answers():
            print("PostgreSQL: skipped" + ("" if args.no_postgresql else " (nothing answers at 127.0.0.1:5432)"))
        else:
            with postgresql.database("ingest") as margins_db, postgresql.database("ingest_baseline") as baseline_db:
                pg_baseline = report("baseline Flask + psycopg", baseline_run(baseline_db, args, body_file))
                margins_pg = report("Margins on PostgreSQL", margins_run(margins_db, work, args, body_file))
            rows += [*compare(f"PostgreSQL{users}", margins_pg, sqlite_baseline, "Flask+sqlite3"),
                     *compare(f"PostgreSQL{users}", margins_pg, pg_baseline, "Flask+psycopg"),
                     errors_row(f"PostgreSQL{users}", margins_pg)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    write_json(args.json, rows)
    missed = [row.figure for row in rows if row.passed is False]
    print("\ngoals: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
