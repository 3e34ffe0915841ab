"""Apple Books' annotation store, alone or zipped with its library store."""

import sqlite3
from datetime import datetime, timedelta, timezone

from server.services.importing.apple_books import parse

from .fixtures import IMPORTS, fixture_bytes

STORE = "AEAnnotation_v10312011_1727_local.sqlite"


def _expected_highlights() -> int:
    connection = sqlite3.connect(IMPORTS / "apple-books" / STORE)
    try:
        return connection.execute("SELECT count(*) FROM ZAEANNOTATION WHERE ZANNOTATIONDELETED = 0 "
                                  "AND trim(coalesce(ZANNOTATIONSELECTEDTEXT, '')) != ''").fetchone()[0]
    finally:
        connection.close()


def test_the_zip_names_the_book_from_the_library_store():
    parsed = parse(fixture_bytes("apple-books", "apple-books.zip"))
    (book,) = parsed.pages
    assert (book.metadata["title"], book.metadata["author"]) == ("The Bell Over the Fields", "Tomas Reed")
    assert len(book.highlights) == _expected_highlights() == 2
    bell, letter = book.highlights
    assert (bell.exact, bell.color, bell.position_start, bell.uuid) == (
        "The bell rang twice over the quiet fields.", "yellow", 118, "5d9e2f10-1a2b-4c3d-8e4f-0a1b2c3d4e5f")
    assert (letter.note, letter.color) == ("ask about this", "pink")
    # Core Data times count seconds from 2001-01-01 UTC; the row says 748000000
    assert bell.created_at == datetime(2001, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=748_000_000)
    assert parsed.skipped == ["1 annotation Apple Books marks deleted"]


def test_the_store_alone_names_books_by_asset_id():
    (book,) = parse(fixture_bytes("apple-books", STORE)).pages
    assert book.metadata["title"] == "Apple Books 8F3C1B2A9D7E6F5A4B3C2D1E0F9A8B7C"
    assert len(book.highlights) == 2
