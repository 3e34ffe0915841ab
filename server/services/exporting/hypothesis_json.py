"""Hypothesis's export JSON (what its client's "Export" writes): ``{"export_userid", "client_version",
"annotations": [...]}`` with annotations in Hypothesis's own shape (uri, text, tags, target selectors,
document title). The export date is left out, so the same data gives the same bytes."""

from collections.abc import Iterator

from sqlalchemy import select

from ...models import Highlight, Page, User
from .json_stream import ITEMS, stream_json
from .selection import Source
from .values import iso_timestamp

CLIENT_VERSION = "margins"


def export(source: Source) -> Iterator[bytes]:
    username = source.session.scalar(select(User.username).where(User.id == source.user_id))
    account = f"acct:{username}@margins"
    items = (annotation(entry.page, highlight, account) for entry in source.entries() for highlight in entry.highlights)
    return stream_json({"export_userid": account, "client_version": CLIENT_VERSION, "annotations": ITEMS}, items)


def annotation(page: Page, highlight: Highlight, account: str) -> dict:
    selectors = []
    if highlight.range_selector:
        selectors.append({"type": "RangeSelector", **highlight.range_selector})
    if highlight.position_start is not None:
        selectors.append({"type": "TextPositionSelector", "start": highlight.position_start,
                          "end": highlight.position_end})
    selectors.append({"type": "TextQuoteSelector", "exact": highlight.exact, "prefix": highlight.prefix,
                      "suffix": highlight.suffix})
    return {
        "id": highlight.uuid, "created": iso_timestamp(highlight.created_at),
        "updated": iso_timestamp(highlight.updated_at), "user": account, "uri": page.url,
        "text": highlight.note, "tags": [tag.name for tag in highlight.tags], "group": "__world__",
        "permissions": {"read": [account]},
        "target": [{"source": page.url, "selector": selectors}],
        "document": {"title": [page.title] if page.title else []},
        "links": {"incontext": page.url},
    }
