"""KOReader's JSON export (Exporter plugin → JSON): a book ``{"title", "author", "entries": [...]}``,
several as ``{"documents": [book, ...]}`` (exporting all books), or a list of books.

Each entry (``text``, ``note``, ``page``, ``time`` in Unix seconds, ``chapter``, ``color``,
``drawer``) is a highlight on the book's page; a numeric ``page`` is its position, so highlights
come in page order. KOReader gives entries no id, so ids come from the book, page and text.
"""

from datetime import datetime, timezone

from ..limits import MAX_INTEGER
from .books import book_url
from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color


def parse(data: bytes) -> Parsed:
    root = load_json(data)
    if isinstance(root, dict) and "documents" in root:
        books, label = Fields(root, "the file").objects("documents"), "documents"
    elif isinstance(root, dict):
        books, label = [root], None
    elif isinstance(root, list):
        books, label = root, ""
    else:
        raise ImportFailed("the file", "is not KOReader's JSON export (a book with 'entries', or 'documents')")
    pages: dict[str, PageRecord] = {}
    for index, value in enumerate(books):
        book = Fields(value, "the book" if label is None else f"{label}[{index}]")
        title = book.text("title") or None
        if not title:
            raise ImportFailed(book.where, "a book needs its 'title'")
        author = book.text("author") or None
        url = book_url(title, author)
        page = pages.setdefault(url, PageRecord(where=book.where, url=url, metadata={
            "title": title, "author": author, "site_name": "KOReader"}))
        for number, item in enumerate(book.objects("entries")):
            entry = Fields(item, f"{book.where}.entries[{number}]")
            text = (entry.text("text") or "").strip()
            if not text:
                raise ImportFailed(entry.where, "the entry has no 'text'")
            page.highlights.append(_highlight(entry, title, author, text))
    return Parsed(list(pages.values()))


def _highlight(entry: Fields, title: str, author: str | None, text: str) -> HighlightRecord:
    page_number = entry.raw("page")
    position = page_number if isinstance(page_number, int) and not isinstance(page_number, bool) \
        and 0 <= page_number <= MAX_INTEGER else None
    stamp = entry.raw("time")
    if stamp is not None and not (isinstance(stamp, int) and 0 <= stamp < 253402300800):
        raise ImportFailed(entry.where, "'time' should be Unix seconds")
    moment = datetime.fromtimestamp(stamp, timezone.utc) if stamp is not None else None
    return HighlightRecord(
        where=entry.where, uuid=derived_uuid("koreader", title, author, page_number, text), exact=text,
        note=(entry.text("note") or "").strip(), color=palette_color(entry.raw("color")),
        position_start=position, position_end=position, created_at=moment, updated_at=moment,
    )
