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

Row keys (``row_key``): the user's range, then the highlight's id for a highlight's row, or
``PAGES + page id`` for a page's (migration 0013), so a user's highlights and pages are two
separate key ranges, each searched newest first on its own.
"""

import html
import re
from dataclasses import dataclass
from itertools import chain

from markupsafe import Markup
from sqlalchemy import bindparam, event, inspect, or_, select, text
from sqlalchemy.orm import Session, selectinload

from ..models import Highlight, Page, Snapshot, Tag, highlight_tags, page_tags
from .filters import tag_ids_named

INDEX = "search_index"
#: snippet delimiters, turned into <mark> after escaping; taken out of the text the index holds
OPEN, CLOSE = "\x02", "\x03"
HIGHLIGHT_FIELDS = ("exact", "note", "color", "tags", "page", "page_id", "deleted_at")
#: keys of one user's rows lie in [user id × USER_SPAN, (user id + 1) × USER_SPAN): on SQLite a
#: rowid range, which FTS5 applies to its doclists without reading each row
USER_SPAN = 2**33
#: where a user's page rows start within the user's range (ids are below 2**31)
PAGES = 2**32
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
    """A row's key: its user's range (USER_SPAN wide), then the id (past PAGES for a page)."""
    return user_id * USER_SPAN + PAGES * page + row_id


# --- keeping the index current ------------------------------------------------------------

def _unmarked(column: str) -> str:
    """SQL for the column's text without the snippet delimiters, which stored text may hold too: in the
    index they would come out of a search as <mark> the user did not search for."""
    return f"replace(replace({column}, :open, ''), :close, '')"


#: The parameters every statement that fills the index takes.
_DELIMITERS = {"open": OPEN, "close": CLOSE}

#: Facet words, in each row's ``facets`` (migration 0014), which no text holds: "c" and the hex of a
#: highlight's color, "s" and the hex of its page's domain, "t" and the id of each tag of the highlight
#: or its page; a page's row has its site's. A filter is then matched by the index with the query's
#: words. Per dialect: the hex of a text, and a row's tags as words.
_HEX = {"sqlite": "hex({})", "postgresql": "encode(convert_to({}, 'UTF8'), 'hex')"}
_TAG_WORDS = {"sqlite": "group_concat('t' || tag_id, ' ')", "postgresql": "string_agg('t' || tag_id, ' ')"}


def _dialect_sql(dialect: str) -> dict:
    """The parts of the statements that fill the index that differ by dialect: the key's name, the facets."""
    site = "'s' || " + _HEX[dialect].format("coalesce(p.domain, '')")
    tags = "coalesce((SELECT ' ' || {words} FROM {table} WHERE {owner} = {id}), '')"
    highlight = " || ".join((
        "'c' || " + _HEX[dialect].format("coalesce(h.color, '')"), "' '", site,
        tags.format(words=_TAG_WORDS[dialect], table="highlight_tags", owner="highlight_id", id="h.id"),
        tags.format(words=_TAG_WORDS[dialect], table="page_tags", owner="page_id", id="h.page_id")))
    return {"key": "rowid" if dialect == "sqlite" else "id", "highlight_facets": highlight, "page_facets": site}


_FILLING = {dialect: _dialect_sql(dialect) for dialect in ("sqlite", "postgresql")}


def facet_words(*, color: str | None = None, sites=(), tag_id: int | None = None) -> list[list[str]]:
    """The facet words a filtered match holds: one of each inner list (a site and its subdomains)."""
    found = [[f"c{color.encode().hex()}"]] if color else []
    if sites:
        found.append([f"s{site.encode().hex()}" for site in sites])
    if tag_id is not None:
        found.append([f"t{tag_id}"])
    return found


_HIGHLIGHT_ROWS = f"""
    INSERT INTO search_index ({{key}}, title, body, note, facets, user_id, page_id, highlight_id)
    SELECT h.user_id * {USER_SPAN} + h.id, {_unmarked("coalesce(p.title, '')")}, {_unmarked("h.exact")},
           {_unmarked("h.note")}, {{highlight_facets}}, h.user_id, h.page_id, h.id
    FROM highlights h LEFT JOIN pages p ON p.id = h.page_id
    WHERE h.deleted_at IS NULL AND {{where}}"""
_PAGE_ROWS = f"""
    INSERT INTO search_index ({{key}}, title, body, note, facets, user_id, page_id, highlight_id)
    SELECT p.user_id * {USER_SPAN} + {PAGES} + p.id, {_unmarked("coalesce(p.title, '')")},
           {_unmarked("substr(coalesce(s.text, p.description, ''), 1, 200000)")}, '', {{page_facets}},
           p.user_id, p.id, NULL
    FROM pages p LEFT JOIN snapshots s ON s.id = (SELECT max(id) FROM snapshots WHERE page_id = p.id)
    WHERE {{where}}"""


def _replace(connection, rows: str, alias: str, owners: dict[int, int], page: bool) -> None:
    if owners:
        key = _key(connection)
        keys = [row_key(user_id, row_id, page=page) for row_id, user_id in owners.items()]
        connection.execute(_expanding(f"DELETE FROM {INDEX} WHERE {key} IN :keys", "keys"), {"keys": sorted(keys)})
        rows = rows.format(**_FILLING[connection.dialect.name], where=f"{alias}.id IN :ids")
        connection.execute(_expanding(rows, "ids"), {"ids": sorted(owners), **_DELIMITERS})


def reindex_highlights(connection, owners: dict[int, int]) -> None:
    """Make the rows of these highlights ({id: user id}) match them, dropping deleted ones."""
    _replace(connection, _HIGHLIGHT_ROWS, "h", owners, page=False)


#: per dialect, the statement that makes the rows of new highlights (``index_new_highlights``)
_NEW_HIGHLIGHT_ROWS = {dialect: _expanding(_HIGHLIGHT_ROWS.format(**sql, where="h.id IN :ids"), "ids")
                       for dialect, sql in _FILLING.items()}


def index_new_highlights(connection, ids) -> None:
    """Add the rows of highlights just made: one INSERT, no DELETE first (ids are never reused, so no
    row has their keys yet; ``reindex_highlights`` for any other change)."""
    if ids:
        connection.execute(_NEW_HIGHLIGHT_ROWS[connection.dialect.name], {"ids": sorted(ids), **_DELIMITERS})


def reindex_pages(connection, owners: dict[int, int]) -> None:
    """Make the rows of these pages ({id: user id}) match their title and latest snapshot."""
    _replace(connection, _PAGE_ROWS, "p", owners, page=True)


def reindex(connection, progress=None) -> int:
    """Rebuild the whole index, in batches by id; ``progress(n)`` is told of each batch. Returns rows made."""
    connection.execute(text(f"DELETE FROM {INDEX}"))
    made = 0
    for table, rows in (("highlights", _HIGHLIGHT_ROWS), ("pages", _PAGE_ROWS)):
        alias = table[0]
        top = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()
        for low in range(0, top, BATCH):
            where = f"{alias}.id > :low AND {alias}.id <= :high"
            made += connection.execute(text(rows.format(**_FILLING[connection.dialect.name], where=where)),
                                       {"low": low, "high": low + BATCH, **_DELIMITERS}).rowcount
            if progress:
                progress(min(BATCH, top - low))
    _settle(connection)
    return made


def _settle(connection) -> None:
    """After a rebuild: on SQLite merge the index into one b-tree segment (a rebuild leaves dozens,
    and every word of a query is looked up in each: phrases went from 90 to 17 ms at a million
    highlights); on PostgreSQL count how many rows hold each word, by which the planner picks a
    search's plan (without the counts, which autovacuum makes later, it reads every row holding
    a very common word)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {INDEX}({INDEX}) VALUES ('optimize')"))
    else:
        connection.execute(text(f"ANALYZE {INDEX}"))


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
        event.listen(Session, "before_flush", _note_tag_holders)
        event.listen(Session, "after_flush", _keep_current)


#: session.info key: {highlight id: user id} of live highlights carrying a tag (or on a page carrying
#: it) that this flush deletes, noted before the flush while the links are still there
_TAG_HOLDERS = "margins.search.tag_holders"


def _note_tag_holders(session, flush_context, instances):
    """A tag deleted (or merged into another: ``tags.rename_tag`` moves its links first, without the
    ORM) changes the facet words of the highlights that carried it: note them for ``_keep_current``."""
    gone = [obj.id for obj in session.deleted if isinstance(obj, Tag)]
    if gone:
        session.info[_TAG_HOLDERS] = dict(session.connection().execute(
            select(Highlight.id, Highlight.user_id).where(Highlight.deleted_at.is_(None), or_(
                Highlight.id.in_(select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id.in_(gone))),
                Highlight.page_id.in_(select(page_tags.c.page_id).where(page_tags.c.tag_id.in_(gone)))))).all())


def _keep_current(session, flush_context):
    """Reindex what this flush changed, in the flush's own transaction. A page's tags are facets of
    its highlights' rows (not of its own)."""
    highlights, pages, their_highlights, snapshot_pages = session.info.pop(_TAG_HOLDERS, {}), {}, set(), set()
    for obj in chain(session.new, session.dirty, session.deleted):
        whole = obj in session.new or obj in session.deleted
        if isinstance(obj, Highlight) and (whole or _changed(obj, HIGHLIGHT_FIELDS)):
            highlights[obj.id] = obj.user_id
        elif isinstance(obj, Page) and (whole or _changed(obj, ("title", "description"))):
            pages[obj.id] = obj.user_id
            their_highlights.add(obj.id)
        elif isinstance(obj, Page) and _changed(obj, ("tags",)):
            their_highlights.add(obj.id)
        elif isinstance(obj, Snapshot) and (whole or _changed(obj, ("text",))):
            snapshot_pages.add(obj.page_id)
    if not (highlights or their_highlights or snapshot_pages):
        return
    connection = session.connection()
    if snapshot_pages - pages.keys():
        pages.update(connection.execute(
            select(Page.id, Page.user_id).where(Page.id.in_(snapshot_pages - pages.keys()))).all())
    if their_highlights:
        highlights.update(connection.execute(select(Highlight.id, Highlight.user_id).where(
            Highlight.page_id.in_(their_highlights), Highlight.deleted_at.is_(None))).all())
    reindex_highlights(connection, highlights)
    reindex_pages(connection, pages)


# --- querying -------------------------------------------------------------------------------

#: words, "quoted phrases", and prefixes (a word ending in *)
_TERMS = re.compile(r'"([^"]*)"|(\S+)')
_PREFIX = re.compile(r"(\w{2,})\*$")


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool = False


def terms(q: str) -> list[Term]:
    """The words, "quoted phrases" and prefixes (``semicon*``) of ``q``, all of which a match holds."""
    found = []
    for phrase, word in _TERMS.findall(q):
        prefix = None if phrase else _PREFIX.fullmatch(word)
        term = Term(prefix.group(1), True) if prefix else Term(phrase or word)
        if term.text.strip():
            found.append(term)
    return found


def fts5_query(q: str) -> str:
    """The terms of ``q`` as an FTS5 query that matches them all, taken literally."""
    return " ".join('"' + t.text.replace('"', '""') + '"' + (" *" if t.prefix else "") for t in terms(q))


#: a prefix, stemmed as the words it starts, unless it is a stop word ("nor*"): then as typed
_PREFIX_TSQUERY = ("(CASE WHEN numnode(to_tsquery('english', {t})) = 0 THEN to_tsquery('simple', {t})"
                   " ELSE to_tsquery('english', {t}) END)")


def _tsquery(q: str) -> tuple[str, dict]:
    """The terms of ``q`` as a PostgreSQL tsquery expression (and its parameters) matching them all."""
    parts, params = [], {}
    for n, term in enumerate(terms(q)):
        params[f"t{n}"] = term.text + ":*" if term.prefix else term.text
        parts.append(_PREFIX_TSQUERY.format(t=f":t{n}") if term.prefix else f"phraseto_tsquery('english', :t{n})")
    return " && ".join(parts), params


def _marked(snippet: str | None) -> Markup:
    """Escape a snippet, then turn its delimiters into <mark>."""
    escaped = html.escape(snippet or "", quote=False)
    return Markup(escaped.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


#: A query matching more than this many of a user's highlights ranks its this-many newest
#: matches only (and as many pages): a very common word answers in bounded time (ranking reads
#: every candidate) at some cost in recall.
CANDIDATES = 1000

#: On SQLite, a match's score is BM25 computed from what the row itself holds: how often the
#: query's words occur in each column (counted from FTS5's highlight(), which marks them) and
#: the column's length, against typical lengths. FTS5's bm25() would also count, for every
#: query, how many rows of the whole table hold each word or phrase: a full read of a common
#: word's doclist (and a phrase check of every row holding it), which cost more than all the
#: rest of a search at a million highlights. Every candidate holds every term, so that count
#: would only weigh terms against each other. (column number, weight, typical length in characters)
_COLUMNS = {"title": (0, 4.0, 60), "body": (1, 2.0, 200), "note": (2, 2.0, 100)}


#: A page candidate's score for its text: scoring the text itself would read up to 200,000
#: characters a candidate; it counts as a quarter of one match in a highlight's text.
PAGE_TEXT = 0.5


def _bm25(columns) -> str:
    """SQL for the score of a candidate from its ``tf_*`` and ``len_*`` (k1 = 1.2, b = 0.75)."""
    return " + ".join(
        f"{weight} * tf_{name} * 2.2 / (tf_{name} + 1.2 * (0.25 + 0.75 * len_{name} / {typical}.0))"
        for name, (_, weight, typical) in _COLUMNS.items() if name in columns)


def _frequencies(columns) -> str:
    return ", ".join(f"length(highlight({INDEX}, {_COLUMNS[c][0]}, :open, '')) - length({c}) AS tf_{c}, "
                     f"length({c}) AS len_{c}" for c in columns)


#: Added to the score of a candidate whose text holds the query's words together, as typed
#: (of a query of several words): what a phrase search would have found ranks first. About
#: one title match, in each database's scale (bm25 above; ts_rank weighs a title word 1.0).
TOGETHER = {"sqlite": 2.0, "postgresql": 0.3}


def together(q: str) -> str:
    """The words of a query of several terms, lowercased and joined as typed ("" for one term or a prefix)."""
    found = terms(q)
    if len(found) < 2 or any(t.prefix for t in found):
        return ""
    return " ".join(t.text for t in found).lower()


# Per key range (the user's highlights, the user's pages): the newest candidates (the index
# hands them out newest first, cheaply), each scored from its own row; then the best page of both.
_SQLITE_CANDIDATES = """
    SELECT key, {score} + together * :bonus AS score FROM (
        SELECT rowid AS key, {frequencies},
               :together <> '' AND instr(lower(body), :together) > 0 AS together FROM {index}
        WHERE {index} MATCH :query AND rowid >= :{range}_low AND rowid < :{range}_high {filters}
        ORDER BY rowid DESC LIMIT :candidates)"""
_SQLITE_BEST = "SELECT key, score FROM ({candidates}) ORDER BY score DESC, key DESC LIMIT :limit OFFSET :offset"
# Then the snippets of that page only, by reading the match again between its lowest and highest
# key of each range: not by key (FTS5 would run the whole query again for each key, merging every
# word of a prefix, checking every row of a phrase), nor with a range from a subquery (which
# FTS5 is not given: it reads the match over every user's rows).
_SQLITE_SNIPPETS = f"""
    SELECT rowid, page_id, highlight_id,
           highlight({INDEX}, 0, :open, :close),
           CASE WHEN highlight_id IS NULL THEN snippet({INDEX}, 1, :open, :close, '…', 40)
                ELSE highlight({INDEX}, 1, :open, :close) END,
           highlight({INDEX}, 2, :open, :close)
    FROM {INDEX} WHERE {INDEX} MATCH :query AND rowid >= :low AND rowid <= :high AND +rowid IN :keys"""

# The same on PostgreSQL: the newest candidates by primary key in each range, ranked by ts_rank,
# read from the range's rows (``source``) or from its newest WALK_ROWS rows (``_POSTGRES_WALK``).
_POSTGRES_CANDIDATES = """
    (SELECT i.id, i.document, (:together <> '' AND strpos(lower(i.body), :together) > 0)::int AS together
     FROM {source} i
     WHERE i.id >= :{range}_low AND i.id < :{range}_high AND i.document @@ ({tsquery}) {filters}
     ORDER BY i.id DESC LIMIT :candidates)"""
_POSTGRES_SEARCH = f"""
    WITH query AS (SELECT {{tsquery}} AS q),
    candidates AS ({{candidates}}),
    best AS (
        SELECT c.id, ts_rank(c.document, query.q) + c.together * :bonus AS score FROM candidates c, query
        ORDER BY score DESC, c.id DESC LIMIT :limit OFFSET :offset)
    SELECT i.page_id, i.highlight_id,
           ts_headline('english', i.title, query.q, :whole),
           CASE WHEN i.highlight_id IS NULL THEN ts_headline('english', left(i.body, 20000), query.q, :part)
                ELSE ts_headline('english', i.body, query.q, :whole) END,
           ts_headline('english', i.note, query.q, :whole),
           best.score
    FROM best JOIN {INDEX} i ON i.id = best.id, query ORDER BY best.score DESC, best.id DESC"""
#: PostgreSQL's planner guesses how many rows match, and guesses low for words that occur together
#: ("open-source models": 5,924 of the 170,025 rows at a million highlights) or with a facet word
#: ("AI" and a color): it then reads every match by the GIN index and sorts them, 500 to 800 ms,
#: where walking the key backwards meets the 1,000th match within 7,000 rows. So a range is first
#: sampled: when at least DENSE of its newest SAMPLE rows match, its candidates are the matches
#: among its newest WALK_ROWS rows (each row tested, in key order, stopping at CANDIDATES); a
#: sparser query is left to the planner, whose GIN read is then the right plan. Pages are never
#: walked (a page's row holds its text, up to 200,000 characters): they have a GIN index of their
#: own (migration 0014), which a common word's highlights do not fill.
#: A sparse query with facet words that fewer than NARROW of the sampled rows hold (a site, a tag) reads
#: the rows holding them first (the facet index), then tests the words on each: the planner would
#: read a common word's every match from the GIN index to intersect them (38 ms for "models").
SAMPLE, DENSE, NARROW, WALK_ROWS = 1000, 100, 20, 20 * CANDIDATES
_POSTGRES_SAMPLE = f"""
    SELECT count(*) FILTER (WHERE i.document @@ ({{tsquery}}) {{facets}}), count(*) FILTER (WHERE true {{facets}})
    FROM (SELECT document, facet_words FROM {INDEX} WHERE id >= :low AND id < :high
          ORDER BY id DESC LIMIT :sample) i"""
_POSTGRES_WALK = f"""(SELECT id, document, body, facet_words FROM {INDEX}
     WHERE id >= :{{range}}_low AND id < :{{range}}_high ORDER BY id DESC LIMIT :walk)"""
_POSTGRES_NARROW = f"""(SELECT id, document, body, facet_words FROM {INDEX}
     WHERE id >= :{{range}}_low AND id < :{{range}}_high AND facet_words @@ to_tsquery('simple', :facets) OFFSET 0)"""
_HEADLINE = f"StartSel={OPEN}, StopSel={CLOSE}, FragmentDelimiter=\" … \""

# Filters, on a candidate's own row in highlights or pages (its id is its key less its range's start).
_ON_SITE = "(p.domain = :site OR p.domain LIKE :subdomains ESCAPE '\\')"
_FILTERS = {
    "highlights": {
        "color": "EXISTS (SELECT 1 FROM highlights h WHERE h.id = {key} - :highlights_low AND h.color = :color)",
        "tag": "(EXISTS (SELECT 1 FROM highlight_tags t WHERE t.highlight_id = {key} - :highlights_low"
               " AND t.tag_id = :tag) OR EXISTS (SELECT 1 FROM highlights h JOIN page_tags t ON t.page_id = h.page_id"
               " WHERE h.id = {key} - :highlights_low AND t.tag_id = :tag))",
        "site": "EXISTS (SELECT 1 FROM highlights h JOIN pages p ON p.id = h.page_id"
                f" WHERE h.id = {{key}} - :highlights_low AND {_ON_SITE})",
    },
    "pages": {"site": f"EXISTS (SELECT 1 FROM pages p WHERE p.id = {{key}} - :pages_low AND {_ON_SITE})"},
}


#: A site filter matching more of the user's domains than this (a site of thousands of subdomains) is
#: checked on each match's row only, not matched by the index too (as one of this many facet words).
SITE_WORDS = 100
_SITES = text(f"SELECT DISTINCT p.domain FROM pages p WHERE p.user_id = :user_id AND {_ON_SITE}")


def _filter_params(session, user_id: int, tag, color, site) -> dict | None:
    """The filters' parameters (their facet words under ``facets``), or None when a filter names
    nothing the user has (no tag of that name, no page of that site)."""
    params, sites = {}, ()
    if color:
        params["color"] = color
    if site:
        domain = site.strip().lower().removeprefix("www.")
        escaped = domain.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.update(site=domain, subdomains="%." + escaped)
        sites = session.scalars(_SITES, {"user_id": user_id, **params}).all()
        if not sites:
            return None
    if tag:
        params["tag"] = session.scalar(tag_ids_named(user_id, tag))
        if params["tag"] is None:
            return None
    params["facets"] = facet_words(color=color, sites=sites if len(sites) <= SITE_WORDS else (),
                                   tag_id=params.get("tag"))
    return params


def _ranges(filters: dict) -> list[str]:
    """The key ranges a search reads: pages too unless a filter applies to highlights alone."""
    alone = _FILTERS["highlights"].keys() - _FILTERS["pages"].keys()
    return ["highlights"] + ([] if alone & filters.keys() else ["pages"])


def _conditions(range_: str, filters: dict, key: str) -> str:
    """The filters' SQL for a range: each candidate's row checked, as the facet words narrow candidates
    to the rows holding them but are not exact (SQLite's tokenizer stems them)."""
    return "".join(" AND " + _FILTERS[range_][name].format(key=key) for name in filters if name in _FILTERS[range_])


def _fts5_match(q: str, facets: list[list[str]]) -> str:
    """The FTS5 query: ``q``'s terms in the text columns, each group of facet words in ``facets``."""
    match = "{title body note} : (" + fts5_query(q) + ")"
    for words in facets:
        match += " AND facets : (" + " OR ".join(f'"{word}"' for word in words) + ")"
    return match


def _sqlite_search(connection, q: str, ranges: list[str], params: dict, filters: dict, facets: list[list[str]]):
    parts = [_SQLITE_CANDIDATES.format(
        index=INDEX, range=r, filters=_conditions(r, filters, f"{INDEX}.rowid"),
        frequencies=_frequencies(("title", "body", "note") if r == "highlights" else ("title",)),
        score=_bm25(("title", "body", "note")) if r == "highlights" else f"{_bm25(('title',))} + {PAGE_TEXT}")
        for r in ranges]
    params = {**params, **_DELIMITERS, "query": _fts5_match(q, facets), "together": together(q),
              "bonus": TOGETHER["sqlite"]}
    best = connection.execute(text(_SQLITE_BEST.format(candidates=" UNION ALL ".join(parts))), params).all()
    marked = {}
    for r in ranges:
        keys = [key for key, _ in best if params[f"{r}_low"] <= key < params[f"{r}_high"]]
        if keys:
            marked.update((key, row) for key, *row in connection.execute(
                _expanding(_SQLITE_SNIPPETS, "keys"), {**params, "low": min(keys), "high": max(keys), "keys": keys}))
    return [(*marked[key], score) for key, score in best if key in marked]


def _postgres_search(connection, q: str, ranges: list[str], params: dict, filters: dict, facets: list[list[str]]):
    """As on SQLite, but a filter its facet words stand for is not checked on each row again: PostgreSQL
    keeps them as written ('simple'), so a row holds a color's, a tag's or a domain's word exactly when
    it has it."""
    tsquery, words = _tsquery(q)
    if len(facets) == len(_FILTERS["highlights"].keys() & filters.keys()):
        filters = {}
    on_facets = " AND i.facet_words @@ to_tsquery('simple', :facets)" if facets else ""
    params = {**params, **words, "facets": " & ".join("(" + " | ".join(group) + ")" for group in facets),
              "sample": SAMPLE, "walk": WALK_ROWS}
    sample = text(_POSTGRES_SAMPLE.format(tsquery=tsquery, facets=on_facets))
    parts = []
    for r in ranges:
        source = INDEX
        if r == "highlights":
            matched, faceted = connection.execute(sample, {
                **params, "low": params[f"{r}_low"], "high": params[f"{r}_high"]}).one()
            if matched >= DENSE:
                source = _POSTGRES_WALK.format(range=r)
            elif facets and faceted < NARROW:
                source = _POSTGRES_NARROW.format(range=r)
        parts.append(_POSTGRES_CANDIDATES.format(
            range=r, tsquery=tsquery, source=source,
            filters=on_facets + _conditions(r, filters, "i.id") + (" AND i.highlight_id IS NULL" if r == "pages" else "")))
    sql = _POSTGRES_SEARCH.format(tsquery=tsquery, candidates=" UNION ALL ".join(parts))
    return connection.execute(text(sql), {
        **params,
        "together": together(q), "bonus": TOGETHER["postgresql"], "whole": _HEADLINE + ", HighlightAll=true",
        "part": _HEADLINE + ", MaxWords=40, MinWords=15, MaxFragments=2"})


def search(session, user_id: int, q: str, *, limit: int = 20, offset: int = 0,
           tag: str | None = None, color: str | None = None, site: str | None = None) -> list[Result]:
    """The user's best matches for ``q``, best first: highlights and pages, with marked snippets.

    ``tag``, ``color`` and ``site`` keep only highlights carrying the tag (or on a page carrying
    it), of the color, on pages of the site (subdomains too); pages are kept by ``site`` alone.
    """
    q = (q or "").strip()
    if not terms(q):
        return []
    filters = _filter_params(session, user_id, tag, color, site)
    if filters is None:
        return []
    facets = filters.pop("facets")
    connection = session.connection()
    ranges = _ranges(filters)
    params = {**filters, "limit": limit, "offset": offset, "candidates": CANDIDATES,
              "highlights_low": row_key(user_id, 0), "highlights_high": row_key(user_id, 0, page=True),
              "pages_low": row_key(user_id, 0, page=True), "pages_high": row_key(user_id + 1, 0)}
    if connection.dialect.name == "sqlite":
        rows = _sqlite_search(connection, q, ranges, params, filters, facets)
    else:
        rows = _postgres_search(connection, q, ranges, params, filters, facets)
    return [Result(page_id, highlight_id, _marked(title), _marked(body), _marked(note), float(score))
            for page_id, highlight_id, title, body, note, score in rows]


@dataclass
class Hit:
    result: Result
    page: Page
    highlight: Highlight | None


def hits(session, user_id: int, q: str, *, limit: int = 20, offset: int = 0, **filters) -> list[Hit]:
    """``search``'s results with their pages and highlights loaded (rows gone meanwhile left out)."""
    results = search(session, user_id, q, limit=limit, offset=offset, **filters)
    pages = {p.id: p for p in session.scalars(
        select(Page).where(Page.user_id == user_id, Page.id.in_({r.page_id for r in results})))}
    highlights = {h.id: h for h in session.scalars(
        select(Highlight).options(selectinload(Highlight.tags)).where(
            Highlight.user_id == user_id, Highlight.deleted_at.is_(None),
            Highlight.id.in_({r.highlight_id for r in results if r.highlight_id})))}
    return [Hit(r, pages[r.page_id], highlights.get(r.highlight_id)) for r in results
            if r.page_id in pages and (r.highlight_id is None or r.highlight_id in highlights)]
