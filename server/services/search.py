"""Full-text search over highlight text, notes, page titles and page text.

One index table, ``search_index``, holds a row per live highlight (its text,
note and page title) and a row per page (title and the first 200,000
characters of its latest snapshot's text): an FTS5 virtual table on
SQLite, a table with a weighted ``tsvector`` and a GIN index on
PostgreSQL (both made by migration 0002). A session listener, which the
app factory registers (``keep_index_current``), keeps it current inside the
same transaction as every write made through the ORM, whoever makes it;
statements that bypass the ORM (bulk inserts) must call
``reindex_highlights``/``reindex_pages`` for what they wrote, or be followed
by ``flask search reindex``.

Row keys (``row_key``): the user's range, then ``2 * highlight id`` for a
highlight's row and ``2 * page id + 1`` for a page's.
"""

import html
import re
from dataclasses import dataclass
from itertools import chain

from markupsafe import Markup
from sqlalchemy import bindparam, event, inspect, select, text
from sqlalchemy.orm import Session, selectinload

from ..models import Highlight, Page, Snapshot

INDEX = "search_index"
#: snippet delimiters, turned into <mark> after escaping; taken out of the text the index holds
OPEN, CLOSE = "\x02", "\x03"
HIGHLIGHT_FIELDS = ("exact", "note", "page", "page_id", "deleted_at")
#: keys of one user's rows lie in [user id × USER_SPAN, (user id + 1) × USER_SPAN): on SQLite a
#: rowid range, which FTS5 applies to its doclists without reading each row
USER_SPAN = 2**33
BATCH = 5000


@dataclass
class Result:
    page_id: int
    highlight_id: int | None
    title: Markup
    body: Markup
    note: Markup
    score: float


def _key(connection) -> str:
    return "rowid" if connection.dialect.name == "sqlite" else "id"


def _expanding(sql: str, name: str):
    return text(sql).bindparams(bindparam(name, expanding=True))


def row_key(user_id: int, row_id: int, *, page: bool = False) -> int:
    """A row's key: its user's range (USER_SPAN wide), then 2 × id (+1 for a page)."""
    return user_id * USER_SPAN + 2 * row_id + page


# --- keeping the index current ------------------------------------------------------------

def _unmarked(column: str) -> str:
    """SQL for the column's text without the snippet delimiters, which stored text may hold too: in the
    index they would come out of a search as <mark> the user did not search for."""
    return f"replace(replace({column}, :open, ''), :close, '')"


#: The parameters every statement that fills the index takes.
_DELIMITERS = {"open": OPEN, "close": CLOSE}

_HIGHLIGHT_ROWS = f"""
    INSERT INTO search_index ({{key}}, title, body, note, user_id, page_id, highlight_id)
    SELECT h.user_id * {USER_SPAN} + 2 * h.id, {_unmarked("coalesce(p.title, '')")}, {_unmarked("h.exact")},
           {_unmarked("h.note")}, h.user_id, h.page_id, h.id
    FROM highlights h LEFT JOIN pages p ON p.id = h.page_id
    WHERE h.deleted_at IS NULL AND {{where}}"""
_PAGE_ROWS = f"""
    INSERT INTO search_index ({{key}}, title, body, note, user_id, page_id, highlight_id)
    SELECT p.user_id * {USER_SPAN} + 2 * p.id + 1, {_unmarked("coalesce(p.title, '')")},
           {_unmarked("substr(coalesce(s.text, p.description, ''), 1, 200000)")}, '', p.user_id, p.id, NULL
    FROM pages p LEFT JOIN snapshots s ON s.id = (SELECT max(id) FROM snapshots WHERE page_id = p.id)
    WHERE {{where}}"""


def _replace(connection, rows: str, alias: str, owners: dict[int, int], page: bool) -> None:
    if owners:
        key = _key(connection)
        keys = [row_key(user_id, row_id, page=page) for row_id, user_id in owners.items()]
        connection.execute(_expanding(f"DELETE FROM {INDEX} WHERE {key} IN :keys", "keys"), {"keys": sorted(keys)})
        connection.execute(_expanding(rows.format(key=key, where=f"{alias}.id IN :ids"), "ids"),
                           {"ids": sorted(owners), **_DELIMITERS})


def reindex_highlights(connection, owners: dict[int, int]) -> None:
    """Make the rows of these highlights ({id: user id}) match them, dropping deleted ones."""
    _replace(connection, _HIGHLIGHT_ROWS, "h", owners, page=False)


def reindex_pages(connection, owners: dict[int, int]) -> None:
    """Make the rows of these pages ({id: user id}) match their title and latest snapshot."""
    _replace(connection, _PAGE_ROWS, "p", owners, page=True)


def reindex(connection, progress=None) -> int:
    """Rebuild the whole index, in batches by id; ``progress(n)`` is told of each batch. Returns rows made."""
    connection.execute(text(f"DELETE FROM {INDEX}"))
    key, made = _key(connection), 0
    for table, rows in (("highlights", _HIGHLIGHT_ROWS), ("pages", _PAGE_ROWS)):
        alias = table[0]
        top = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        for low in range(0, top, BATCH):
            where = f"{alias}.id > :low AND {alias}.id <= :high"
            made += connection.execute(text(rows.format(key=key, where=where)),
                                       {"low": low, "high": low + BATCH, **_DELIMITERS}).rowcount
            if progress:
                progress(min(BATCH, top - low))
    return made


def count_rows_to_index(connection) -> int:
    """How far ``reindex`` will count with its progress calls."""
    return sum(connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()
               for t in ("highlights", "pages"))


def clear(connection) -> None:
    connection.execute(text(f"DELETE FROM {INDEX}"))


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def keep_index_current() -> None:
    """Have every ORM flush re-index what it changed (once per process, however many apps are made).

    ``create_app`` calls it, so the server, the CLI and anything else that writes through an app
    keeps the index current; importing this module registers nothing.
    """
    if not event.contains(Session, "after_flush", _keep_current):
        event.listen(Session, "after_flush", _keep_current)


def _keep_current(session, flush_context):
    """Reindex what this flush changed, in the flush's own transaction."""
    highlights, pages, retitled, snapshot_pages = {}, {}, set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        whole = obj in session.new or obj in session.deleted
        if isinstance(obj, Highlight) and (whole or _changed(obj, HIGHLIGHT_FIELDS)):
            highlights[obj.id] = obj.user_id
        elif isinstance(obj, Page) and (whole or _changed(obj, ("title", "description"))):
            pages[obj.id] = obj.user_id
            retitled.add(obj.id)
        elif isinstance(obj, Snapshot) and (whole or _changed(obj, ("text",))):
            snapshot_pages.add(obj.page_id)
    if not (highlights or pages or snapshot_pages):
        return
    connection = session.connection()
    if snapshot_pages - pages.keys():
        pages.update(connection.execute(
            select(Page.id, Page.user_id).where(Page.id.in_(snapshot_pages - pages.keys()))).all())
    if retitled:
        highlights.update(connection.execute(select(Highlight.id, Highlight.user_id).where(
            Highlight.page_id.in_(retitled), Highlight.deleted_at.is_(None))).all())
    reindex_highlights(connection, highlights)
    reindex_pages(connection, pages)


# --- querying -------------------------------------------------------------------------------

_TERMS = re.compile(r'"([^"]*)"|(\S+)')
#: title counts most, then text and note alike
_BM25 = f"bm25({INDEX}, 4.0, 2.0, 2.0)"


def fts5_query(q: str) -> str:
    """The words and "quoted phrases" of ``q`` as an FTS5 query that matches them all, taken literally."""
    terms = [phrase or word for phrase, word in _TERMS.findall(q)]
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms if term.strip())


def _marked(snippet: str | None) -> Markup:
    """Escape a snippet, then turn its delimiters into <mark>."""
    escaped = html.escape(snippet or "", quote=False)
    return Markup(escaped.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


#: A query matching more than this many rows ranks its this-many newest matches only, so a very
#: common word answers in bounded time (ranking reads every candidate) at some cost in recall.
CANDIDATES = 5000

# Innermost: the newest candidates (the index hands them out newest first, unranked); then the
# best page of those; outermost: snippets for that page only.
_SQLITE_SEARCH = f"""
    SELECT page_id, highlight_id,
           highlight({INDEX}, 0, :open, :close),
           CASE WHEN highlight_id IS NULL THEN snippet({INDEX}, 1, :open, :close, '…', 40)
                ELSE highlight({INDEX}, 1, :open, :close) END,
           highlight({INDEX}, 2, :open, :close),
           {_BM25} AS score
    FROM {INDEX} WHERE {INDEX} MATCH :query AND rowid IN (
        SELECT rowid FROM (
            SELECT rowid, {_BM25} AS score FROM {INDEX}
            WHERE {INDEX} MATCH :query AND rowid >= :low AND rowid < :high
            ORDER BY rowid DESC LIMIT :candidates)
        ORDER BY score, rowid LIMIT :limit OFFSET :offset)
    ORDER BY score, rowid"""

_POSTGRES_SEARCH = f"""
    WITH query AS (SELECT websearch_to_tsquery('english', :q) AS q),
    candidates AS (
        SELECT i.* FROM {INDEX} i, query WHERE i.user_id = :user_id AND i.document @@ query.q
        ORDER BY i.id DESC LIMIT :candidates),
    best AS (
        SELECT c.*, ts_rank(c.document, query.q) AS score FROM candidates c, query
        ORDER BY score DESC, c.id LIMIT :limit OFFSET :offset)
    SELECT page_id, highlight_id,
           ts_headline('english', title, query.q, :whole),
           CASE WHEN highlight_id IS NULL THEN ts_headline('english', left(body, 20000), query.q, :part)
                ELSE ts_headline('english', body, query.q, :whole) END,
           ts_headline('english', note, query.q, :whole),
           score
    FROM best, query ORDER BY score DESC, best.id"""
_HEADLINE = f"StartSel={OPEN}, StopSel={CLOSE}, FragmentDelimiter=\" … \""


def search(session, user_id: int, q: str, *, limit: int = 20, offset: int = 0) -> list[Result]:
    """The user's best matches for ``q``, best first: highlights and pages, with marked snippets."""
    q = (q or "").strip()
    if not q:
        return []
    connection = session.connection()
    params = {"user_id": user_id, "limit": limit, "offset": offset, "candidates": CANDIDATES}
    if connection.dialect.name == "sqlite":
        query = fts5_query(q)
        if not query:
            return []
        rows = connection.execute(text(_SQLITE_SEARCH), {
            **params, **_DELIMITERS, "query": query,
            "low": row_key(user_id, 0), "high": row_key(user_id + 1, 0)})
    else:
        rows = connection.execute(text(_POSTGRES_SEARCH), {
            **params, "q": q, "whole": _HEADLINE + ", HighlightAll=true",
            "part": _HEADLINE + ", MaxWords=40, MinWords=15, MaxFragments=2"})
    return [Result(page_id, highlight_id, _marked(title), _marked(body), _marked(note), float(score))
            for page_id, highlight_id, title, body, note, score in rows]


@dataclass
class Hit:
    result: Result
    page: Page
    highlight: Highlight | None


def hits(session, user_id: int, q: str, *, limit: int = 20, offset: int = 0) -> list[Hit]:
    """``search``'s results with their pages and highlights loaded (rows gone meanwhile left out)."""
    results = search(session, user_id, q, limit=limit, offset=offset)
    pages = {p.id: p for p in session.scalars(
        select(Page).where(Page.user_id == user_id, Page.id.in_({r.page_id for r in results})))}
    highlights = {h.id: h for h in session.scalars(
        select(Highlight).options(selectinload(Highlight.tags)).where(
            Highlight.user_id == user_id, Highlight.deleted_at.is_(None),
            Highlight.id.in_({r.highlight_id for r in results if r.highlight_id})))}
    return [Hit(r, pages[r.page_id], highlights.get(r.highlight_id)) for r in results
            if r.page_id in pages and (r.highlight_id is None or r.highlight_id in highlights)]
