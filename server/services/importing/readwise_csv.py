"""Readwise CSV: its import columns (Highlight, Title, Author, URL, Note, Location, Date) and its export's
(Book Title, Book Author, Highlighted at, Color, Tags, Document tags); Margins' own CSV export too.

Rows are grouped into pages by URL, or by book (title and author) when the
URL is empty; see ``books``. Tags are comma-separated.
"""

import csv
import io
from datetime import datetime, timezone

from ..exporting.values import parse_timestamp
from ..tags import split_tags
from .books import book_url
from .reading import decode_text
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color

#: Column → the names it goes by, in Readwise's import template, its export, and Margins' export
COLUMNS = {
    "text": ("highlight",), "title": ("title", "book title"), "author": ("author", "book author"),
    "url": ("url",), "note": ("note",), "location": ("location",), "date": ("date", "highlighted at"),
    "color": ("color",), "tags": ("tags",), "page_tags": ("document tags",),
}
DATE_FORMATS = ("%B %d, %Y %I:%M:%S %p", "%B %d, %Y %I:%M %p", "%B %d, %Y", "%m/%d/%Y %H:%M", "%m/%d/%Y")


def parse(data: bytes) -> Parsed:
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    try:
        header = next(reader, None)
        columns = _columns(header)
        pages: dict[str, PageRecord] = {}
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                _add_row(pages, {name: row[index].strip() if index < len(row) else ""
                                 for name, index in columns.items()}, f"line {line}")
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFailed(f"line {reader.line_num}", f"not valid CSV ({error})") from None
    return Parsed(list(pages.values()))


def _columns(header: list[str] | None) -> dict[str, int]:
    names = [cell.strip().lstrip("\ufeff").lower() for cell in header or []]
    columns = {key: names.index(alias) for key, aliases in COLUMNS.items() for alias in aliases if alias in names}
    if "text" not in columns:
        raise ImportFailed("line 1", "the header has no 'Highlight' column; is this a Readwise CSV?")
    return columns


def _add_row(pages: dict[str, PageRecord], row: dict[str, str], where: str) -> None:
    text, title, author = row.get("text", ""), row.get("title", ""), row.get("author") or None
    if not text:
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
    position = int(location) if location.isdigit() else None
    date = _date(row.get("date", ""), where)
    page.highlights.append(HighlightRecord(
        where=where, uuid=derived_uuid("readwise-csv", url, location, text), exact=text, note=row.get("note", ""),
        color=palette_color(row.get("color")), tags=split_tags(row.get("tags", "")),
        position_start=position, position_end=position, created_at=date, updated_at=date,
    ))


def _date(text: str, where: str) -> datetime | None:
    if not text:
        return None
    try:
        return parse_timestamp(text)
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise ImportFailed(where, f"the Date {text[:40]!r} is not a date Readwise writes (e.g. 2024-05-01 14:03:00)")
