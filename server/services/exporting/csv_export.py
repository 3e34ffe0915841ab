"""CSV with Readwise's import columns (Highlight, Title, Author, URL, Note, Location, Date), plus Location Type
(as Readwise's own export names it), Color, Tags, ID.

One row per highlight, pages in export order and highlights in reading
order. Location is the highlight's position (a Kindle location for books);
on a PDF it is the page the passage starts on, and Location Type says
``page`` (empty otherwise);
Tags are joined with ", "; ID is the highlight's UUID, which the
``readwise-csv`` import uses, so a round trip lands on the same highlights.
Books (pages with a synthetic .invalid URL) have an empty URL, as Readwise
expects for them.

Cells a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return: any web page controls titles,
quotes and tags) are neutralized by default with a leading ``'``, which
spreadsheets hide and the import takes off again (OWASP's advice on CSV
injection). ``keep_formulas`` writes them as they are.
"""

import csv
import io
from collections.abc import Iterator
from urllib.parse import urlsplit

from .markdown import SYNTHETIC_SUFFIX
from .selection import Source

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Location Type", "Date", "Color", "Tags", "ID")
PAGE = "page"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
#: first characters that make a spreadsheet evaluate a cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALIZER = "'"


def neutralized(cell: str) -> str:
    return NEUTRALIZER + cell if cell.startswith(FORMULA_STARTS) else cell


def unneutralized(cell: str) -> str:
    """A cell as it was before :func:`neutralized`."""
    return cell[1:] if cell.startswith(NEUTRALIZER) and cell[1:].startswith(FORMULA_STARTS) else cell


def _location(highlight) -> tuple[str, str]:
    """Location and Location Type: the PDF page, or the position."""
    if highlight.pdf_page_first is not None:
        return str(highlight.pdf_page_first), PAGE
    return ("" if highlight.position_start is None else str(highlight.position_start)), ""


def export(source: Source, keep_formulas: bool = False) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cell = str if keep_formulas else neutralized
    for entry in source.entries():
        page = entry.page
        url = "" if (urlsplit(page.url).hostname or "").endswith(SYNTHETIC_SUFFIX) else page.url
        for highlight in entry.highlights:
            writer.writerow([cell(value) for value in (
                highlight.exact, page.title or "", page.author or "", url, highlight.note, *_location(highlight),
                highlight.created_at.strftime(DATE_FORMAT), highlight.color,
                ", ".join(tag.name for tag in highlight.tags), highlight.uuid,
            )])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()
