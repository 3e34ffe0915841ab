"""Kobo e-readers' ``KoboReader.sqlite`` (in the device's ``.kobo`` folder): highlights and notes, one page a book.

Read from the ``Bookmark`` table (``BookmarkID``, ``VolumeID``, ``Text``, ``Annotation``, ``Type``,
``Color``, ``Hidden``, ``DateCreated``, ``DateModified``) joined to the ``content`` row of its book
(``ContentType`` 6: ``Title``, ``Attribution``). ``Type`` ``dogear`` (a bookmark) and hidden rows
are skipped; a row with no text is skipped and reported. Colors 0-3 are yellow, pink, blue, green.

The file is a database from outside: it is opened in memory, read-only, with triggers and views
from its schema never run (only the two tables are read, and must be tables), and a query that
takes too many steps is stopped.
"""

import sqlite3

from ..exporting.values import parse_timestamp
from .books import book_url
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, kept_uuid

HEADER = b"SQLite format 3\x00"
COLORS = {0: "yellow", 1: "pink", 2: "blue", 3: "green"}
#: virtual-machine steps a query may take before it is stopped (a real device's file needs far fewer)
MAX_STEPS = 50_000_000
QUERY = """
SELECT b.BookmarkID, b.VolumeID, b.Text, b.Annotation, b.Type, b.Color, b.Hidden, b.DateCreated, b.DateModified,
       c.Title, c.Attribution
FROM Bookmark AS b LEFT JOIN content AS c ON c.ContentID = b.VolumeID AND c.ContentType = '6'
ORDER BY b.VolumeID, b.ChapterProgress, b.DateCreated, b.BookmarkID
"""


def open_database(data: bytes, tables: tuple[str, ...], tool: str) -> sqlite3.Connection:
    """An uploaded SQLite file, in memory and read-only; ``tables`` must be there, as tables."""
    if not data.startswith(HEADER):
        raise ImportFailed("the file", f"is not an SQLite database: upload {tool} itself")
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA query_only = ON")
        steps = {"left": MAX_STEPS // 1000}

        def budget():
            steps["left"] -= 1
            return steps["left"] < 0  # a true answer interrupts the query

        connection.set_progress_handler(budget, 1000)
        found = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        connection.close()
        raise ImportFailed("the file", f"cannot be read as an SQLite database ({error})") from None
    missing = [name for name in tables if name not in found]
    if missing:
        connection.close()
        raise ImportFailed("the file", f"has no {', '.join(missing)} table: is it {tool}?")
    return connection


def read_rows(connection: sqlite3.Connection, query: str) -> list[sqlite3.Row]:
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(query).fetchall()
    except sqlite3.OperationalError as error:
        raise ImportFailed("the file", f"cannot be read ({error}); is it a whole, unencrypted copy?") from None
    finally:
        connection.close()


def parse(data: bytes) -> Parsed:
    rows = read_rows(open_database(data, ("Bookmark", "content"), "KoboReader.sqlite"), QUERY)
    pages: dict[str, PageRecord] = {}
    skipped = []
    for row in rows:
        where = f"Bookmark {str(row['BookmarkID'])[:40]!r}"
        if row["Type"] == "dogear" or row["Hidden"] in (1, "true"):
            continue
        text = (row["Text"] or "").strip()
        if not text:
            skipped.append(f"{where}: it has no highlighted text")
            continue
        title = row["Title"] or str(row["VolumeID"]).rsplit("/", 1)[-1]
        author = row["Attribution"] or None
        url = book_url(title, author)
        page = pages.setdefault(url, PageRecord(where=where, url=url, metadata={
            "title": title, "author": author, "site_name": "Kobo"}))
        created = _time(row["DateCreated"])
        page.highlights.append(HighlightRecord(
            where=where, uuid=kept_uuid(str(row["BookmarkID"]), "kobo"), exact=text, note=(row["Annotation"] or "").strip(),
            color=COLORS.get(row["Color"], "yellow"), created_at=created,
            updated_at=_time(row["DateModified"]) or created))
    return Parsed(list(pages.values()), skipped=skipped)


def _time(value) -> object:
    try:
        return parse_timestamp(value) if isinstance(value, str) and value[:4] not in ("", "0000") else None
    except (ValueError, OverflowError):
        return None

