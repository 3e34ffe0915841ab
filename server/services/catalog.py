"""Books and highlights by integer id, in numbered pages of results, as reading apps list them.

Pages are "books" here: a book page (``importing.books``) or a web page.
Ids are the rows' own ids, stable across calls; lookups go through the
user's own rows only. Lists count their matches and go by page number
(``page``, ``page_size``), highlights in the order they were made, books
by most recent activity. The export hands out books with their highlights,
a bounded number of books per answer, with a cursor for the next.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..models import Highlight, Page, Tag
from . import highlights
from .errors import NotFound
from .importing.books import BOOKS_HOST
from .limits import MAX_INTEGER
from .owned import owned_row
from .pages import HIGHLIGHT_TAGS_AND_PAGE, page_highlights
from .tags import clean_tag_name

MAX_PAGE_SIZE = 1000
EXPORT_BOOKS = 100
TWEET_HOSTS = ("twitter.com", "x.com")
CATEGORIES = ("books", "articles", "tweets", "podcasts")


def category_of(page: Page) -> str:
    """``books`` for a book page, ``tweets`` for a post on Twitter/X, else ``articles``."""
    if page.domain == BOOKS_HOST:
        return "books"
    return "tweets" if page.domain in TWEET_HOSTS else "articles"


def is_book(page: Page) -> bool:
    return page.domain == BOOKS_HOST


@dataclass
class Numbered:
    items: list
    count: int
    has_next: bool


@dataclass(frozen=True)
class Period:
    """Bounds on a timestamp column: strictly after and strictly before, either optional."""

    after: datetime | None = None
    before: datetime | None = None

    def apply(self, query, column):
        if self.after is not None:
            query = query.where(column > self.after)
        if self.before is not None:
            query = query.where(column < self.before)
        return query


ANY_TIME = Period()


def _numbered(session, query, order, page: int, page_size: int, options=()) -> Numbered:
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(session.scalars(query.options(*options).order_by(*order)
                                .offset((page - 1) * page_size).limit(page_size)))
    return Numbered(rows, count, page * page_size < count)


def _live(user_id: int):
    return select(Highlight).where(Highlight.user_id == user_id, Highlight.deleted_at.is_(None))


def list_highlights(session, user_id: int, *, book_id: int | None = None, updated: Period = ANY_TIME,
                    highlighted: Period = ANY_TIME, page: int = 1, page_size: int = 100) -> Numbered:
    """The user's live highlights in the order they were made."""
    query = _live(user_id)
    if book_id is not None:
        query = query.where(Highlight.page_id == book_id)
    query = highlighted.apply(updated.apply(query, Highlight.updated_at), Highlight.created_at)
    return _numbered(session, query, (Highlight.id,), page, page_size, HIGHLIGHT_TAGS_AND_PAGE)


def list_books(session, user_id: int, *, category: str | None = None, updated: Period = ANY_TIME,
               page: int = 1, page_size: int = 100) -> Numbered:
    """The user's pages, most recent activity first; ``category`` as ``category_of`` tells."""
    query = updated.apply(select(Page).where(Page.user_id == user_id), Page.updated_at)
    if category == "books":
        query = query.where(Page.domain == BOOKS_HOST)
    elif category == "tweets":
        query = query.where(Page.domain.in_(TWEET_HOSTS))
    elif category == "articles":
        query = query.where(Page.domain.not_in((BOOKS_HOST, *TWEET_HOSTS)))
    elif category is not None:  # podcasts: Margins keeps none
        return Numbered([], 0, False)
    return _numbered(session, query, (Page.updated_at.desc(), Page.id.desc()), page, page_size,
                     (selectinload(Page.tags),))


@dataclass
class BookStats:
    num_highlights: int
    last_highlight_at: datetime | None


def book_stats(session, page_ids: list[int]) -> dict[int, BookStats]:
    """Live highlight count and newest highlight time of each page."""
    if not page_ids:
        return {}
    rows = session.execute(
        select(Highlight.page_id, func.count(), func.max(Highlight.created_at))
        .where(Highlight.page_id.in_(page_ids), Highlight.deleted_at.is_(None)).group_by(Highlight.page_id))
    stats = {page_id: BookStats(count, last) for page_id, count, last in rows}
    return {page_id: stats.get(page_id, BookStats(0, None)) for page_id in page_ids}


def get_book(session, user_id: int, book_id: int) -> Page:
    page = owned_row(session, Page, user_id, book_id)
    if page is None:
        raise NotFound(f"No book {book_id}.")
    return page


def get_highlight(session, user_id: int, highlight_id: int) -> Highlight:
    """A live highlight of the user by its integer id."""
    highlight = owned_row(session, Highlight, user_id, highlight_id)
    if highlight is None or highlight.deleted:
        raise NotFound(f"No highlight {highlight_id}.")
    return highlight


@dataclass
class ExportBook:
    page: Page
    highlights: list[Highlight]


def export(session, user_id: int, *, updated_after: datetime | None = None, ids: list[int] | None = None,
           cursor: int | None = None, limit: int = EXPORT_BOOKS) -> tuple[list[ExportBook], int | None]:
    """Books with their live highlights (those changed after ``updated_after`` only, when given), by id;
    and the cursor of the next answer, None at the end. Books without such highlights are left out."""
    live = _live(user_id).with_only_columns(Highlight.page_id)
    if updated_after is not None:
        live = live.where(Highlight.updated_at > updated_after)
    query = select(Page).where(Page.user_id == user_id, Page.id.in_(live))
    if ids is not None:
        query = query.where(Page.id.in_([i for i in ids if 0 < i <= MAX_INTEGER]))
    if cursor is not None:
        query = query.where(Page.id > cursor)
    pages = list(session.scalars(query.options(selectinload(Page.tags)).order_by(Page.id).limit(limit + 1)))
    more = len(pages) > limit
    pages = pages[:limit]
    books = []
    for page in pages:
        highlights = page_highlights(session, page)
        if updated_after is not None:
            highlights = [h for h in highlights if h.updated_at > updated_after]
        books.append(ExportBook(page, highlights))
    return books, pages[-1].id if more else None


def add_tag(session, user_id: int, highlight_id: int, name: str) -> Tag:
    """Tag the highlight (the tag is made when new); returns the tag."""
    highlight = get_highlight(session, user_id, highlight_id)
    names = [tag.name for tag in highlight.tags]
    patched = highlights.patch_highlight(session, user_id, highlight.uuid, tags=[*names, name])
    key = clean_tag_name(name).casefold()
    return next(tag for tag in patched.tags if tag.name_key == key)


def remove_tag(session, user_id: int, highlight_id: int, tag_id: int) -> None:
    highlight = get_highlight(session, user_id, highlight_id)
    kept = [tag.name for tag in highlight.tags if tag.id != tag_id]
    if len(kept) == len(highlight.tags):
        raise NotFound(f"Highlight {highlight_id} has no tag {tag_id}.")
    highlights.patch_highlight(session, user_id, highlight.uuid, tags=kept)
