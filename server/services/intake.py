"""Batch intake: highlights pushed by reading apps (the Readwise API's shape), stored as an import is.

Each item names its source: a web page (``source_url``) or a book (title
and author, no URL), which gets the book page the Kindle importer uses
(``importing.books``), so a Kindle import and a push of the same book meet.
Items become import records and go through the importer's one
all-or-nothing store, under the user's write lock; the caller commits.

An item's highlight id is derived from its source's page key, its text and
its location, so pushing the same highlight again updates it (note, time)
instead of adding a second one. What a push does not carry (the color and
tags the user gave it in Margins, a note when none is sent) is kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import Highlight, Page
from .errors import ServiceError
from .importing import store_parsed
from .importing.books import book_url
from .importing.records import HighlightRecord, PageRecord, Parsed, derived_uuid
from .limits import MAX_PDF_PAGE
from .new_highlights import indexed_at_end
from .pages import find_page, key_of

#: The most highlights one request may push: larger batches are refused whole (413), not cut.
MAX_BATCH = 2000
#: The book a highlight with neither a title nor a URL goes to (Readwise's name for it).
NO_TITLE = "Quotes"


class BatchTooLarge(ServiceError):
    status = 413
    code = "too_large"


def check_batch_size(count: int) -> None:
    if count > MAX_BATCH:
        raise BatchTooLarge(f"This batch has {count} highlights; send at most {MAX_BATCH} per request "
                            "(split it: each request is stored whole or not at all).")


@dataclass
class PushedItem:
    """One pushed highlight, checked at the edge (types, lengths, storable text)."""

    text: str
    title: str | None = None
    author: str | None = None
    source_url: str | None = None
    source_type: str | None = None
    image_url: str | None = None
    note: str | None = None
    location: int | None = None
    #: "page": ``location`` is the page the passage is on (a PDF's, or a book's)
    location_type: str | None = None
    highlighted_at: datetime | None = None


@dataclass
class PushedBook:
    page: Page
    highlight_ids: list[int] = field(default_factory=list)


def source_url_of(item: PushedItem) -> str:
    """The page an item lands on: its web address, or its book's synthetic one."""
    return item.source_url or book_url(item.title or NO_TITLE, item.author)


def push(session, user_id: int, items: Sequence[PushedItem]) -> list[PushedBook]:
    """Store the items; the books (pages) they landed on with the ids of their highlights, in push order."""
    check_batch_size(len(items))
    records: dict[str, PageRecord] = {}
    placed: list[tuple[str, str]] = []  # (page key, highlight uuid) per item
    for index, item in enumerate(items):
        url = source_url_of(item)
        key = key_of(url)
        record = records.get(key)
        if record is None:
            metadata = {"title": item.title or (None if item.source_url else NO_TITLE), "author": item.author,
                        "lead_image": item.image_url, "site_name": item.source_type}
            record = records[key] = PageRecord(where=f"highlights[{index}]", url=url,
                                               metadata={k: v for k, v in metadata.items() if v})
        uuid = derived_uuid("readwise", key, item.text, item.location)
        placed.append((key, uuid))
        # A book's location orders its highlights; on a web page a position is an offset in the
        # page's text, which the anchoring trusts, and a reading app's location is not that.
        # A page number is kept as the passage's page.
        on_a_page = item.location_type == "page" and item.location is not None and 1 <= item.location <= MAX_PDF_PAGE
        position = None if item.source_url or on_a_page else item.location
        page = item.location if on_a_page else None
        record.highlights.append(HighlightRecord(
            where=f"highlights[{index}]", uuid=uuid, exact=item.text, note=item.note or "",
            position_start=position, position_end=position, pdf_page_first=page, pdf_page_last=page,
            created_at=item.highlighted_at,
        ))
    _keep_what_a_push_does_not_carry(session, user_id, records.values(), items)
    with indexed_at_end(session):  # the batch's new highlights in one reindex
        store_parsed(session, user_id, Parsed(list(records.values())))
    return _books(session, user_id, placed)


def _keep_what_a_push_does_not_carry(session, user_id: int, records, items: Sequence[PushedItem]) -> None:
    highlights = [h for record in records for h in record.highlights]
    existing = {h.uuid: h for h in session.scalars(
        select(Highlight).options(selectinload(Highlight.tags))
        .where(Highlight.user_id == user_id, Highlight.uuid.in_({h.uuid for h in highlights}),
               Highlight.deleted_at.is_(None)))}
    sent_note = {f"highlights[{index}]": item.note is not None for index, item in enumerate(items)}
    for record in highlights:
        old = existing.get(record.uuid)
        if old is None:
            continue
        record.color, record.tags = old.color, [tag.name for tag in old.tags]
        if not sent_note[record.where]:
            record.note = old.note
        record.created_at = record.created_at or old.created_at


def _books(session, user_id: int, placed: list[tuple[str, str]]) -> list[PushedBook]:
    ids = dict(session.execute(select(Highlight.uuid, Highlight.id).where(
        Highlight.user_id == user_id, Highlight.uuid.in_({uuid for _, uuid in placed}))).all())
    books: dict[str, PushedBook] = {}
    for key, uuid in placed:
        book = books.get(key)
        if book is None:
            book = books[key] = PushedBook(find_page(session, user_id, key))
        if ids[uuid] not in book.highlight_ids:
            book.highlight_ids.append(ids[uuid])
    return list(books.values())
