"""The Margins MCP server: tools over plain service functions, and each page's readable copy as a resource.

Every tool acts for the caller (``caller.current``) only; ids of another
user's pages and highlights are simply not found. Answers are bounded: lists
take at most MAX_LIST items a call (``offset`` / ``cursor`` give the next),
long texts in lists are cut (``shapes.cut``), and a readable copy comes in
parts of READABLE_PART characters.
"""

import uuid as uuidlib
from datetime import datetime
from typing import Annotated, Literal

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from pydantic import AfterValidator, Field

from ..db import db
from ..models import COLORS, Page
from ..services import highlights, placing, review, search, snapshots
from ..services import pages as page_service
from ..services import tags as tag_service
from ..services.errors import Invalid
from ..services.importing.records import ImportFailed, check_storable
from ..services.limits import MAX_INTEGER
from ..services.markdown_text import html_markdown
from ..services.owned import owned_row
from . import shapes
from .caller import work

MAX_LIST = 50
READABLE_PART = 20_000
#: Search ranks this many matches (tag, color and site are search's own filters), keeps those in the
#: time window, then pages through what is left.
SEARCH_WINDOW = 200


def _storable(value: str) -> str:
    try:
        check_storable("text", value)
    except ImportFailed:
        raise ValueError("contains a NUL character or an unpaired surrogate, which cannot be stored") from None
    return value


def text(description: str, max_length: int, min_length: int = 0):
    return Annotated[str, Field(description=description, max_length=max_length, min_length=min_length),
                     AfterValidator(_storable)]


HighlightId = Annotated[str, Field(description="A highlight's highlight_id (a UUID), as other tools give it.",
                                   pattern=r"^[0-9a-fA-F-]{36}$")]
PageId = Annotated[int, Field(description="A page's page_id, as other tools give it.", ge=1, le=MAX_INTEGER)]
Color = Literal[COLORS]
Tags = Annotated[list[text("A tag name.", 100, 1)], Field(max_length=100)]
Limit = Annotated[int, Field(ge=1, le=MAX_LIST, description=f"How many to give (at most {MAX_LIST}).")]
Offset = Annotated[int, Field(ge=0, le=10_000, description="How many to skip: next_offset of the previous answer.")]

server = MCPServer(
    "margins", title="Margins",
    instructions="Margins keeps the user's highlights of web pages and books, with notes, tags and a cleaned "
                 "copy of each page. Search it with search_highlights, browse with list_pages and get_page, "
                 "and add a highlight with create_highlight by quoting the page's words exactly.")


@server.tool()
async def search_highlights(
    query: text("Words to look for; \"quoted phrases\" match as a whole.", 500, 1),
    tag: text("Only highlights with this tag (on the highlight or its page).", 100) = "",
    color: Color | None = None,
    site: text("Only pages of this site (a host such as example.com; its subdomains too).", 255) = "",
    since: Annotated[datetime | None, Field(description="Only highlights made at or after this time.")] = None,
    until: Annotated[datetime | None, Field(description="Only highlights made before this time.")] = None,
    limit: Limit = 10, offset: Offset = 0,
) -> dict:
    """Full-text search over the user's highlights, notes, page titles and page text, best matches first.

    Each result has a snippet with the matching words in **bold**, and links: margins_link opens it in
    Margins, source_link scrolls the original page to the passage. Page results (match "page") match the
    page's title or text; filters on tag or color leave them out.
    """
    with work() as user_id:
        hits = search.hits(db.session, user_id, query, limit=SEARCH_WINDOW,
                           tag=tag or None, color=color, site=site or None)
        kept = [hit for hit in hits if _within(_made(hit), since, until)]
        results = [_search_result(hit) for hit in kept[offset:offset + limit]]
    return {"results": results, "next_offset": offset + limit if len(kept) > offset + limit else None}


def _made(hit) -> datetime:
    return (hit.highlight or hit.page).created_at


def _within(moment: datetime, since: datetime | None, until: datetime | None) -> bool:
    def aware(value):
        return value if value is None or value.tzinfo else value.replace(tzinfo=moment.tzinfo)

    since, until = aware(since), aware(until)
    return (since is None or moment >= since) and (until is None or moment < until)


def _search_result(hit) -> dict:
    if hit.highlight is None:
        return {"match": "page", **shapes.page(hit.page), "snippet": shapes.snippet(hit.result.body)}
    return {"match": "highlight", **shapes.highlight(hit.highlight), "snippet": shapes.snippet(hit.result.body),
            "note_snippet": shapes.snippet(hit.result.note)}


@server.tool()
async def list_pages(
    tag: text("Only pages with this tag (on the page or one of its highlights).", 100) = "",
    color: Color | None = None,
    site: text("Only pages of this site, e.g. example.com.", 255) = "",
    title_or_url: text("Only pages whose title or URL contains this.", 500) = "",
    cursor: text("next_cursor of the previous answer.", 200) = "",
    limit: Limit = 20,
) -> dict:
    """The user's pages (web pages and books), most recent activity first, with their highlight counts."""
    with work() as user_id:
        session = db.session
        rows, next_cursor = page_service.list_pages(
            session, user_id, tag=tag or None, color=color, domain=site or None, q=title_or_url or None,
            cursor=cursor or None, limit=limit)
        counts = page_service.highlight_counts(session, [row.id for row in rows])
        return {"pages": [shapes.page(row, counts.get(row.id, 0)) for row in rows], "next_cursor": next_cursor}


@server.tool()
async def get_page(
    page_id: PageId | None = None,
    url: text("Or the page's web address.", 8192) = "",
    offset: Offset = 0,
) -> dict:
    """A page's details and its highlights in reading order, each with the passage around it from the
    page's stored copy («the highlight» marked). 25 highlights a call: next_offset gives more. The whole
    readable copy, as Markdown, is the resource at readable_copy."""
    with work() as user_id:
        session = db.session
        page = _page(session, user_id, page_id, url)
        snapshot = snapshots.latest_snapshot(session, page)
        rows = page_service.page_highlights(session, page)
        stored_text = snapshot.text if snapshot else None
        window = rows[offset:offset + 25]
        return {
            **shapes.page(page, len(rows)), "description": page.description, "word_count": page.word_count,
            "readable_copy": shapes.readable_uri(page.id) if snapshot else None,
            "highlights": [shapes.highlight(row, text=stored_text) for row in window],
            "next_offset": offset + 25 if len(rows) > offset + 25 else None,
        }


def _page(session, user_id: int, page_id: int | None, url: str):
    if page_id is not None:
        page = owned_row(session, Page, user_id, page_id)
        if page is None:
            raise ToolError(f"No page {page_id} in Margins; list_pages shows the pages kept.")
        return page
    if not url.strip():
        raise ToolError("Give page_id or url.")
    page = page_service.find_page(session, user_id, page_service.key_of(url))
    if page is None:
        raise ToolError(f"No page with the address {url[:200]!r} in Margins; list_pages shows the pages kept.")
    return page


@server.tool()
async def get_highlight(highlight_id: HighlightId) -> dict:
    """One highlight, whole (quote, note, tags, color, links), with the passage around it."""
    with work() as user_id:
        session = db.session
        row = highlights.get_highlight(session, user_id, highlight_id.lower())
        snapshot = snapshots.latest_snapshot(session, row.page) if row.page else None
        return shapes.highlight(row, whole=True, text=snapshot.text if snapshot else None)


@server.tool()
async def create_highlight(
    quote: text("The words to highlight, exactly as the page has them (case and spacing may differ).", 50_000, 1),
    page_id: PageId | None = None,
    url: text("Or the page's web address (a page already kept in Margins, with its copy).", 8192) = "",
    context_before: text("A few words just before the quote, when it occurs more than once.", 1000) = "",
    context_after: text("A few words just after the quote, when it occurs more than once.", 1000) = "",
    note: text("A note on the highlight (Markdown).", 100_000) = "",
    color: Color = "yellow",
    tags: Tags = (),
) -> dict:
    """Highlight a passage of a page kept in Margins: the quote is found in the page's stored copy, and
    the highlight keeps the copy's own words and their context, so the browser extension finds it on the
    page. Fails, changing nothing, when the quote is not in the copy or occurs several times (then give
    context_before or context_after)."""
    with work(writes=True) as user_id:
        session = db.session
        page = _page(session, user_id, page_id, url)
        snapshot = snapshots.latest_snapshot(session, page)
        if snapshot is None:
            raise Invalid("This page has no stored copy to place a quote on; it is kept once the browser "
                          "extension saves it.")
        placed = placing.place(snapshot.text, quote, context_before, context_after)
        row, _ = highlights.put_highlight(
            session, user_id, str(uuidlib.uuid4()), url=page.url, tags=list(tags),
            fields={"exact": placed.exact, "prefix": placed.prefix, "suffix": placed.suffix,
                    "position_start": None, "position_end": None, "range_selector": None,
                    "pdf_page_first": None, "pdf_page_last": None,
                    "color": color, "note": note})
        return shapes.highlight(row, whole=True, text=snapshot.text)


@server.tool()
async def update_highlight(
    highlight_id: HighlightId,
    note: text("The new note (Markdown); \"\" clears it.", 100_000) | None = None,
    tags: Annotated[Tags | None, Field(description="The highlight's tags, all of them (replaces the old).")] = None,
    color: Color | None = None,
) -> dict:
    """Change a highlight's note, tags or color; what is not given stays."""
    changes = {name: value for name, value in (("note", note), ("tags", tags), ("color", color))
               if value is not None}
    with work(writes=True) as user_id:
        row = highlights.patch_highlight(db.session, user_id, highlight_id.lower(), **changes)
        return shapes.highlight(row, whole=True)


@server.tool()
async def delete_highlight(highlight_id: HighlightId) -> dict:
    """Delete a highlight (the user can restore it from the web view right after; other devices learn of
    the deletion)."""
    with work(writes=True) as user_id:
        session = db.session
        highlights.get_highlight(session, user_id, highlight_id.lower())
        highlights.delete_highlight(session, user_id, highlight_id.lower())
    return {"deleted": highlight_id.lower()}


@server.tool()
async def list_tags() -> dict:
    """The user's tags with how many highlights and pages carry each."""
    with work() as user_id:
        return {"tags": [{key: tag[key] for key in ("name", "highlight_count", "page_count")}
                         for tag in tag_service.list_tags(db.session, user_id)]}


@server.tool()
async def daily_review(
    mark_seen: Annotated[HighlightId | None, Field(
        description="A highlight of today's review the user has now seen; it moves to 'done'.")] = None,
) -> dict:
    """Today's review: a few highlights a day, least recently seen first ('to_review'), and those seen
    today ('done'). Give mark_seen to mark one as seen."""
    with work(writes=mark_seen is not None) as user_id:
        session = db.session
        if mark_seen is not None:
            review.mark_reviewed(session, user_id, mark_seen.lower())
        day = review.day(session, user_id)
        return {"to_review": [shapes.highlight(row) for row in day.pending],
                "done": [shapes.highlight(row) for row in day.done]}


@server.resource("margins://pages/{page_id}/readable/{part}", mime_type="text/markdown",
                 description="A page's readable copy as Markdown, in parts; a part ends with the next one's URI.")
async def readable_copy(page_id: int, part: int) -> str:
    try:
        with work() as user_id:
            snapshot = snapshots.latest_snapshot(db.session, _page(db.session, user_id, page_id, ""))
            markdown = html_markdown(snapshot.content_html) if snapshot else ""
    except ToolError as error:
        raise ResourceNotFoundError(str(error)) from None
    start = (part - 1) * READABLE_PART
    if not markdown or part < 1 or start >= len(markdown):
        raise ResourceNotFoundError(f"Page {page_id} has no stored copy" if not markdown
                                    else f"Page {page_id}'s readable copy has no part {part}.")
    chunk = markdown[start:start + READABLE_PART]
    if start + READABLE_PART < len(markdown):
        chunk += f"\n\n[continued: {shapes.readable_uri(page_id, part + 1)}]"
    return chunk
