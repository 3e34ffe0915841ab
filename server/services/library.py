"""What the web view lists: the library of pages (with previews) and a tag's highlights by page.

Filters and cursors follow ``pages.list_pages``, plus a color filter: pages
with at least one live highlight of that color (and previews in that color).
"""

from itertools import groupby

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..models import Highlight, Page, Tag, highlight_tags
from .cursors import decode_cursor, encode_cursor
from .owned import MAX_ID
from .pages import WITH_TAGS_AND_PAGE, _cursor_datetime, _pages_tagged

PREVIEWS = 3


def list_library(
    session, user_id: int, *, tag: str | None = None, color: str | None = None, site: str | None = None,
    cursor: str | None = None, limit: int = 20,
) -> tuple[list[Page], str | None]:
    """The user's pages, newest activity first, filtered; returns them and the next cursor (or None)."""
    query = select(Page).where(Page.user_id == user_id)
    if tag:
        query = query.where(Page.id.in_(_pages_tagged(user_id, tag)))
    if color:
        query = query.where(Page.id.in_(_live(user_id).where(Highlight.color == color).with_only_columns(Highlight.page_id)))
    if site:
        site = site.strip().lower().removeprefix("www.")
        query = query.where(or_(Page.domain == site, Page.domain.endswith("." + site, autoescape=True)))
    if cursor:
        updated, last_id = decode_cursor(cursor, (str, int), max_int=MAX_ID)
        updated = _cursor_datetime(updated)
        query = query.where(or_(Page.updated_at < updated, and_(Page.updated_at == updated, Page.id < last_id)))
    pages = list(session.scalars(
        query.options(selectinload(Page.tags)).order_by(Page.updated_at.desc(), Page.id.desc()).limit(limit + 1)
    ))
    if len(pages) <= limit:
        return pages, None
    last = pages[limit - 1]
    return pages[:limit], encode_cursor(last.updated_at.isoformat(), last.id)


def _live(user_id: int):
    return select(Highlight).where(Highlight.user_id == user_id, Highlight.deleted_at.is_(None))


def previews(session, user_id: int, page_ids: list[int], color: str | None = None) -> dict[int, list[Highlight]]:
    """The first few live highlights of each page, in reading order (of one color when given)."""
    if not page_ids:
        return {}
    order = (Highlight.position_start.is_(None), Highlight.position_start, Highlight.created_at, Highlight.id)
    ranked = _live(user_id).where(Highlight.page_id.in_(page_ids)).with_only_columns(
        Highlight.id, func.row_number().over(partition_by=Highlight.page_id, order_by=order).label("n"))
    if color:
        ranked = ranked.where(Highlight.color == color)
    ranked = ranked.subquery()
    rows = session.scalars(
        select(Highlight).join(ranked, ranked.c.id == Highlight.id).where(ranked.c.n <= PREVIEWS)
        .options(selectinload(Highlight.tags)).order_by(Highlight.page_id, ranked.c.n)
    )
    return {page_id: list(items) for page_id, items in groupby(rows, key=lambda h: h.page_id)}


def highlights_by_page(session, user_id: int, tag: Tag) -> list[tuple[Page | None, list[Highlight]]]:
    """The live highlights carrying ``tag``, grouped by page (newest page activity first)."""
    rows = session.scalars(
        _live(user_id).join(highlight_tags, highlight_tags.c.highlight_id == Highlight.id)
        .outerjoin(Page, Page.id == Highlight.page_id)
        .where(highlight_tags.c.tag_id == tag.id).options(*WITH_TAGS_AND_PAGE)
        .order_by(Page.updated_at.desc(), Page.id, Highlight.position_start, Highlight.id)
    )
    return [(page, list(items)) for page, items in groupby(rows, key=lambda h: h.page)]
