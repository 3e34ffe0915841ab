"""What every importer makes of a file: plain records of pages and highlights, each saying where
in the file it came from, so an error can name the line or record."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ...models import COLORS
from ..errors import Invalid
from ..storable import UNSTORABLE as _UNSTORABLE

#: Namespace of the UUIDs derived from imported content: the same file gives the same ids.
IMPORT_NAMESPACE = uuid.UUID("6f1d3c2a-9b8e-5d47-a1f0-3c2b1a0e9d8c")
#: Readwise's action tags: ``.h1``-``.h4`` make a heading, ``.c1``, ``.c2``… join highlights; not tags
_ACTION_TAG = re.compile(r"\.(?:h[1-4]|c\d{1,3})", re.I)


class ImportFailed(Invalid):
    """The file cannot be imported; the message names the line or record, and nothing was stored."""

    code = "invalid_import"

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}", {"file": [f"{where}: {problem}"]})


@dataclass
class HighlightRecord:
    where: str
    uuid: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    position_start: int | None = None
    position_end: int | None = None
    range_selector: dict | None = None
    #: on a PDF, the pages (1-based) the passage starts and ends on
    pdf_page_first: int | None = None
    pdf_page_last: int | None = None
    color: str = "yellow"
    note: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    #: fields the file does not carry: a highlight already stored keeps its own values of them
    keep: tuple[str, ...] = ()


@dataclass
class SnapshotRecord:
    where: str
    html: str
    content_html: str
    text: str
    word_count: int
    extractor_version: str
    captured_at: datetime


@dataclass
class PageRecord:
    where: str
    url: str
    #: Page columns to set (title, author, site_name, ...)
    metadata: dict = field(default_factory=dict)
    #: the key the page was stored under (Margins JSON); else the URL's own key
    url_key: str | None = None
    tags: list[str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    snapshots: list[SnapshotRecord] = field(default_factory=list)
    highlights: list[HighlightRecord] = field(default_factory=list)


@dataclass
class Parsed:
    """A file's pages; ``tags`` to make even when unused; ``exact``: store every field as given;
    ``skipped``: entries left out, each ``"where: why"``, for the import's summary."""

    pages: list[PageRecord]
    tags: list[str] = field(default_factory=list)
    exact: bool = False
    skipped: list[str] = field(default_factory=list)


def derived_uuid(*parts) -> str:
    """A UUID made from content, so importing a file twice gives the same ids (no duplicates)."""
    return str(uuid.uuid5(IMPORT_NAMESPACE, "\x1f".join(str(part) for part in parts)))


def without_actions(tags: list[str]) -> list[str]:
    """Tags without Readwise's action tags (instructions to Readwise, not names of anything)."""
    return [tag for tag in tags if not _ACTION_TAG.fullmatch(tag.strip())]


def kept_uuid(identity: str, source: str) -> str:
    """The tool's id when it is a UUID (so a round trip keeps it), else a UUID derived from it."""
    try:
        return str(uuid.UUID(identity))
    except ValueError:
        return derived_uuid(source, identity)


def palette_color(name) -> str:
    """Another tool's color name as one of Margins' colors (yellow when it has no match)."""
    name = name.strip().lower() if isinstance(name, str) else ""
    return name if name in COLORS else "yellow"


#: how deeply a stored value (a range selector, metadata) may nest: Margins' own are two levels deep
MAX_DEPTH = 16


def check_storable(where: str, value) -> None:
    """Refuse text no database stores (NUL, unpaired surrogates) anywhere in a value, and values nested
    deeper than :data:`MAX_DEPTH` (walked without recursion, so any depth gets this answer)."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ImportFailed(where, f"a value is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                raise ImportFailed(where, "contains a NUL character or an unpaired surrogate, which cannot be stored")
        elif isinstance(item, dict):
            pending.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, (list, tuple)):
            pending.extend((part, depth + 1) for part in item)
