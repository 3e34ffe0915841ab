"""Reprocessing: the batch job that cleans stored snapshots again after the cleaner improves.

Unlike the other services it commits on its own, one short transaction per
snapshot, so it can run while the server serves (``flask snapshots reprocess``).
"""

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..db import write_intent
from ..models import Page, PdfFile, Snapshot
from .changes import lock_user
from .extraction import EXTRACTOR_VERSION, extract
from .pages import apply_article
from .snapshots import set_article, snapshot_html


@dataclass
class Reprocessed:
    """What `reprocess` did: snapshots cleaned again, and those it could not read."""

    cleaned: int = 0
    vanished: int = 0  # deleted while the job ran
    unreadable: list[int] = field(default_factory=list)  # ids whose raw HTML is damaged


def snapshots_to_reprocess(session, *, user_id: int | None = None, everything: bool = False) -> list[int]:
    """Ids of the snapshots an older (or newer) extractor made, or of all with `everything`.
    Those of PDFs are left out: their text comes from the file (``pdfs``), not from HTML."""
    query = select(Snapshot.id).where(Snapshot.id.not_in(select(PdfFile.snapshot_id))).order_by(Snapshot.id)
    if not everything:
        query = query.where(Snapshot.extractor_version != EXTRACTOR_VERSION)
    if user_id is not None:
        query = query.join(Page, Page.id == Snapshot.page_id).where(Page.user_id == user_id)
    return list(session.scalars(query))


def reprocess(session, snapshot_ids: Iterable[int],
              progress: Callable[[int], None] = lambda done: None) -> Reprocessed:
    """Clean each snapshot's raw HTML again with the current extractor, and commit each.

    Meant to run while the server serves: the HTML is cleaned outside any
    transaction, then the snapshot is written under its user's lock in a
    short transaction of its own. A page whose latest snapshot this is
    takes the metadata found again (its title only if nobody renamed it).
    `progress(1)` is called after each snapshot.
    """
    report = Reprocessed()
    for snapshot_id in snapshot_ids:
        _reprocess_one(session, snapshot_id, report)
        progress(1)
    return report


def _reprocess_one(session, snapshot_id: int, report: Reprocessed) -> None:
    row = session.execute(
        select(Snapshot.raw_html, Page.url, Page.user_id)
        .join(Page, Page.id == Snapshot.page_id).where(Snapshot.id == snapshot_id)
    ).one_or_none()
    session.rollback()  # no transaction stays open while the HTML is cleaned
    if row is None:
        report.vanished += 1
        return
    try:
        html = snapshot_html(row.raw_html)
    except (zlib.error, UnicodeDecodeError):
        report.unreadable.append(snapshot_id)
        return
    article = extract(html, row.url)
    intent = write_intent.set(True)  # SQLite: take the write lock first (BEGIN IMMEDIATE)
    try:
        lock_user(session, row.user_id)
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None:
            report.vanished += 1
        else:
            set_article(snapshot, article)
            snapshot.extractor_version = EXTRACTOR_VERSION
            if snapshot_id == _latest_snapshot_id(session, snapshot.page_id):
                apply_article(snapshot.page, article)
            report.cleaned += 1
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        write_intent.reset(intent)


def _latest_snapshot_id(session, page_id: int) -> int | None:
    return session.scalar(select(func.max(Snapshot.id)).where(Snapshot.page_id == page_id))
