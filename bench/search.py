"""Search speed: p50/p95 query time per kind of query over 100,000 and 1,000,000 highlights of real text.

    .venv/bin/python bench/search.py                 # SQLite, in a temporary folder
    MARGINS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py 10000 [--json FILE]   # other sizes; rows for bench/all.py
    .venv/bin/python bench/search.py 1000000 --reuse /tmp/search-1m   # build once, measure again later

Highlights are sentences of the seed texts (tests/fixtures/shared/seeds), alone
or in pairs, one user, 50 to a page on 97 sites, a tenth of them with one of
ten tags, inserted in bulk; the index is then built by ``search.reindex``.
The seeds have a small vocabulary (236 sentences), so a common word ("AI")
matches three highlights in four and even a rare one ("Siemens") one in 200:
a harsher case than real libraries. The bench user and its rows are removed
at the end. Each size runs the same queries, five rounds, and prints p50/p95
per kind (``QUERIES``); the goal of issue 19 is a p95 of at most 50 ms for
each. Not a test: it prints, it asserts nothing. ``make_corpus`` is shared
with tests/services/test_search.py.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.paths import SEEDS  # noqa: E402

PER_PAGE = 50
TAGS = 10
#: kind of query: (query, filters) pairs
QUERIES = {
    "common word": [("AI", {}), ("models", {}), ("China", {}), ("infrastructure", {})],
    "rare word": [("Siemens", {}), ("podcast", {}), ("valuation", {}), ("healthcare", {})],
    "phrase": [('"net importer of intelligence"', {}), ('"open-source models"', {}), ('"sovereign AI"', {})],
    "prefix": [("semicon*", {}), ("sovereign*", {}), ("infra*", {}), ("digi*", {})],
    "two words": [("open-source models", {}), ("China models", {}), ("global infrastructure", {}),
                  ("Siemens stacks", {})],
    "filtered": [("AI", {"color": "blue"}), ("models", {"site": "site5.example"}), ("China", {"tag": "topic3"}),
                 ("open-source models", {"color": "green", "site": "site7.example"})],
}
GOAL_MS = 50


def sentences() -> list[str]:
    """Sentences of 30 to 400 characters from the seed texts."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8")):
            sentence = " ".join(sentence.split())
            if 30 <= len(sentence) <= 400:
                found.append(sentence)
    return found


def make_corpus(connection, user_id: int, count: int, *, seed: int = 5, batch: int = 10_000) -> None:
    """Insert ``count`` highlights (and their pages) for the user in bulk, then rebuild the search index."""
    from sqlalchemy import insert, select

    from server.models import COLORS, Highlight, Page, Tag, highlight_tags, utcnow
    from server.services import search

    texts, rng, now = sentences(), random.Random(seed), utcnow()
    pages, page_ids = (count + PER_PAGE - 1) // PER_PAGE, []
    for start in range(0, pages, batch):
        page_ids += connection.scalars(insert(Page).returning(Page.id, sort_by_parameter_order=True), [
            {"user_id": user_id, "url_key": f"https://site{n % 97}.example/a/{n}",
             "url": f"https://site{n % 97}.example/a/{n}", "domain": f"site{n % 97}.example",
             "title": rng.choice(texts)[:80], "title_edited": False, "created_at": now, "updated_at": now}
            for n in range(start, min(start + batch, pages))]).all()
    names = [f"topic{n}" for n in range(TAGS)]
    tag_ids = dict(connection.execute(select(Tag.name, Tag.id).where(Tag.user_id == user_id)).all())
    if not tag_ids:
        connection.execute(insert(Tag), [{"user_id": user_id, "name": name, "name_key": name} for name in names])
        tag_ids = dict(connection.execute(select(Tag.name, Tag.id).where(Tag.user_id == user_id)).all())
    for start in range(0, count, batch):
        highlight_ids = connection.scalars(insert(Highlight).returning(Highlight.id, sort_by_parameter_order=True), [
            {"uuid": str(uuid.UUID(int=rng.getrandbits(128))), "user_id": user_id,
             "page_id": page_ids[n // PER_PAGE],
             "exact": " ".join(rng.sample(texts, rng.choice((1, 1, 2)))),
             "prefix": "", "suffix": "", "color": rng.choice(COLORS),
             "note": rng.choice(texts) if n % 7 == 0 else "",
             "position_start": (n % PER_PAGE) * 500, "position_end": (n % PER_PAGE) * 500 + 200,
             "created_at": now - timedelta(seconds=n), "updated_at": now, "seq": n + 1}
            for n in range(start, min(start + batch, count))]).all()
        connection.execute(insert(highlight_tags), [
            {"highlight_id": id_, "tag_id": tag_ids[names[id_ // 10 % TAGS]]} for id_ in highlight_ids if id_ % 10 == 0])
    search.reindex(connection)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(app, user_id: int, rounds: int = 5) -> dict[str, tuple[float, float, float, float]]:
    """p50 and p95 in ms of each kind of query: wall time, then this process's CPU time (all of a
    search on SQLite, which runs in the process; the client's part only on PostgreSQL)."""
    from server.db import db
    from server.services import search

    timings = {kind: ([], []) for kind in QUERIES}
    with app.app_context():
        for _ in range(rounds):
            for kind, queries in QUERIES.items():
                for q, filters in queries:
                    began, cpu = time.perf_counter(), time.process_time()
                    search.search(db.session, user_id, q, limit=20, **filters)
                    timings[kind][0].append((time.perf_counter() - began) * 1000)
                    timings[kind][1].append((time.process_time() - cpu) * 1000)
                    db.session.rollback()
    return {kind: (statistics.median(wall), _percentile(wall, 0.95), statistics.median(cpu), _percentile(cpu, 0.95))
            for kind, (wall, cpu) in timings.items()}


#: the user whose library ``--reuse`` keeps between runs
REUSED = "bench-reused"


def main(sizes=(100_000, 1_000_000), json_path=None, reuse=None) -> None:
    """Build each size's library and time it. With ``reuse`` (a folder: the instance, so SQLite's
    database, lives there) the library of the user REUSED is kept for the next run, which adds
    only the highlights it lacks."""
    from sqlalchemy import delete, func, select, text

    from bench.report import Row, write_json
    from server import create_app
    from server.db import db
    from server.models import Highlight, User
    from server.services import users

    folder = reuse or tempfile.mkdtemp(prefix="margins-search-bench-")
    os.makedirs(folder, exist_ok=True)
    app = create_app({"INSTANCE_PATH": folder})
    with app.app_context():
        dialect = db.engine.dialect.name
        print(f"database: {dialect}", flush=True)
        user = reuse and db.session.scalar(select(User).where(User.username == REUSED))
        if not user:
            user = users.create_user(db.session, REUSED if reuse else f"bench{int(time.time())}", "a long passphrase")
            db.session.commit()
        user_id = user.id
        made = db.session.scalar(select(func.count()).select_from(Highlight).where(Highlight.user_id == user_id))
    rows = []
    try:
        for size in sizes:
            if size < made:
                print(f"skipped {size:,}: the reused library has {made:,} highlights", flush=True)
                continue
            began = time.perf_counter()
            if size > made:
                with app.app_context(), db.engine.begin() as connection:
                    make_corpus(connection, user_id, size - made, seed=size)
            made = size
            built = time.perf_counter() - began
            print(f"{size:>9,} highlights (built in {built:.0f} s, load average {os.getloadavg()[0]:.1f}):", flush=True)
            for kind, (p50, p95, cpu50, cpu95) in measure(app, user_id).items():
                print(f"    {kind:<12} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   CPU p50 {cpu50:6.1f} ms   p95 {cpu95:6.1f} ms",
                      flush=True)
                rows.append(Row("search", f"{kind}: p50 / p95 at {size:,} highlights ({dialect})",
                                f"{p50:.0f} / {p95:.0f} ms (CPU {cpu50:.0f} / {cpu95:.0f})",
                                goal=f"p95 <= {GOAL_MS} ms", passed=p95 <= GOAL_MS))
    finally:
        if not reuse:
            with app.app_context(), db.engine.begin() as connection:  # leave the database as it was
                connection.execute(text("DELETE FROM search_index WHERE user_id = :u"), {"u": user_id})
                connection.execute(delete(User).where(User.id == user_id))
            shutil.rmtree(folder, ignore_errors=True)
    write_json(json_path, rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 1_000_000], help="highlight counts")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    parser.add_argument("--reuse", metavar="FOLDER",
                        help=f"keep the library (user {REUSED}; on SQLite the database in FOLDER) for later runs")
    arguments = parser.parse_args()
    main(tuple(arguments.sizes), arguments.json, arguments.reuse)
