"""CSV with Readwise's import columns (Highlight, Title, Author, URL, Note, Location, Date), plus Color and Tags.

One row per highlight, pages in export order and highlights in reading
order. Location is the highlight's position (a Kindle location for books);
Tags are joined with ", ". Books (pages with a synthetic .invalid URL) have
an empty URL, as Readwise expects for them.
"""

import csv
import io
from collections.abc import Iterator
from urllib.parse import urlsplit

from .markdown import SYNTHETIC_SUFFIX
from .selection import Source

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Color", "Tags")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def export(source: Source) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in source.entries():
        page = entry.page
        url = "" if (urlsplit(page.url).hostname or "").endswith(SYNTHETIC_SUFFIX) else page.url
        for highlight in entry.highlights:
            writer.writerow((
                highlight.exact, page.title or "", page.author or "", url, highlight.note,
                "" if highlight.position_start is None else highlight.position_start,
                highlight.created_at.strftime(DATE_FORMAT), highlight.color,
                ", ".join(tag.name for tag in highlight.tags),
            ))
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()
