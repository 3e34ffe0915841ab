"""Readwise CSV: its import columns (Highlight, Title, Author, URL, Note, Location, Date) and its export's
(Book Title, Book Author, Highlighted at, Color, Tags, Document tags); Margins' own CSV export too.

Rows are grouped into pages by URL, or by book (title and author) when the
URL is empty; see ``books``. Tags are comma-separated; rows Readwise tags
``discard`` are left out (counted in the summary), and its action tags
(``.h1``, ``.c1``…) are not tags. An ``ID`` column (Margins' export) gives
the highlight's id, so a round trip lands on the same highlights; without
one, ids come from URL, location, text and how many rows before had them.
Cells Margins' export neutralized against spreadsheet formulas (``'=…``) are
read back as written.
"""

import csv
import io
import uuid
from collections import Counter
from datetime import datetime, timezone

from ..exporting.csv_export import PAGE, unneutralized
from ..exporting.values import parse_timestamp
from ..tags import split_tags
from .books import book_url
from .reading import decode_text
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color, without_actions

#: Column → the names it goes by, in Readwise's import template, its export, and Margins' export
COLUMNS = {
    "text": ("highlight",), "title": ("title", "book title"), "author": ("author", "book author"),
    "url": ("url",), "note": ("note",), "location": ("location",), "location_type": ("location type",),
    "date": ("date", "highlighted at"),
    "color": ("color",), "tags": ("tags",), "page_tags": ("document tags",), "id": ("id",),
}
DISCARD_TAG = "discard"
VERBATIM = ("text", "note")
#: fields a CSV does not carry: a highlight already stored keeps its own
NOT_IN_CSV = ("prefix", "suffix", "range_selector", "position_end")
#: a row whose Location is a position does not carry PDF pages; one whose Location is a page (Location
#: Type "page") carries its first page only, and no position
NOT_IN_A_POSITION_ROW = (*NOT_IN_CSV, "pdf_page_first", "pdf_page_last")
NOT_IN_A_PAGE_ROW = (*NOT_IN_CSV, "position_start", "pdf_page_last")
DATE_FORMATS = ("%B %d, %Y %I:%M:%S %p", "%B %d, %Y %I:%M %p", "%B %d, %Y", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def parse(data: bytes) -> Parsed:
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    try:
        header = next(reader, None)
        columns = _columns(header)
        pages: dict[str, PageRecord] = {}
        seen: Counter = Counter()
        discarded = []
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                cells = {name: _cell(name, row[index]) if index < len(row) else "" for name, index in columns.items()}
                if DISCARD_TAG in (tag.casefold() for tag in split_tags(cells.get("tags", ""))):
                    discarded.append(f"line {line}")
                else:
                    _add_row(pages, cells, f"line {line}", seen)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFailed(f"line {reader.line_num}", f"not valid CSV ({error})") from None
    skipped = [f"{len(discarded)} row{'s' if len(discarded) > 1 else ''} Readwise tags 'discard' "
               f"({', '.join(discarded[:3])}{', …' if len(discarded) > 3 else ''})"] if discarded else []
    return Parsed(list(pages.values()), skipped=skipped)


def _cell(name: str, value: str) -> str:
    """A cell as written before the export neutralized it; trimmed, but for the quote and the note."""
    value = unneutralized(value)
    return value if name in VERBATIM else value.strip()


def _columns(header: list[str] | None) -> dict[str, int]:
    names = [cell.strip().lstrip("\ufeff").lower() for cell in header or []]
    columns = {key: names.index(alias) for key, aliases in COLUMNS.items() for alias in aliases if alias in names}
    if "text" not in columns:
        raise ImportFailed("line 1", "the header has no 'Highlight' column; is this a Readwise CSV?")
    return columns


def _add_row(pages: dict[str, PageRecord], row: dict[str, str], where: str, seen: Counter) -> None:
    text, title, author = row.get("text", ""), row.get("title", ""), row.get("author") or None
    if not text.strip():
        raise ImportFailed(where, "the Highlight is empty")
    url = row.get("url", "")
    if not url:
        if not title:
            raise ImportFailed(where, "a row needs a Title or a URL to know what it highlights")
        url = book_url(title, author)
    page = pages.get(url)
    if page is None:
        page = pages[url] = PageRecord(where=where, url=url, metadata={"title": title or None, "author": author},
                                       tags=split_tags(row.get("page_tags", "")))
    location = row.get("location", "")
    date = _date(row.get("date", ""), where)
    number = _position(location, where)
    on_a_page = row.get("location_type", "").strip().casefold() == PAGE and number is not None
    if on_a_page and not number:
        raise ImportFailed(where, "the Location of a page is 1 or more")
    page.highlights.append(HighlightRecord(
        where=where, uuid=_uuid(row.get("id", ""), url, location, text, seen, where), exact=text,
        note=row.get("note", ""), color=palette_color(row.get("color")),
        tags=without_actions(split_tags(row.get("tags", ""))), created_at=date, updated_at=date,
        **({"pdf_page_first": number, "pdf_page_last": number, "keep": NOT_IN_A_PAGE_ROW} if on_a_page
           else {"position_start": number, "position_end": number, "keep": NOT_IN_A_POSITION_ROW}),
    ))


def _position(location: str, where: str) -> int | None:
    if not location:
        return None
    if not (location.isascii() and location.isdigit() and len(location) <= 10):
        raise ImportFailed(where, f"the Location {location[:20]!r} is not a whole number")
    return int(location)


def _uuid(identity: str, url: str, location: str, text: str, seen: Counter, where: str) -> str:
    """The ID column's UUID; else one from the content and how many rows before had the same."""
    if identity:
        try:
            return str(uuid.UUID(identity))
        except ValueError:
            raise ImportFailed(where, f"the ID {identity[:40]!r} is not a UUID") from None
    key = (url, location, text)
    repeat = seen[key]
    seen[key] += 1
    return derived_uuid("readwise-csv", url, location, text, *([repeat] if repeat else []))


def _date(text: str, where: str) -> datetime | None:
    if not text:
        return None
    try:
        return parse_timestamp(text)
    except OverflowError:
        raise ImportFailed(where, f"the Date {text[:40]!r} is out of range") from None
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise ImportFailed(where, f"the Date {text[:40]!r} is not a date Readwise writes (e.g. 2024-05-01 14:03:00)")
