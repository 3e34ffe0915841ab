"""Snapshot ingest: keep the raw HTML compressed, deduplicated, and its cleaned article."""

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


def store_snapshot(session, page: Page, html: str, digest: str, article: Article) -> Snapshot:
    raw = html.encode("utf-8")
    snapshot = Snapshot(
        page=page,
        sha256=digest,
        raw_html=zlib.compress(raw, 6),
        raw_size=len(raw),
        content_html=article.content_html,
        text=article.text,
        word_count=article.word_count,
        extractor_version=EXTRACTOR_VERSION,
    )
    session.add(snapshot)
    return snapshot


def latest_snapshot(session, page: Page) -> Snapshot | None:
    return session.scalar(
        select(Snapshot).where(Snapshot.page_id == page.id).order_by(Snapshot.id.desc()).limit(1)
    )
