"""How long exporting 100,000 highlights over 5,000 pages to a Markdown vault takes, beside a baseline.

    .venv/bin/python bench/export.py [--pages 5000] [--highlights 100000] [--repeat 1] [--database-url URL] [--json FILE]

Makes a fresh database (a temporary SQLite file unless --database-url
names an empty one) with one user, the pages and highlights (bulk
inserted, with tags and notes), then times in the same run:

- margins: ``flask export obsidian --vault`` into an empty folder (the
  service it calls: pages and highlight rows read in batches, the default
  templates, YAML front matter, one file per page);
- baseline: one plain SQL select of the same highlights in the same order,
  and one file per page with the same quotes, written with f-strings.

With ``--repeat N`` both run N times, in turns, and the fastest of each is
reported (on a shared machine, the run least slowed by others), in wall time
and in this process's CPU time.

Then the export's peak memory: Python allocations traced while it runs
again (tracemalloc), and the process's peak resident size.
"""

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from bench.report import Row, write_json  # noqa: E402
from server import create_app  # noqa: E402
from server.db import db  # noqa: E402
from server.models import Highlight, Page, PageURL, Tag, highlight_tags  # noqa: E402
from server.services import exporting, users  # noqa: E402
from server.services.pages import key_hash  # noqa: E402

WORDS = ("attention memory river lantern harbor quiet signal archive orchard meadow circuit "
         "compass ember granite horizon lattice").split()
BATCH = 5000
#: issue 19: the vault export at most this many times the baseline
GOAL = 2.0


def sentence(n: int, length: int = 18) -> str:
    return " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)) + f" ({n})."


def fill(session, user_id: int, pages: int, highlights: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    tag_ids = [session.execute(insert(Tag).values(user_id=user_id, name=f"tag{n}", name_key=f"tag{n}")
                               .returning(Tag.id)).scalar_one() for n in range(20)]
    page_rows = [{"user_id": user_id, "url": f"https://example.com/articles/{n}", "url_key":
                  f"https://example.com/articles/{n}", "domain": "example.com", "title": f"Article {n}: {sentence(n, 6)}",
                  "author": f"Author {n % 97}", "created_at": start, "updated_at": start} for n in range(pages)]
    for offset in range(0, pages, BATCH):
        session.execute(insert(Page), page_rows[offset:offset + BATCH])
    page_ids = session.execute(text("select id, url_key from pages order by id")).all()
    session.execute(insert(PageURL), [{"user_id": user_id, "page_id": pid, "key_hash": key_hash(key)}
                                      for pid, key in page_ids])
    per_page = highlights // pages
    for offset in range(0, highlights, BATCH):
        rows = [{
            "uuid": f"00000000-0000-4000-8000-{n:012d}", "user_id": user_id, "page_id": page_ids[n // per_page][0],
            "exact": sentence(n), "prefix": "before the passage ", "suffix": " after the passage",
            "position_start": (n % per_page) * 200, "position_end": (n % per_page) * 200 + 120,
            "color": "yellow", "note": "A note." if n % 3 == 0 else "", "seq": n + 1,
            "created_at": start + timedelta(minutes=n), "updated_at": start + timedelta(minutes=n),
        } for n in range(offset, min(offset + BATCH, highlights))]
        ids = session.execute(insert(Highlight).returning(Highlight.id), rows).scalars().all()
        session.execute(insert(highlight_tags), [{"highlight_id": hid, "tag_id": tag_ids[hid % len(tag_ids)]}
                                                 for hid in ids if hid % 4 == 0])
    session.execute(text("update users set change_seq = :n where id = :id"), {"n": highlights, "id": user_id})
    session.commit()


def export_vault(session, user_id: int, folder: Path) -> exporting.VaultSummary:
    summary = exporting.sync_vault(exporting.Source(session, user_id), folder)
    session.rollback()
    return summary


def baseline(session, user_id: int, folder: Path) -> int:
    """A plain select of the same highlights, in the same order, and one file per page with their quotes."""
    folder.mkdir()
    rows = session.execute(text(
        "select p.id, p.title, p.url, h.exact, h.note, h.color, h.created_at from pages p "
        "join highlights h on h.page_id = p.id where p.user_id = :user and h.deleted_at is null "
        "order by p.id, h.position_start, h.created_at, h.id"), {"user": user_id})
    files, current, parts = 0, None, []

    def flush():
        (folder / f"{current}.md").write_text("".join(parts), encoding="utf-8")

    for page_id, title, url, exact, note, color, created in rows:
        if page_id != current:
            if current is not None:
                flush()
                files += 1
            current, parts = page_id, [f"---\ntitle: {title}\nurl: {url}\n---\n# {title}\n\n"]
        parts.append(f"> {exact}\n>\n> — {color} · {created}\n>\n> {note}\n\n")
    if current is not None:
        flush()
        files += 1
    session.rollback()
    return files


def timed(run, *args):
    """((wall seconds, this process's CPU seconds), what ``run`` returned); the CPU time leaves out the
    database server's (PostgreSQL), and is what others on a shared machine slow down least."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run(*args)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--highlights", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="run both this many times, in turns; report the best")
    parser.add_argument("--database-url", help="an empty database to use (default: a temporary SQLite file)")
    parser.add_argument("--json", metavar="FILE", help="also write the result rows to FILE (for bench/all.py)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="margins-bench-"))
    url = args.database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    app = create_app({"INSTANCE_PATH": str(work / "instance"), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        session = db.session
        user = users.create_user(session, f"bench{os.getpid()}", "correct horse battery")
        session.commit()
        began = time.perf_counter()
        fill(session, user.id, args.pages, args.highlights)
        print(f"data: {args.highlights:,} highlights over {args.pages:,} pages on {db.engine.dialect.name} "
              f"(made in {time.perf_counter() - began:.1f} s)")

        margins = floor = margins_cpu = floor_cpu = float("inf")
        for turn in range(args.repeat):
            (wall, cpu), summary = timed(export_vault, session, user.id, work / f"vault{turn}")
            margins, margins_cpu = min(margins, wall), min(margins_cpu, cpu)
            (wall, cpu), files = timed(baseline, session, user.id, work / f"baseline{turn}")
            floor, floor_cpu = min(floor, wall), min(floor_cpu, cpu)
        print(f"margins  export obsidian --vault: {margins:7.2f} s, CPU {margins_cpu:6.2f} s  ({summary.created:,} files, "
              f"{folder_bytes(work / 'vault0') / 2**20:.1f} MiB)")
        print(f"baseline select + write:          {floor:7.2f} s, CPU {floor_cpu:6.2f} s  ({files:,} files, "
              f"{folder_bytes(work / 'baseline0') / 2**20:.1f} MiB)")
        print(f"ratio: {margins / floor:.1f}x the baseline, {margins_cpu / floor_cpu:.1f}x its CPU"
              + (f" (best of {args.repeat})" if args.repeat > 1 else ""))

        tracemalloc.start()
        export_vault(session, user.id, work / "vault-traced")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of the export: {peak / 2**20:.1f} MiB of Python allocations (tracemalloc); "
              f"process peak RSS {rss:.0f} MiB")
        write_json(args.json, [
            Row("export", f"vault export, {args.highlights:,} highlights / {args.pages:,} pages "
                f"({db.engine.dialect.name})", f"{margins:.1f} s", f"{floor:.1f} s (select + write)",
                f"{margins / floor:.1f}x", "<= 2.0x", margins / floor <= GOAL),
            Row("export", f"export peak memory ({db.engine.dialect.name})", f"{peak / 2**20:.0f} MiB traced, {rss:.0f} MiB RSS"),
        ])
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
