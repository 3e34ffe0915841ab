"""Hypothesis's export JSON (what its client's "Export" writes): ``{"export_userid", "client_version",
"annotations": [...]}`` with annotations in Hypothesis's own shape (uri, text, tags, target selectors,
document title); a page's note is a Hypothesis page note (an annotation with no selector). The export date
is left out, so the same data gives the same bytes."""

import uuid
from collections.abc import Iterator

from sqlalchemy import select

from ...models import Highlight, Page, User
from .json_stream import ITEMS, stream_json
from .selection import Entry, Source
from .values import iso_timestamp

CLIENT_VERSION = "margins"


def export(source: Source) -> Iterator[bytes]:
    username = source.session.scalar(select(User.username).where(User.id == source.user_id))
    account = f"acct:{username}@margins"
    items = (item for entry in source.entries() for item in annotations(entry, account))
    return stream_json({"export_userid": account, "client_version": CLIENT_VERSION, "annotations": ITEMS}, items)


def annotations(entry: Entry, account: str) -> Iterator[dict]:
    """The page's note (a Hypothesis page note: no selector), then its highlights."""
    page = entry.page
    if page.note:
        yield {
            # the page's own time: its last activity is every highlight's too
            "id": page_note_id(page), "created": iso_timestamp(page.created_at),
            "updated": iso_timestamp(page.created_at), "user": account, "uri": page.url, "text": page.note,
            "tags": [], "group": "__world__", "permissions": {"read": [account]},
            "target": [{"source": page.url}], "document": _document(page), "links": {"incontext": page.url},
        }
    for highlight in entry.highlights:
        yield annotation(page, highlight, account)


def page_note_id(page: Page) -> str:
    """The same id on every export: from the page's URL key."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "margins-page-note:" + page.url_key))


def _document(page: Page) -> dict:
    return {"title": [page.title] if page.title else []}


def annotation(page: Page, highlight: Highlight, account: str) -> dict:
    selectors = []
    if highlight.range_selector:
        selectors.append({"type": "RangeSelector", **highlight.range_selector})
    if highlight.position_start is not None:
        selectors.append({"type": "TextPositionSelector", "start": highlight.position_start,
                          "end": highlight.position_end})
    if highlight.pdf_page_first is not None:  # Hypothesis's: the 0-based index and the page's label
        selectors.append({"type": "PageSelector", "index": highlight.pdf_page_first - 1,
                          "label": str(highlight.pdf_page_first)})
    selectors.append({"type": "TextQuoteSelector", "exact": highlight.exact, "prefix": highlight.prefix,
                      "suffix": highlight.suffix})
    return {
        "id": highlight.uuid, "created": iso_timestamp(highlight.created_at),
        "updated": iso_timestamp(highlight.updated_at), "user": account, "uri": page.url,
        "text": highlight.note, "tags": [tag.name for tag in highlight.tags], "group": "__world__",
        "permissions": {"read": [account]},
        "target": [{"source": page.url, "selector": selectors}],
        "document": _document(page),
        "links": {"incontext": page.url},
    }
