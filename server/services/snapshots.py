"""Snapshots: raw HTML kept compressed and deduplicated, and its cleaned article.
(Cleaning stored snapshots again is ``reprocessing``.)"""

import hashlib
import zlib

from sqlalchemy import select

from ..models import Page, Snapshot
from .extraction import EXTRACTOR_VERSION, Article


def html_digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def has_snapshot(session, page: Page, digest: str) -> bool:
    return session.scalar(
        select(Snapshot.id).where(Snapshot.page_id == page.id, Snapshot.sha256 == digest)
    ) is not None


def new_snapshot(page: Page, html: str, digest: str, **cleaned) -> Snapshot:
    """A snapshot keeping ``html`` compressed; ``cleaned`` gives its article fields."""
    raw = html.encode("utf-8")
    return Snapshot(page=page, sha256=digest, raw_html=zlib.compress(raw, 6), raw_size=len(raw), **cleaned)


def snapshot_html(raw_html: bytes) -> str:
    """The captured HTML; zlib.error or UnicodeDecodeError when the stored bytes are damaged."""
    return zlib.decompress(raw_html).decode("utf-8")


def store_snapshot(session, page: Page, html: str, digest: str, article: Article) -> Snapshot:
    snapshot = new_snapshot(page, html, digest, extractor_version=EXTRACTOR_VERSION)
    set_article(snapshot, article)
    session.add(snapshot)
    return snapshot


def set_article(snapshot: Snapshot, article: Article) -> None:
    snapshot.content_html = article.content_html
    snapshot.text = article.text
    snapshot.word_count = article.word_count


def latest_snapshot(session, page: Page) -> Snapshot | None:
    return session.scalar(
        select(Snapshot).where(Snapshot.page_id == page.id).order_by(Snapshot.id.desc()).limit(1)
    )
