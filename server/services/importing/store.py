"""Storing imported records: pages found or made by URL key, highlights upserted by UUID.

:func:`check_records` first refuses, without the database, any record that
cannot be stored (naming where it came from); :func:`store_records` then
writes records in the caller's transaction under the user's write lock, and
the caller commits: all of a file at once (the CLI), or one
:func:`chunked` part at a time (a background job, importing/jobs.py).
Storing the same records again changes nothing, so a chunk stored twice
(a job resumed after a crash) changes nothing either.
"""

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from ...models import COLORS, Highlight, Page, Snapshot, User, highlight_tags, utcnow
from ...wording import counted
from .. import pages as page_service
from .. import search
from .. import snapshots as snapshot_service
from ..changes import lock_user, take_seqs
from ..errors import Invalid, ServiceError
from ..highlights import CONTENT_FIELDS, put_highlight
from ..limits import MAX_INTEGER, MAX_PDF_PAGE
from ..tags import MAX_TAGS, clean_tag_name, resolve_tags, tag_key
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

    def add(self, other: "Summary") -> None:
        """Count another chunk's outcome in."""
        self.pages_created += other.pages_created
        self.highlights_created += other.highlights_created
        self.highlights_updated += other.highlights_updated
        self.highlights_unchanged += other.highlights_unchanged

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        text = (f"{counted(self.pages_created, 'new page')}, {counted(self.highlights_created, 'new highlight')}, "
                f"{self.highlights_updated} updated, {self.highlights_unchanged} unchanged")
        if self.skipped:
            shown = "; ".join(self.skipped[:self.SHOWN_SKIPPED])
            more = len(self.skipped) - self.SHOWN_SKIPPED
            text += f"; skipped {shown}" + (f"; and {more} more" if more > 0 else "")
        return text


def check_records(records: Iterable[PageRecord]) -> None:
    """Raise :class:`ImportFailed` naming the first record that could not be stored; touches no database."""
    for record in records:
        with _named(record.where):
            check_storable(record.where, [record.url, record.url_key, record.metadata, record.tags])
            page_service.key_of(record.url_key or record.url)
            page_service.key_of(record.url)
            for name, value in record.metadata.items():
                _check_length(record.where, Page, name, value)
            if record.tags is not None:
                check_tags(record.tags)
            for snapshot in record.snapshots:
                check_storable(snapshot.where, [snapshot.html, snapshot.content_html, snapshot.text,
                                                snapshot.extractor_version])
                _check_length(snapshot.where, Snapshot, "extractor_version", snapshot.extractor_version)
        for highlight in record.highlights:
            with _named(highlight.where):
                _check_highlight(highlight)
                check_tags(highlight.tags)


def check_tags(names: list[str]) -> None:
    """What resolve_tags would refuse in these names (an empty or long name, too many), without the database."""
    if len({clean_tag_name(name).casefold() for name in names}) > MAX_TAGS:
        raise Invalid(f"At most {MAX_TAGS} tags per item.", {"tags": ["too many tags"]})


def rows_of(record: PageRecord) -> int:
    """How much of a job a page record is: its highlights, or 1 for a page without any."""
    return max(1, len(record.highlights))


def chunked(records: Iterable[PageRecord], rows: int) -> list[list[PageRecord]]:
    """The records in consecutive chunks of ``rows`` rows (:func:`rows_of`; the last may have fewer):
    a page that does not fit is cut in parts, its snapshots stored with the first."""
    chunks: list[list[PageRecord]] = []
    space = 0
    for record in records:
        highlights, snapshots = record.highlights, record.snapshots
        while True:
            if space == 0:
                chunks.append([])
                space = rows
            part = dataclasses.replace(record, highlights=highlights[:space], snapshots=snapshots)
            chunks[-1].append(part)
            space -= rows_of(part)
            highlights, snapshots = highlights[len(part.highlights):], []
            if not highlights:
                break
    return chunks


def store_records(session, user_id: int, records: Iterable[PageRecord], *, exact: bool = False,
                  progress: Callable[[int], None] | None = None) -> Summary:
    """Store pages and their highlights (checked by :func:`check_records` first).

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
    _store_highlights(session, user_id, page, record.highlights, exact, before, summary)
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
        if replace or getattr(page, name) in (None, ""):
            setattr(page, name, value)


def _check_length(where: str, model, name: str, value) -> None:
    """Refuse text longer than its column holds (PostgreSQL would refuse the whole transaction)."""
    limit = getattr(model.__table__.columns[name].type, "length", None)
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise ImportFailed(where, f"'{name}' is longer than {limit} characters")


def _store_snapshot(session, page: Page, record: SnapshotRecord) -> None:
    digest = snapshot_service.html_digest(record.html)
    if snapshot_service.has_snapshot(session, page, digest):
        return
    session.add(snapshot_service.new_snapshot(
        page, record.html, digest, content_html=record.content_html, text=record.text,
        word_count=record.word_count, extractor_version=record.extractor_version, captured_at=record.captured_at,
    ))


def _store_highlights(session, user_id: int, page: Page, records: list[HighlightRecord], exact: bool, before: int,
                      summary: Summary) -> None:
    """Highlights the user has no highlight of yet are inserted together (one flush); the others,
    and a UUID given twice, are upserted one by one, as a PUT does."""
    stored = _stored_highlights(session, user_id, [record.uuid for record in records])
    new: dict[str, HighlightRecord] = {}
    others = []
    for record in records:
        if record.uuid in stored or record.uuid in new:
            others.append(record)
        else:
            new[record.uuid] = record
    _insert_highlights(session, user_id, page, list(new.values()))
    summary.highlights_created += len(new)
    for record in others:
        with _named(record.where):
            _put_highlight(session, user_id, page, record, stored.get(record.uuid), before, summary)


def _stored_highlights(session, user_id: int, uuids: list[str]) -> dict[str, Highlight]:
    """The user's highlights (tombstones too) with these UUIDs, by UUID."""
    found = {}
    for start in range(0, len(uuids), 500):  # within every database's limit of bound parameters
        found.update((highlight.uuid, highlight) for highlight in session.scalars(
            select(Highlight).options(selectinload(Highlight.tags))
            .where(Highlight.user_id == user_id, Highlight.uuid.in_(uuids[start:start + 500]))))
    return found


def _fields(record: HighlightRecord) -> dict:
    return {name: getattr(record, name) for name in CONTENT_FIELDS}


def _insert_highlights(session, user_id: int, page: Page, records: list[HighlightRecord]) -> None:
    """New highlights, as put_highlight makes them, in bulk: their change numbers taken at once, the rows and
    their tags inserted by one statement each, and the search index told (bulk inserts bypass its listener)."""
    if not records:
        return
    tags = {key: resolve_tags(session, user_id, list(key)) for key in {tuple(record.tags) for record in records}}
    session.flush()  # the page's id, and the tags'
    rows = []
    for record, seq in zip(records, take_seqs(session, user_id, len(records)), strict=True):
        now = utcnow()  # each its own time, in the order of the change numbers, as one PUT after another
        rows.append({"user_id": user_id, "uuid": record.uuid, "page_id": page.id, "seq": seq,
                     "created_at": record.created_at or now, "updated_at": record.updated_at or now, **_fields(record)})
    page.updated_at = now
    ids = session.scalars(insert(Highlight).returning(Highlight.id, sort_by_parameter_order=True), rows).all()
    tagged = [{"highlight_id": highlight_id, "tag_id": tag.id}
              for highlight_id, record in zip(ids, records, strict=True) for tag in tags[tuple(record.tags)]]
    if tagged:
        session.execute(insert(highlight_tags), tagged)
    search.reindex_highlights(session.connection(), dict.fromkeys(ids, user_id))


def _put_highlight(session, user_id: int, page: Page, record: HighlightRecord, stored: Highlight | None,
                   before: int, summary: Summary) -> None:
    fields = _fields(record)
    live = stored is not None and stored.deleted_at is None
    if record.keep and live:
        _keep_stored(record, fields, stored)
    if live and _as_stored(stored, page, fields, record.tags):
        summary.highlights_unchanged += 1
        return
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


def _as_stored(stored: Highlight, page: Page, fields: dict, tags: list[str]) -> bool:
    """True when a live highlight already is what the file says: put_highlight would change nothing
    (its own test, made here on rows read for the whole page at once instead of three queries each)."""
    return (stored.page_id == page.id and all(getattr(stored, name) == fields[name] for name in CONTENT_FIELDS)
            and {tag.name_key for tag in stored.tags} == {tag_key(name) for name in tags})


def _keep_stored(record: HighlightRecord, fields: dict, stored: Highlight) -> None:
    """The stored highlight's values of the fields the file does not carry."""
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
