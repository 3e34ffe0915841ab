"""Highlights: idempotent create-or-replace by client UUID, edits, tombstones, the change feed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, false, select

from ..models import Highlight, Page, QuoteHistory, Tag, User, highlight_tags, utcnow
from . import new_highlights
from .changes import lock_user, take_seq
from .cursors import decode_cursor, encode_cursor
from .errors import NotFound
from .filters import contains, tag_ids_named
from .pages import HIGHLIGHT_TAGS_AND_PAGE, find_page, key_of, page_for_url
from .tags import resolve_tags

UNSET = object()
#: fields a PUT replaces as a whole, beside the page and the tags
CONTENT_FIELDS = ("exact", "prefix", "suffix", "position_start", "position_end", "range_selector",
                  "pdf_page_first", "pdf_page_last", "color", "note")


def get_highlight(session, user_id: int, uuid: str) -> Highlight:
    """A live highlight of the user; tombstones and other users' ids are not found."""
    highlight = _find(session, user_id, uuid)
    if highlight is None or highlight.deleted:
        raise NotFound(f"No highlight {uuid}.")
    return highlight


def _find(session, user_id: int, uuid: str) -> Highlight | None:
    return session.scalar(select(Highlight).where(Highlight.user_id == user_id, Highlight.uuid == uuid))


_UUID_USED = (select(Highlight.__table__.c.id)
              .where(Highlight.__table__.c.user_id == bindparam("user_id"), Highlight.__table__.c.uuid == bindparam("uuid")))


def _uuid_used(session, user_id: int, uuid: str) -> bool:
    """Whether the user has a highlight (or tombstone) with this UUID, in one prepared statement."""
    return session.connection().execute(_UUID_USED, {"user_id": user_id, "uuid": uuid}).first() is not None


def put_highlight(
    session, user_id: int, uuid: str, *, url: str, fields: dict, tags: list[str],
    title: str | None = None, created_at: datetime | None = None,
) -> tuple[Highlight, bool]:
    """Create or replace the user's highlight with this UUID.

    Sending the same body again changes nothing (not even updated_at), so
    retries and offline replays are free. A PUT on a tombstone brings the
    highlight back. Returns the highlight and whether it is new.

    A UUID the user has not used yet (every highlight the extension makes)
    is stored by ``new_highlights`` in prepared Core statements; a used one
    is compared and replaced through the ORM.
    """
    lock_user(session, user_id)
    session.flush()  # what the caller changed, before statements the session does not see
    if not _uuid_used(session, user_id, uuid):
        return new_highlights.create(session, user_id, uuid, url=url, fields=fields, tags=tags, title=title,
                                     created_at=created_at), True
    page = page_for_url(session, user_id, url, title)
    tag_rows = resolve_tags(session, user_id, tags)
    highlight = _find(session, user_id, uuid)
    if _same(highlight, page, fields, tag_rows):
        return highlight, False
    if created_at is not None:
        highlight.created_at = created_at
    if not highlight.deleted:
        _keep_old_quote(highlight, fields["exact"], fields["prefix"], fields["suffix"])
    highlight.page = page
    for name in CONTENT_FIELDS:
        setattr(highlight, name, fields[name])
    highlight.tags = tag_rows
    highlight.deleted_at = None
    _record_change(session, highlight, page)
    return highlight, False


def _same(highlight: Highlight, page: Page, fields: dict, tags: list[Tag]) -> bool:
    return (
        not highlight.deleted
        and highlight.page_id == page.id
        and all(getattr(highlight, name) == fields[name] for name in CONTENT_FIELDS)
        and {tag.id for tag in highlight.tags} == {tag.id for tag in tags}
    )


def _record_change(session, highlight: Highlight, page: Page | None) -> None:
    with session.no_autoflush:  # a new highlight has no seq until this line
        highlight.seq = take_seq(session, highlight.user_id)
    now = utcnow()
    highlight.updated_at = now
    if page is not None:
        page.updated_at = now
    session.flush()


def _keep_old_quote(highlight: Highlight, exact: str, prefix: str, suffix: str) -> None:
    """A highlight attached to other text keeps the quote it had in its history."""
    if (highlight.exact, highlight.prefix, highlight.suffix) != (exact, prefix, suffix):
        highlight.history.append(QuoteHistory(exact=highlight.exact, prefix=highlight.prefix, suffix=highlight.suffix))


def attach_highlight(session, user_id: int, uuid: str, *, exact: str, prefix: str, suffix: str) -> Highlight:
    """Attach a highlight to other text of its page (an orphan repaired in the readable copy).

    The quote is replaced and the old one kept in its history; the position,
    range and PDF pages are dropped (they count in the live page, not in the
    copy); the id, note, tags and color stay.
    """
    lock_user(session, user_id)
    highlight = get_highlight(session, user_id, uuid)
    _keep_old_quote(highlight, exact, prefix, suffix)
    highlight.exact, highlight.prefix, highlight.suffix = exact, prefix, suffix
    highlight.position_start = highlight.position_end = None
    highlight.range_selector = None
    highlight.pdf_page_first = highlight.pdf_page_last = None
    _record_change(session, highlight, highlight.page)
    return highlight


def patch_highlight(session, user_id: int, uuid: str, *, color=UNSET, note=UNSET, tags=UNSET) -> Highlight:
    lock_user(session, user_id)
    highlight = get_highlight(session, user_id, uuid)
    if color is not UNSET:
        highlight.color = color
    if note is not UNSET:
        highlight.note = note
    if tags is not UNSET:
        highlight.tags = resolve_tags(session, user_id, tags)
    _record_change(session, highlight, highlight.page)
    return highlight


def delete_highlight(session, user_id: int, uuid: str) -> None:
    """Leave a tombstone. Deleting a tombstone again is fine (offline replays)."""
    lock_user(session, user_id)
    highlight = _find(session, user_id, uuid)
    if highlight is None:
        raise NotFound(f"No highlight {uuid}.")
    if highlight.deleted:
        return
    now = utcnow()
    highlight.bury(take_seq(session, user_id), now)
    if highlight.page is not None:
        highlight.page.updated_at = now
    session.flush()


@dataclass
class FeedPage:
    items: list[Highlight]
    #: where the next batch starts; None when there is nothing more now
    next_cursor: str | None
    #: where this answer ends: keep it, and ask with it later for what changed since
    sync_cursor: str


def feed(
    session, user_id: int, *, url: str | None = None, page_id: int | None = None, tag: str | None = None,
    color: str | None = None, q: str | None = None, updated_after: datetime | None = None,
    cursor: str | None = None, limit: int = 100,
) -> FeedPage:
    """Highlights in the order they last changed (their change number), tombstones included.

    The answer covers changes up to the user's change number as read at
    the start, so ``sync_cursor`` never skips a change committed meanwhile.
    Filters on tag, color or text only match live highlights, so they
    return no tombstones.
    """
    # Read first: every change numbered up to here is committed (see changes.py).
    covered = session.scalar(select(User.change_seq).where(User.id == user_id))
    query = select(Highlight).where(Highlight.user_id == user_id, Highlight.seq <= covered)
    if url is not None:
        page = find_page(session, user_id, key_of(url))
        query = query.where(Highlight.page_id == page.id if page else false())
    if page_id is not None:
        query = query.where(Highlight.page_id == page_id)
    if tag:
        tagged = select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id.in_(tag_ids_named(user_id, tag)))
        query = query.where(Highlight.id.in_(tagged))
    if color:
        query = query.where(Highlight.color == color, Highlight.deleted_at.is_(None))
    if q:
        query = query.where(Highlight.deleted_at.is_(None), contains([Highlight.exact, Highlight.note], q))
    if updated_after is not None:
        query = query.where(Highlight.updated_at > updated_after)
    if cursor:
        (after_seq,) = decode_cursor(cursor, (int,))
        query = query.where(Highlight.seq > after_seq)
    items = list(session.scalars(query.options(*HIGHLIGHT_TAGS_AND_PAGE).order_by(Highlight.seq).limit(limit + 1)))
    if len(items) <= limit:
        return FeedPage(items, None, encode_cursor(covered))
    next_cursor = encode_cursor(items[limit - 1].seq)
    return FeedPage(items[:limit], next_cursor, next_cursor)
