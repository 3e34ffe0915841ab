"""Small query helpers shared by the lists and the export: text, site and tag filters, reading order."""

from sqlalchemy import func, or_, select

from ..models import Highlight, Tag, highlight_tags, page_tags
from .tags import tag_key


def contains(columns, text: str):
    """Case-insensitive "contains" over columns, with LIKE wildcards in ``text`` taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def on_site(domain_column, domain: str):
    """Pages of a site given as a host (``www.`` ignored): the host itself and its subdomains."""
    domain = domain.strip().lower().removeprefix("www.")
    return or_(domain_column == domain, domain_column.endswith("." + domain, autoescape=True))


def tag_ids_named(user_id: int, name: str):
    """The user's tag that ``name`` names (as a subquery of ids), spelled any way a write
    would store it: ``#Reading  List`` finds the tag saved from that spelling."""
    return select(Tag.id).where(Tag.user_id == user_id, Tag.name_key == tag_key(name))


def carries_tag(user_id: int, name: str):
    """Highlights carrying the tag, or on a page carrying it: what a tag filter picks in
    the library and in an export alike."""
    tag_ids = tag_ids_named(user_id, name)
    return or_(
        Highlight.id.in_(select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id.in_(tag_ids))),
        Highlight.page_id.in_(select(page_tags.c.page_id).where(page_tags.c.tag_id.in_(tag_ids))),
    )


def reading_order() -> tuple:
    """ORDER BY terms for highlights in reading order: on a PDF by page first; then by place on
    the page, unplaced ones (no position: imported books) last, ties and the unplaced by age.
    Nulls are sorted explicitly, since SQLite puts them first and PostgreSQL last. The
    extension's popup uses the same order (tests/fixtures/rules/reading-order.json)."""
    return (Highlight.pdf_page_first.is_(None), Highlight.pdf_page_first,
            Highlight.position_start.is_(None), Highlight.position_start, Highlight.created_at, Highlight.id)
