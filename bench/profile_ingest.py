"""Where a highlight PUT's time goes: Margins and the ingest baseline in one process, no HTTP.

    .venv/bin/python bench/profile_ingest.py [--requests 1000] [--database-url URL] [--rate-limit off] [--top 20]

Sends the ingest bench's bodies through each app's test client (Margins on a
fresh SQLite file, or on the empty database given), and prints, per PUT:
CPU milliseconds of each app (alternating in batches, the best batch
counts), Margins' SQL statements and transactions; the CPU of Margins'
request floor, an authenticated ``GET /api/v1/me`` (the token check and the
edge around it, nothing else read); then a cProfile of
Margins' PUTs split into the steps of a request, and the functions that
take most time themselves. CPU time, not wall time: the machine's other
load does not count, and no server or load tool takes a share. The
write rate limit is on, as in the ingest bench, but never reached; with
``--rate-limit off`` it is left out, to see what it costs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import event  # noqa: E402

from bench import baseline_app  # noqa: E402
from bench.ingest import bodies  # noqa: E402
from bench.serve import UNREACHED_RATE_LIMIT  # noqa: E402
from server import create_app  # noqa: E402
from server.db import db  # noqa: E402
from server.services import tokens, users  # noqa: E402

BATCH = 100
#: the steps of a PUT: (label, file ending, function); shares are of the whole request
STEPS = (
    ("token check (auth.require_token)", "server/api/auth.py", "require_token"),
    ("body parsed and validated (marshmallow load)", "marshmallow/schema.py", "load"),
    ("service put_highlight, in all", "server/services/highlights.py", "put_highlight"),
    ("  is the UUID new (one SELECT)", "server/services/highlights.py", "_uuid_used"),
    ("  new_highlights.create, in all", "server/services/new_highlights.py", "create"),
    ("    the page (found and touched, or made)", "server/services/new_highlights.py", "_page"),
    ("    the tags (found, or made)", "server/services/new_highlights.py", "_tags"),
    ("    search index rows (reindex_highlights)", "server/services/search.py", "reindex_highlights"),
    ("    the answer's ORM objects (_known)", "server/services/new_highlights.py", "_known"),
    ("  ORM flush", "sqlalchemy/orm/session.py", "_flush"),
    ("commit", "sqlalchemy/orm/scoping.py", "commit"),
    ("answer (marshmallow dump)", "marshmallow/schema.py", "dump"),
    ("write rate limit (Flask-Limiter)", "flask_limiter/_extension.py", "_check_request_limit"),
)


def count(counts: dict, what: str, connection, *statement_and_more) -> None:
    """Engine event listener: one more transaction, or statement (SQLite's BEGIN is the transaction's)."""
    if what == "transactions" or not statement_and_more[1].startswith("BEGIN"):
        counts[what] += 1


def put_all(client, headers: dict, batch: list[str]) -> None:
    for body in batch:
        answer = client.put(f"/api/v1/highlights/{uuid.uuid4()}", data=body, headers=headers)
        assert answer.status_code == 201, answer.get_data(as_text=True)


def get_me(client, headers: dict, times: int) -> None:
    for _ in range(times):
        answer = client.get("/api/v1/me", headers=headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)


def cpu_ms(send, client, headers: dict, batch) -> float:
    """CPU milliseconds per request of ``send(client, headers, batch)``, ``batch`` a list or a count."""
    began = time.process_time()
    send(client, headers, batch)
    return (time.process_time() - began) * 1000 / (batch if isinstance(batch, int) else len(batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="PUTs per app (and as many profiled)")
    parser.add_argument("--database-url", help="an empty database for Margins (default: a temporary SQLite file)")
    parser.add_argument("--rate-limit", default=UNREACHED_RATE_LIMIT["MARGINS_RATELIMIT_WRITES"],
                        help="MARGINS_RATELIMIT_WRITES for Margins (default: one never reached)")
    parser.add_argument("--top", type=int, default=20, help="functions to list by their own time")
    args = parser.parse_args()
    os.environ["MARGINS_RATELIMIT_WRITES"] = args.rate_limit

    folder = tempfile.mkdtemp(prefix="margins-profile-")
    app = create_app({"INSTANCE_PATH": folder, **({"SQLALCHEMY_DATABASE_URI": args.database_url}
                                                   if args.database_url else {})})
    counts = {"statements": 0, "transactions": 0}
    with app.app_context():
        user = users.create_user(db.session, "profile", "a long profile passphrase")
        _, token = tokens.create_token(db.session, user)
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", partial(count, counts, "statements"))
        event.listen(db.engine, "begin", partial(count, counts, "transactions"))
        dialect = db.engine.dialect.name
    os.environ["BASELINE_DATABASE"] = str(Path(folder) / "baseline.sqlite3")
    baseline_app.create_table(os.environ["BASELINE_DATABASE"])
    margins, baseline = app.test_client(), baseline_app.app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    texts = bodies(3 * args.requests + BATCH)
    put_all(margins, headers, texts[:BATCH])  # warm: first-request work, caches
    put_all(baseline, headers, texts[:BATCH])

    timed, ours, theirs = texts[BATCH:BATCH + args.requests], [], []
    counts.update(statements=0, transactions=0)
    for start in range(0, len(timed), BATCH):
        ours.append(cpu_ms(put_all, margins, headers, timed[start:start + BATCH]))
        theirs.append(cpu_ms(put_all, baseline, headers, timed[start:start + BATCH]))
    print(f"CPU per PUT, best batch of {BATCH}: Margins ({dialect}, write limit {args.rate_limit}) {min(ours):.2f} ms, "
          f"baseline (Flask + sqlite3) {min(theirs):.2f} ms: ratio {min(theirs) / min(ours):.3f}")
    print(f"Margins per PUT: {counts['statements'] / len(timed):.1f} SQL statements, "
          f"{counts['transactions'] / len(timed):.2f} transactions")
    get_me(margins, headers, BATCH)
    floor = min(cpu_ms(get_me, margins, headers, BATCH) for _ in range(len(timed) // BATCH))
    print(f"CPU per authenticated GET /api/v1/me (the request floor), best batch of {BATCH}: {floor:.2f} ms")

    profile = cProfile.Profile()
    profile.runcall(put_all, margins, headers, texts[BATCH + args.requests:BATCH + 2 * args.requests])
    stats = pstats.Stats(profile)
    print(f"\ncProfile of {args.requests} Margins PUTs (profiling slows calls down, so compare shares):")
    whole = max(cumulative for (_, _, name), (_, _, _, cumulative, _) in stats.stats.items() if name == "put_all")
    for label, ending, function in STEPS:
        cumulative = sum(entry[3] for (path, _, name), entry in stats.stats.items()
                         if name == function and path.endswith(ending))
        print(f"  {100 * cumulative / whole:5.1f}%  {label}")
    print("\nfunctions that take most time themselves:")
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
