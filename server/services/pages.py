"""Pages: found by URL key (or any alias of it), upserted with optional snapshot."""

import hashlib
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..models import Highlight, Page, PageURL, highlight_tags, page_tags, utcnow
from . import snapshots
from .changes import lock_user, take_seqs
from .cursors import decode_cursor, encode_cursor
from .errors import Invalid, NotFound
from .extraction import Article, extract
from .filters import contains, on_site, reading_order, tag_ids_named
from .limits import MAX_INTEGER
from .owned import owned_row
from .tags import resolve_tags
from .urlkeys import InvalidURL, url_key

UNSET = object()
#: Loader options of a highlight query: each highlight's tags and page, in two queries, not two per highlight.
HIGHLIGHT_TAGS_AND_PAGE = (selectinload(Highlight.tags), selectinload(Highlight.page))
METADATA_FIELDS = ("author", "site_name", "description", "language", "published", "favicon", "lead_image")


def key_of(url: str, canonical: str | None = None) -> str:
    try:
        return url_key(url, canonical)
    except InvalidURL as error:
        raise Invalid(str(error), {"url": [str(error)]}) from None


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _domain(key: str) -> str:
    host = urlsplit(key).hostname or ""
    return host.removeprefix("www.")


def find_page(session, user_id: int, key: str) -> Page | None:
    return session.scalar(
        select(Page).join(PageURL, PageURL.page_id == Page.id)
        .where(PageURL.user_id == user_id, PageURL.key_hash == key_hash(key))
    )


def add_aliases(session, user_id: int, page: Page, keys: list[str]) -> None:
    for key in keys:
        if find_page(session, user_id, key) is None:
            session.add(PageURL(user_id=user_id, page_id=page.id, key_hash=key_hash(key)))
    session.flush()


def _create_page(session, user_id: int, url: str, key: str) -> Page:
    """A new page, found from now on by ``key``."""
    page = Page(user_id=user_id, url=url, url_key=key, domain=_domain(key))
    session.add(page)
    session.flush()
    session.add(PageURL(user_id=user_id, page_id=page.id, key_hash=key_hash(key)))
    return page


def page_for_url(session, user_id: int, url: str, title: str | None = None) -> Page:
    """The user's page for a URL, made (without snapshot) when there is none."""
    key = key_of(url)
    page = find_page(session, user_id, key)
    if page is None:
        page = _create_page(session, user_id, url, key)
    if title and not page.title:
        page.title = title
    return page


def upsert_page(
    session, user_id: int, url: str, *, title: str | None = None, html: str | None = None,
    tags: list[str] | None = None,
) -> tuple[Page, bool]:
    """Find or make the page for a URL; keep a snapshot when HTML is given.

    The page's canonical link, once the HTML is read, becomes another key
    that leads to the same page. Returns the page and whether it is new.
    """
    plain_key = key_of(url)
    # Clean the HTML before touching the database: no lock is held meanwhile.
    article = extract(html, url) if html else None
    lock_user(session, user_id)
    page = find_page(session, user_id, plain_key)
    keys = [plain_key]
    if article and article.canonical_url:
        canonical_key = key_of(url, article.canonical_url)
        page = find_page(session, user_id, canonical_key) or page
        keys.insert(0, canonical_key)
    created = page is None
    if created:
        page = _create_page(session, user_id, url, keys[0])
    add_aliases(session, user_id, page, keys[1:] if created else keys)
    if title and not page.title:
        page.title = title
    if article:
        apply_article(page, article)
        digest = snapshots.html_digest(html)
        if not snapshots.has_snapshot(session, page, digest):
            snapshots.store_snapshot(session, page, html, digest, article)
    if tags is not None:
        page.tags = resolve_tags(session, user_id, tags)
    page.updated_at = utcnow()
    session.flush()
    return page, created


def apply_article(page: Page, article: Article) -> None:
    """Copy what the cleaner found onto the page; a title the user renamed is kept."""
    if article.title and not page.title_edited:
        page.title = article.title
    if article.canonical_url:
        page.canonical_url = article.canonical_url
    for field in METADATA_FIELDS:
        value = getattr(article, field)
        if value:
            setattr(page, field, value)
    page.word_count = article.word_count


def get_page(session, user_id: int, page_id: int) -> Page:
    page = owned_row(session, Page, user_id, page_id)
    if page is None:
        raise NotFound(f"No page {page_id}; GET /api/v1/pages lists yours.")
    return page


def list_pages(
    session, user_id: int, *, tag: str | None = None, color: str | None = None, q: str | None = None,
    domain: str | None = None, cursor: str | None = None, limit: int = 50,
) -> tuple[list[Page], str | None]:
    """The user's pages, most recent activity first, one page of results at a time.

    ``color`` keeps pages with at least one live highlight of that color.
    """
    query = select(Page).where(Page.user_id == user_id)
    if tag:
        query = query.where(Page.id.in_(_pages_tagged(user_id, tag)))
    if color:
        query = query.where(Page.id.in_(select(Highlight.page_id).where(
            Highlight.user_id == user_id, Highlight.deleted_at.is_(None), Highlight.color == color)))
    if domain:
        query = query.where(on_site(Page.domain, domain))
    if q:
        query = query.where(contains([Page.title, Page.url], q))
    if cursor:
        updated, last_id = decode_cursor(cursor, (str, int), max_int=MAX_INTEGER)
        updated = _cursor_datetime(updated)
        query = query.where(or_(
            Page.updated_at < updated, and_(Page.updated_at == updated, Page.id < last_id)
        ))
    pages = list(session.scalars(
        query.options(selectinload(Page.tags)).order_by(Page.updated_at.desc(), Page.id.desc()).limit(limit + 1)
    ))
    if len(pages) <= limit:
        return pages, None
    last = pages[limit - 1]
    return pages[:limit], encode_cursor(last.updated_at.isoformat(), last.id)


def _cursor_datetime(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("no zone")
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise Invalid("The cursor is not one this server gave out.", {"cursor": ["invalid cursor"]}) from None


def _pages_tagged(user_id: int, name: str):
    """Pages carrying the tag themselves or through one of their live highlights."""
    tag_ids = tag_ids_named(user_id, name)
    by_page = select(page_tags.c.page_id).where(page_tags.c.tag_id.in_(tag_ids))
    by_highlight = (
        select(Highlight.page_id)
        .join(highlight_tags, highlight_tags.c.highlight_id == Highlight.id)
        .where(highlight_tags.c.tag_id.in_(tag_ids), Highlight.deleted_at.is_(None))
    )
    return by_page.union(by_highlight)


def highlight_counts(session, page_ids: list[int]) -> dict[int, int]:
    if not page_ids:
        return {}
    return dict(session.execute(
        select(Highlight.page_id, func.count())
        .where(Highlight.page_id.in_(page_ids), Highlight.deleted_at.is_(None))
        .group_by(Highlight.page_id)
    ).all())


def page_highlights(session, page: Page) -> list[Highlight]:
    """The page's live highlights in reading order (unplaced ones last, by age)."""
    return list(session.scalars(
        select(Highlight).options(*HIGHLIGHT_TAGS_AND_PAGE)
        .where(Highlight.page_id == page.id, Highlight.deleted_at.is_(None))
        .order_by(*reading_order())
    ))


def update_page(session, user_id: int, page_id: int, *, title=UNSET, tags=UNSET) -> Page:
    lock_user(session, user_id)
    page = get_page(session, user_id, page_id)
    if title is not UNSET:
        page.title = title
        page.title_edited = True
    if tags is not UNSET:
        page.tags = resolve_tags(session, user_id, tags)
    page.updated_at = utcnow()
    session.flush()
    return page


def delete_page(session, user_id: int, page_id: int) -> None:
    """Delete a page, its snapshots and aliases; its highlights become tombstones."""
    lock_user(session, user_id)
    page = get_page(session, user_id, page_id)
    live = page_highlights(session, page)
    if live:
        now = utcnow()
        for highlight, seq in zip(live, take_seqs(session, user_id, len(live)), strict=True):
            highlight.bury(seq, now)
            highlight.page_id = None
    session.delete(page)
    session.flush()
