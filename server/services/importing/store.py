"""Storing imported records: pages found or made by URL key, highlights upserted by UUID.

One transaction under the user's write lock; the caller commits. Storing
the same records again changes nothing. Any record that cannot be stored
raises :class:`ImportFailed` naming where it came from, and the caller
rolls everything back.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select

from ...models import COLORS, Highlight, Page, Snapshot, User
from ...wording import counted
from .. import pages as page_service
from .. import snapshots as snapshot_service
from ..changes import lock_user
from ..errors import ServiceError
from ..highlights import put_highlight
from ..limits import MAX_INTEGER, MAX_PDF_PAGE
from ..tags import resolve_tags
from .records import HighlightRecord, ImportFailed, PageRecord, SnapshotRecord, check_storable


@dataclass
class Summary:
    pages_created: int = 0
    highlights_created: int = 0
    highlights_updated: int = 0
    highlights_unchanged: int = 0
    #: entries of the file left out, each "where: why"
    skipped: list[str] = field(default_factory=list)

    #: skipped entries named in the one-line summary; the rest are counted
    SHOWN_SKIPPED = 5

    def __str__(self) -> str:
        text = (f"{counted(self.pages_created, 'new page')}, {counted(self.highlights_created, 'new highlight')}, "
                f"{self.highlights_updated} updated, {self.highlights_unchanged} unchanged")
        if self.skipped:
            shown = "; ".join(self.skipped[:self.SHOWN_SKIPPED])
            more = len(self.skipped) - self.SHOWN_SKIPPED
            text += f"; skipped {shown}" + (f"; and {more} more" if more > 0 else "")
        return text


def store_records(session, user_id: int, records: Iterable[PageRecord], *, exact: bool = False,
                  progress: Callable[[int], None] | None = None) -> Summary:
    """Store pages and their highlights.

    ``exact`` (Margins JSON) sets every field and timestamp as given;
    otherwise metadata only fills what a page lacks and tags are added.
    """
    lock_user(session, user_id)
    before = session.scalar(select(User.change_seq).where(User.id == user_id))
    summary = Summary()
    for record in records:
        _store_page(session, user_id, record, exact, before, summary)
        if progress:
            progress(1)
    session.flush()
    return summary


def _store_page(session, user_id: int, record: PageRecord, exact: bool, before: int, summary: Summary) -> None:
    with _named(record.where):
        check_storable(record.where, [record.url, record.url_key, record.metadata, record.tags])
        page, created = _page(session, user_id, record)
        summary.pages_created += created
        _apply_metadata(page, record, exact or created)
        if record.tags is not None:
            tags = resolve_tags(session, user_id, record.tags)
            page.tags = tags if exact else page.tags + [tag for tag in tags if tag not in page.tags]
        if record.created_at and (exact or created):
            page.created_at = record.created_at
        for snapshot in record.snapshots:
            _store_snapshot(session, page, snapshot)
    for highlight in record.highlights:
        with _named(highlight.where):
            _store_highlight(session, user_id, page, highlight, exact, before, summary)
    if exact and record.updated_at:
        page.updated_at = record.updated_at
    session.flush()


@contextmanager
def _named(where: str):
    """Turn a service error into an ImportFailed naming the record."""
    try:
        yield
    except ImportFailed:
        raise
    except ServiceError as error:
        raise ImportFailed(where, error.message) from None


def _page(session, user_id: int, record: PageRecord) -> tuple[Page, bool]:
    key = page_service.key_of(record.url_key or record.url)
    page = page_service.find_page(session, user_id, key)
    if page is not None:
        return page, False
    page = page_service.page_for_url(session, user_id, key)
    page.url = record.url
    # The URL as seen leads to the page too, as it did where the page came from.
    page_service.add_aliases(session, user_id, page, [page_service.key_of(record.url)])
    return page, True


def _apply_metadata(page: Page, record: PageRecord, replace: bool) -> None:
    for name, value in record.metadata.items():
        _check_length(record.where, Page, name, value)
        if replace or getattr(page, name) in (None, ""):
            setattr(page, name, value)


def _check_length(where: str, model, name: str, value) -> None:
    """Refuse text longer than its column holds (PostgreSQL would refuse the whole transaction)."""
    limit = getattr(model.__table__.columns[name].type, "length", None)
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise ImportFailed(where, f"'{name}' is longer than {limit} characters")


def _store_snapshot(session, page: Page, record: SnapshotRecord) -> None:
    check_storable(record.where, [record.html, record.content_html, record.text, record.extractor_version])
    _check_length(record.where, Snapshot, "extractor_version", record.extractor_version)
    digest = snapshot_service.html_digest(record.html)
    if snapshot_service.has_snapshot(session, page, digest):
        return
    session.add(snapshot_service.new_snapshot(
        page, record.html, digest, content_html=record.content_html, text=record.text,
        word_count=record.word_count, extractor_version=record.extractor_version, captured_at=record.captured_at,
    ))


def _store_highlight(session, user_id: int, page: Page, record: HighlightRecord, exact: bool, before: int,
                     summary: Summary) -> None:
    _check_highlight(record)
    fields = {
        "exact": record.exact, "prefix": record.prefix, "suffix": record.suffix,
        "position_start": record.position_start, "position_end": record.position_end,
        "range_selector": record.range_selector, "color": record.color, "note": record.note,
        "pdf_page_first": record.pdf_page_first, "pdf_page_last": record.pdf_page_last,
    }
    if record.keep:
        _keep_stored(session, user_id, record, fields)
    highlight, created = put_highlight(session, user_id, record.uuid, url=page.url_key, tags=record.tags,
                                       created_at=record.created_at, fields=fields)
    if highlight.seq <= before:
        summary.highlights_unchanged += 1
        return
    if created:
        summary.highlights_created += 1
    else:
        summary.highlights_updated += 1
    if record.updated_at:  # the tool's own time of the last change, so a round trip keeps it
        highlight.updated_at = record.updated_at


def _keep_stored(session, user_id: int, record: HighlightRecord, fields: dict) -> None:
    """The stored highlight's values of the fields the file does not carry."""
    stored = session.scalar(select(Highlight).where(Highlight.user_id == user_id, Highlight.uuid == record.uuid))
    if stored is None or stored.deleted_at is not None:
        return
    for name in record.keep:
        fields[name] = getattr(stored, name)
    if fields["position_start"] != stored.position_start:  # moved in the file: the kept end may not fit
        fields["position_end"] = fields["position_start"]
    if fields["pdf_page_first"] != stored.pdf_page_first:  # the same for a PDF's last page
        fields["pdf_page_last"] = fields["pdf_page_first"]


def _check_highlight(record: HighlightRecord) -> None:
    where = record.where
    check_storable(where, [record.uuid, record.exact, record.prefix, record.suffix, record.note, record.tags,
                           record.range_selector])
    if not record.exact.strip():
        raise ImportFailed(where, "the highlighted text is empty")
    if record.color not in COLORS:
        raise ImportFailed(where, f"color {record.color!r} is not one of {', '.join(COLORS)}")
    start, end = record.position_start, record.position_end
    if (start is None) != (end is None):
        raise ImportFailed(where, "a position needs both start and end")
    if start is not None and not (0 <= start <= end <= MAX_INTEGER):
        raise ImportFailed(where, f"position {start}..{end} is not a range of 0 <= start <= end")
    first, last = record.pdf_page_first, record.pdf_page_last
    if (first is None) != (last is None):
        raise ImportFailed(where, "a PDF page selector needs both its first and last page")
    if first is not None and not (1 <= first <= last <= MAX_PDF_PAGE):
        raise ImportFailed(where, f"PDF pages {first}..{last} are not a range of 1 <= first <= last <= {MAX_PDF_PAGE}")
