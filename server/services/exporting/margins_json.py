"""Margins JSON: the lossless export, streamed one page at a time.

Shape (keys in this order, so the same data gives the same bytes)::

    {"format": "margins", "version": 1,
     "tags": ["every", "tag", "of", "the", "user"],
     "pages": [{"url", "url_key", "canonical_url", "title", "title_edited", "author", "site_name",
                "description", "language", "published", "favicon", "lead_image", "word_count",
                "note", "tags", "created_at", "updated_at",
                "snapshots": [{"captured_at", "sha256", "extractor_version", "html",
                               "content_html", "text", "word_count"}],
                "highlights": [{"id", "quote": {"exact", "prefix", "suffix"},
                                "position": {"start", "end"} | null, "range": {...} | null,
                                "color", "note", "tags", "created_at", "updated_at"}]}]}

Row ids are left out: they belong to one database. Deleted highlights
(tombstones) are left out too. ``importing.margins_json`` reads it back.
"""

from collections.abc import Iterator

from sqlalchemy import select

from ...models import Highlight, Snapshot, Tag
from ..snapshots import snapshot_html
from .json_stream import ITEMS, stream_json
from .selection import Entry, Source
from .values import iso_timestamp

FORMAT_NAME = "margins"
VERSION = 1
PAGE_FIELDS = ("url", "url_key", "canonical_url", "title", "title_edited", "author", "site_name", "description",
               "language", "published", "favicon", "lead_image", "word_count", "note")


def export(source: Source) -> Iterator[bytes]:
    tags = source.session.scalars(
        select(Tag.name).where(Tag.user_id == source.user_id).order_by(Tag.name_key, Tag.id)).all()
    records = (page_record(entry) for entry in source.entries(with_snapshots=True))
    return stream_json({"format": FORMAT_NAME, "version": VERSION, "tags": tags, "pages": ITEMS}, records)


def page_record(entry: Entry) -> dict:
    page = entry.page
    return {
        **{name: getattr(page, name) for name in PAGE_FIELDS},
        "tags": [tag.name for tag in page.tags],
        "created_at": iso_timestamp(page.created_at),
        "updated_at": iso_timestamp(page.updated_at),
        "snapshots": [snapshot_record(snapshot) for snapshot in entry.snapshots],
        "highlights": [highlight_record(highlight) for highlight in entry.highlights],
    }


def snapshot_record(snapshot: Snapshot) -> dict:
    return {
        "captured_at": iso_timestamp(snapshot.captured_at),
        "sha256": snapshot.sha256,
        "extractor_version": snapshot.extractor_version,
        "html": snapshot_html(snapshot.raw_html),
        "content_html": snapshot.content_html,
        "text": snapshot.text,
        "word_count": snapshot.word_count,
    }


def highlight_record(highlight: Highlight) -> dict:
    return {
        "id": highlight.uuid,
        **highlight.selectors(),
        "color": highlight.color,
        "note": highlight.note,
        "tags": [tag.name for tag in highlight.tags],
        "created_at": iso_timestamp(highlight.created_at),
        "updated_at": iso_timestamp(highlight.updated_at),
    }
