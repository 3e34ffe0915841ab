"""What the web view shows beside ``pages.list_pages``: previews, and a tag's highlights by page."""

from itertools import groupby

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..models import Highlight, Page, Tag, highlight_tags
from .filters import carries_tag, reading_order
from .pages import HIGHLIGHT_TAGS_AND_PAGE

PREVIEWS = 3


def _live(user_id: int):
    return select(Highlight).where(Highlight.user_id == user_id, Highlight.deleted_at.is_(None))


def previews(
    session, user_id: int, page_ids: list[int], *, color: str | None = None, tag: str | None = None,
) -> dict[int, list[Highlight]]:
    """The first few live highlights of each page, in reading order; under the library's filters
    only those the filters pick (of the color; carrying the tag or on a page carrying it), the
    highlights "Export these highlights" exports."""
    if not page_ids:
        return {}
    ranked = _live(user_id).where(Highlight.page_id.in_(page_ids)).with_only_columns(
        Highlight.id, func.row_number().over(partition_by=Highlight.page_id, order_by=reading_order()).label("n"))
    if color:
        ranked = ranked.where(Highlight.color == color)
    if tag:
        ranked = ranked.where(carries_tag(user_id, tag))
    ranked = ranked.subquery()
    rows = session.scalars(
        select(Highlight).join(ranked, ranked.c.id == Highlight.id).where(ranked.c.n <= PREVIEWS)
        .options(selectinload(Highlight.tags)).order_by(Highlight.page_id, ranked.c.n)
    )
    return {page_id: list(items) for page_id, items in groupby(rows, key=lambda h: h.page_id)}


def highlights_by_page(session, user_id: int, tag: Tag) -> list[tuple[Page | None, list[Highlight]]]:
    """The live highlights carrying ``tag``, grouped by page (newest page activity first), each
    page's in reading order."""
    rows = session.scalars(
        _live(user_id).join(highlight_tags, highlight_tags.c.highlight_id == Highlight.id)
        .outerjoin(Page, Page.id == Highlight.page_id)
        .where(highlight_tags.c.tag_id == tag.id).options(*HIGHLIGHT_TAGS_AND_PAGE)
        .order_by(Page.updated_at.desc(), Page.id, *reading_order())
    )
    return [(page, list(items)) for page, items in groupby(rows, key=lambda h: h.page)]
