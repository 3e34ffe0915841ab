"""What an export holds: the user's pages and live highlights that pass the filters, read in batches.

Pages come in id order, a batch at a time (keyset, never OFFSET), each with
its live highlights in reading order; the session is cleared after every
batch, so memory stays flat however many highlights there are. Markdown
exports ask for ``light`` entries: their highlights are plain rows of the
columns Markdown writes (:class:`HighlightRow`), read with their tags in two
set-based queries a batch, several times quicker than loading ORM objects.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import String, exists, func, null, or_, select, type_coerce
from sqlalchemy.orm import selectinload

from ...models import Highlight, Page, PdfFile, Snapshot, Tag, highlight_tags
from ..filters import carries_tag, contains, on_site, reading_order

BATCH_PAGES = 200
#: snapshots hold whole pages of HTML: fewer pages a batch when they are read too
BATCH_PAGES_WITH_SNAPSHOTS = 20


@dataclass(frozen=True)
class Selection:
    """The list filters. ``tag``, ``color`` and ``q`` pick highlights (and so their pages);
    ``domain`` and ``page_id`` pick pages. No filter: everything, pages without highlights too."""

    tag: str | None = None
    color: str | None = None
    domain: str | None = None
    q: str | None = None
    page_id: int | None = None

    @property
    def picks_highlights(self) -> bool:
        return bool(self.tag or self.color or self.q)


@dataclass(slots=True)
class HighlightRow:
    """What a Markdown export reads of a highlight; ``tags`` are their names, in the ORM's order."""

    id: int
    page_id: int
    uuid: str
    exact: str
    prefix: str
    suffix: str
    note: str
    color: str
    #: times as the database gives them, unconverted (SQLite's text): :func:`.values.stored_timestamp` spells them
    created_at: object
    updated_at: object
    pdf_page_first: int | None
    pdf_page_last: int | None
    tags: list[str] = field(default_factory=list)

    pages_label = Highlight.pages_label


_RAW_TIMES = ("created_at", "updated_at")
_ROW_COLUMNS = tuple(type_coerce(getattr(Highlight, name), String).label(name) if name in _RAW_TIMES
                     else getattr(Highlight, name) for name in HighlightRow.__dataclass_fields__ if name != "tags")


@dataclass
class Entry:
    """One page of the export with its highlights (and snapshots when asked for)."""

    page: Page
    #: ORM highlights; :class:`HighlightRow` for ``light`` entries
    highlights: list
    snapshots: list[Snapshot] = field(default_factory=list)
    #: the page is a PDF whose file Margins keeps
    stored_pdf: bool = False
    #: the page's stored text (its latest snapshot's), when asked for; None when it has no snapshot
    text: str | None = None
    #: its latest snapshot's cleaned article HTML, when asked for; None when it has no snapshot
    article_html: str | None = None


@dataclass(frozen=True)
class Source:
    """What an exporter reads: a user's selected entries, reporting each page done to ``progress``."""

    session: object
    user_id: int
    selection: Selection = Selection()
    progress: Callable[[int], None] | None = None
    #: the Margins server's address, for links to what it stores (a PDF's copy); None: no such links
    server_url: str | None = None

    def entries(self, *, with_snapshots: bool = False, with_text: bool = False,
                with_article: bool = False, light: bool = False) -> Iterator[Entry]:
        for entry in iter_entries(self.session, self.user_id, self.selection, with_snapshots=with_snapshots,
                                  with_text=with_text, with_article=with_article, light=light):
            yield entry
            if self.progress:
                self.progress(1)


def count_pages(session, user_id: int, selection: Selection) -> int:
    return session.scalar(select(func.count()).select_from(Page).where(*_page_conditions(user_id, selection)))


def iter_entries(session, user_id: int, selection: Selection, *, with_snapshots: bool = False,
                 with_text: bool = False, with_article: bool = False, light: bool = False) -> Iterator[Entry]:
    """Every selected page, by id, with its selected highlights in reading order (as :class:`HighlightRow`
    when ``light``; and its snapshots, or its latest snapshot's text and article HTML, when asked for)."""
    batch_pages = BATCH_PAGES_WITH_SNAPSHOTS if with_snapshots or with_article else BATCH_PAGES
    last_id = 0
    while True:
        pages = list(session.scalars(
            select(Page).options(selectinload(Page.tags))
            .where(*_page_conditions(user_id, selection), Page.id > last_id)
            .order_by(Page.id).limit(batch_pages)
        ))
        if not pages:
            return
        by_page = (_highlight_rows_of if light else _highlights_of)(session, user_id, selection,
                                                                    [page.id for page in pages])
        snapshots = _snapshots_of(session, pages) if with_snapshots else {}
        stored = set(session.scalars(select(PdfFile.page_id).where(PdfFile.page_id.in_([page.id for page in pages]))))
        latest = _latest_of(session, pages, with_text, with_article) if with_text or with_article else {}
        for page in pages:
            text, article_html = latest.get(page.id, (None, None))
            yield Entry(page, by_page.get(page.id, []), snapshots.get(page.id, []), stored_pdf=page.id in stored,
                        text=text, article_html=article_html)
        last_id = pages[-1].id
        session.expunge_all()


def _page_conditions(user_id: int, selection: Selection) -> list:
    conditions = [Page.user_id == user_id]
    if selection.page_id is not None:
        conditions.append(Page.id == selection.page_id)
    if selection.domain:
        conditions.append(on_site(Page.domain, selection.domain))
    if selection.picks_highlights:
        conditions.append(exists().where(Highlight.page_id == Page.id, *_highlight_conditions(user_id, selection)))
    return conditions


def _highlight_conditions(user_id: int, selection: Selection) -> list:
    conditions = [Highlight.user_id == user_id, Highlight.deleted_at.is_(None)]
    if selection.color:
        conditions.append(Highlight.color == selection.color)
    if selection.tag:
        conditions.append(carries_tag(user_id, selection.tag))
    if selection.q:
        pages_named = select(Page.id).where(Page.user_id == user_id, contains([Page.title, Page.url], selection.q))
        conditions.append(or_(contains([Highlight.exact, Highlight.note], selection.q),
                              Highlight.page_id.in_(pages_named)))
    return conditions


def _highlights_of(session, user_id: int, selection: Selection, page_ids: list[int]) -> dict[int, list[Highlight]]:
    rows = session.scalars(
        select(Highlight).options(selectinload(Highlight.tags))
        .where(Highlight.page_id.in_(page_ids), *_highlight_conditions(user_id, selection))
        .order_by(Highlight.page_id, *reading_order())
    )
    by_page: dict[int, list[Highlight]] = {}
    for highlight in rows:
        by_page.setdefault(highlight.page_id, []).append(highlight)
    return by_page


def _highlight_rows_of(session, user_id: int, selection: Selection,
                       page_ids: list[int]) -> dict[int, list[HighlightRow]]:
    chosen = (Highlight.page_id.in_(page_ids), *_highlight_conditions(user_id, selection))
    rows = [HighlightRow(*row) for row in session.execute(
        select(*_ROW_COLUMNS).where(*chosen).order_by(Highlight.page_id, *reading_order()))]
    by_id = {row.id: row for row in rows}
    for highlight_id, name in session.execute(
        select(highlight_tags.c.highlight_id, Tag.name).join(Tag, Tag.id == highlight_tags.c.tag_id)
        .where(highlight_tags.c.highlight_id.in_(select(Highlight.id).where(*chosen)))
        .order_by(highlight_tags.c.highlight_id, Tag.name_key)
    ):
        by_id[highlight_id].tags.append(name)
    by_page: dict[int, list[HighlightRow]] = {}
    for row in rows:
        by_page.setdefault(row.page_id, []).append(row)
    return by_page


def _snapshots_of(session, pages: list[Page]) -> dict[int, list[Snapshot]]:
    by_page: dict[int, list[Snapshot]] = {}
    for snapshot in session.scalars(
        select(Snapshot).where(Snapshot.page_id.in_([page.id for page in pages])).order_by(Snapshot.id)
    ):
        by_page.setdefault(snapshot.page_id, []).append(snapshot)
    return by_page


def _latest_of(session, pages: list[Page], with_text: bool, with_article: bool) -> dict[int, tuple]:
    """Each page's latest snapshot's (text, content HTML) (as snapshots.latest_snapshot picks it), by page
    id; a part not asked for is None."""
    latest = (select(func.max(Snapshot.id)).where(Snapshot.page_id.in_([page.id for page in pages]))
              .group_by(Snapshot.page_id))
    columns = (Snapshot.text if with_text else null(), Snapshot.content_html if with_article else null())
    return {page_id: (text, html) for page_id, text, html in
            session.execute(select(Snapshot.page_id, *columns).where(Snapshot.id.in_(latest)))}
