"""How fast an import job stores a 100,000-row Readwise CSV, beside a bare sqlite3 ``executemany``.

    .venv/bin/python bench/imports.py [--rows 100000] [--books 100] [--json FILE]

Makes a fresh SQLite file with one user and the CSV (tests/services/importing/large_files.py: one
unique passage a row, a note on one in five, over 100 books), then times in the same run:

- margins: the job path the API and the web form take (services/importing/jobs.py): ``create_job``
  (parse and check the whole file, keep it) and ``run_job`` (chunks of 1,000 rows, each its own
  transaction under the user's lock with its progress, and the pause between chunks that lets
  other writers in), as the background thread runs it;
- margins, again: the same file imported a second time (every row already there: nothing changes);
- baseline: the same rows read with ``csv`` and inserted with one ``executemany`` into a bare
  table of the same columns (no pages, tags, search index or change numbers), one transaction.

The goal: the 100,000 rows in at most half the 120 s a gunicorn worker may take (deploy/gunicorn.conf.py).
"""

import argparse
import csv
import io
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Row, table, write_json  # noqa: E402
from server import create_app  # noqa: E402
from server.db import db  # noqa: E402
from server.services import users  # noqa: E402
from server.services.importing import jobs  # noqa: E402
from tests.services.importing.large_files import readwise_csv  # noqa: E402

#: a gunicorn worker's timeout (deploy/gunicorn.conf.py); the goal is half of it
WORKER_TIMEOUT = 120


def job_path(session, user_id: int, data: bytes) -> tuple[float, float, dict]:
    """Wall and CPU seconds of the job, and its summary."""
    begin, cpu = time.perf_counter(), time.process_time()
    job, parsed = jobs.create_job(session, user_id, "readwise-csv", data, "bench.csv")
    session.commit()
    jobs.run_job(session, job.id, parsed)
    seconds, cpu = time.perf_counter() - begin, time.process_time() - cpu
    session.refresh(job)
    assert job.state == "done", job.error
    return seconds, cpu, job.summary


def bare_executemany(path: Path, data: bytes) -> tuple[float, float]:
    begin, cpu = time.perf_counter(), time.process_time()
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))[1:]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE highlights (id INTEGER PRIMARY KEY, exact TEXT, title TEXT, author TEXT, "
                       "url TEXT, note TEXT, location INTEGER, created TEXT)")
    with connection:
        connection.executemany("INSERT INTO highlights (exact, title, author, url, note, location, created) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    connection.close()
    return time.perf_counter() - begin, time.process_time() - cpu


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("--rows", type=int, default=100_000)
    arguments.add_argument("--books", type=int, default=100)
    arguments.add_argument("--json", help="write the result rows here (bench/report.py)")
    options = arguments.parse_args()
    data = readwise_csv(options.rows, options.books)
    with tempfile.TemporaryDirectory(prefix="margins-bench-imports-") as folder:
        app = create_app({"INSTANCE_PATH": folder})
        with app.app_context():
            user = users.create_user(db.session, "bench", "correct horse battery")
            db.session.commit()
            first, first_cpu, summary = job_path(db.session, user.id, data)
            assert summary["highlights_created"] == options.rows, summary
            again, again_cpu, summary = job_path(db.session, user.id, data)
            assert summary["highlights_unchanged"] == options.rows, summary
        baseline, baseline_cpu = bare_executemany(Path(folder) / "bare.sqlite3", data)
    rate, again_rate, bare_rate = options.rows / first, options.rows / again, options.rows / baseline
    print(f"{options.rows} rows ({len(data) / 1e6:.1f} MB): job path {first:.1f} s ({rate:,.0f} rows/s; "
          f"CPU {first_cpu:.1f} s), again {again:.1f} s ({again_rate:,.0f} rows/s; CPU {again_cpu:.1f} s), "
          f"bare executemany {baseline:.2f} s ({bare_rate:,.0f} rows/s; CPU {baseline_cpu:.2f} s); "
          f"pauses between chunks: {(options.rows // jobs.CHUNK_ROWS) * jobs.PAUSE_SECONDS:.0f} s of each job")
    goal = WORKER_TIMEOUT / 2 * options.rows / 100_000
    rows = [
        Row("imports", f"{options.rows:,}-row Readwise CSV, job path (SQLite)", f"{first:.1f} s, {rate:,.0f} rows/s",
            f"{bare_rate:,.0f} rows/s executemany", f"{rate / bare_rate:.2f}",
            f"≤ {goal:.0f} s", first <= goal),
        Row("imports", "the same file again (nothing changes)", f"{again:.1f} s, {again_rate:,.0f} rows/s",
            f"{bare_rate:,.0f} rows/s executemany", f"{again_rate / bare_rate:.2f}", f"≤ {goal:.0f} s", again <= goal),
    ]
    print(table(rows))
    write_json(options.json, rows)
    sys.exit(0 if all(row.passed for row in rows) else 1)


if __name__ == "__main__":
    main()
