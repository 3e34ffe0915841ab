"""Run every bench, each in a process of its own, and print one table of all their figures.

    .venv/bin/python bench/all.py                   # everything, full size (about 15 minutes)
    .venv/bin/python bench/all.py --quick           # short loads, small sizes (a few minutes)
    .venv/bin/python bench/all.py ingest memory     # some of them

Benches: ingest, memory, extraction, search, export, imports, anchoring, page_visits, pdf_viewer (search and
export run on SQLite, then on PostgreSQL when one answers at
127.0.0.1:5432, in a database of their own). Each bench's own output is
shown as it runs; each writes its rows with ``--json FILE``, and the table
gathers them: figure, baseline, ratio, goal, PASS/MISS. Exits 1 when a goal
is missed or a bench fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import postgresql  # noqa: E402
from bench.report import Row, read_json, table  # noqa: E402

BENCHES = ("ingest", "memory", "extraction", "search", "export", "imports", "anchoring", "page_visits", "pdf_viewer")
#: benches that take a database: on PostgreSQL, one made for them here
ON_A_DATABASE = ("search", "export")


def commands(name: str, quick: bool, postgresql_url: str | None) -> list[tuple[list[str], dict]]:
    """The runs of one bench: (arguments after python, extra environment)."""
    if name == "ingest":
        return [(["bench/ingest.py", *(["--duration", "5", "--warmup", "1"] if quick else [])], {})]
    if name == "memory":
        return [(["bench/memory.py", *(["--highlights", "1000", "--snapshots", "100"] if quick else [])], {})]
    if name == "extraction":
        return [(["bench/extraction.py", *(["--repeat", "1"] if quick else [])], {})]
    if name == "imports":
        return [(["bench/imports.py", *(["--rows", "20000"] if quick else [])], {})]
    if name == "anchoring":
        return [(["bench/anchoring/run.py", *(["--highlights", "200", "--quotes-per-page", "4"] if quick else [])], {})]
    if name == "page_visits":
        return [(["bench/page_visits.py", *(["--visits", "3"] if quick else [])], {})]
    if name == "pdf_viewer":
        return [(["bench/pdf_viewer.py", *(["--runs", "2"] if quick else [])], {})]
    if name == "search":
        sizes = ["20000"] if quick else []
        runs = [(["bench/search.py", *sizes], {})]
        if postgresql_url:
            runs.append((["bench/search.py", *sizes], {"MARGINS_DATABASE_URL": postgresql_url}))
        return runs
    if name == "export":
        size = ["--pages", "500", "--highlights", "10000"] if quick else []
        runs = [(["bench/export.py", *size], {})]
        if postgresql_url:
            runs.append((["bench/export.py", *size, "--database-url", postgresql_url], {}))
        return runs
    raise ValueError(name)


def skipped(name: str) -> str | None:
    """Why a bench cannot run here, or None."""
    if name == "ingest" and not shutil.which("wrk"):
        return "wrk is not installed; install it with: apt-get install wrk"
    if name in ("anchoring", "page_visits", "pdf_viewer") and not (REPO / "extension" / "node_modules" / ".bin" / "esbuild").exists():
        return "the extension's npm packages are missing; install them with: (cd extension && npm ci)"
    return None


def run(name: str, arguments: list[str], env: dict, folder: Path) -> tuple[list[Row], str | None]:
    """One bench run; its rows, and what went wrong if it failed."""
    result_file = folder / f"{name}-{time.monotonic_ns()}.json"
    command = [sys.executable, *arguments, "--json", str(result_file)]
    print(f"\n=== {name}: {' '.join(arguments)}" + "".join(f" ({k}={v})" for k, v in env.items()), flush=True)
    began = time.monotonic()
    # Without the caller's MARGINS_* settings: each bench chooses its own database.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARGINS_")}
    status = subprocess.run(command, cwd=REPO, env={**clean, **env}, check=False).returncode
    print(f"=== {name}: exit {status} after {time.monotonic() - began:.0f} s", flush=True)
    rows = read_json(result_file) if result_file.exists() else []
    if not rows:
        return rows, f"{name} failed (exit {status}) before reporting"
    return rows, None


def machine() -> str:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?")
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    server = "none answering"
    if postgresql.answers():
        with psycopg.connect(postgresql.SERVER + "postgres") as connection:
            server = connection.execute("SHOW server_version").fetchone()[0]
    return (f"machine: {os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, load average "
            f"{' '.join(f'{n:.1f}' for n in os.getloadavg())}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, PostgreSQL {server}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benches", nargs="*", metavar="BENCH", help=f"some of: {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="short loads and small sizes: a check, not figures")
    parser.add_argument("--no-postgresql", action="store_true", help="SQLite only")
    args = parser.parse_args()
    chosen = args.benches or list(BENCHES)
    if set(chosen) - set(BENCHES):
        parser.error(f"unknown bench {', '.join(sorted(set(chosen) - set(BENCHES)))}; choose among {', '.join(BENCHES)}")
    use_postgresql = not args.no_postgresql and postgresql.answers()

    print(machine(), flush=True)
    rows, problems = [], []
    folder = Path(tempfile.mkdtemp(prefix="margins-bench-all-"))
    try:
        for name in chosen:
            reason = skipped(name)
            if reason:
                print(f"\n=== {name}: SKIPPED: {reason}", flush=True)
                problems.append(f"{name} skipped: {reason}")
                continue
            with ExitStack() as stack:
                on_postgresql = use_postgresql and name in ON_A_DATABASE
                database = stack.enter_context(postgresql.database(name)) if on_postgresql else None
                for arguments, env in commands(name, args.quick, database):
                    if name == "ingest" and not use_postgresql:
                        arguments = [*arguments, "--no-postgresql"]
                    found, problem = run(name, arguments, env, folder)
                    rows += found
                    problems += [problem] if problem else []
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print("\n" + machine())
    print("\n" + table(rows) if rows else "\nno figures")
    for problem in problems:
        print(f"  {problem}")
    missed = [f"{row.bench}: {row.figure}" for row in rows if row.passed is False]
    failed = [problem for problem in problems if "failed" in problem]
    print("\ngoals: " + ("all met" if not missed else "MISSED: " + "; ".join(missed))
          + (f" ({len(failed)} bench runs failed)" if failed else ""))
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
