"""Kobo's KoboReader.sqlite: highlights and notes of each book, read from a database nobody vouches for."""

import sqlite3

import pytest

from server.services.importing.kobo import parse
from server.services.importing.records import ImportFailed

from .fixtures import IMPORTS, fixture_bytes


def test_highlights_and_notes_of_each_book_counted_with_sqlite_itself():
    connection = sqlite3.connect(IMPORTS / "kobo" / "KoboReader.sqlite")
    expected = connection.execute("SELECT count(*) FROM Bookmark WHERE Type != 'dogear' AND Hidden = 0 "
                                  "AND trim(coalesce(Text, '')) != ''").fetchone()[0]
    connection.close()
    parsed = parse(fixture_bytes("kobo", "KoboReader.sqlite"))
    (book,) = parsed.pages
    assert (book.metadata["title"], book.metadata["author"]) == ("Orchard Notes", "Ada Vale")
    assert book.url == "https://books.margins.invalid/orchard-notes--ada-vale"
    assert len(book.highlights) == expected == 2
    apples, pruning = book.highlights
    assert (apples.exact, apples.color, apples.uuid) == (
        "Apples remember the frost that sweetened them.", "yellow", "3b1f9a52-6c1d-4e0a-9f77-0a1b2c3d4e01")
    assert (pruning.note, pruning.color, pruning.created_at.isoformat()) == (
        "lovely", "blue", "2024-09-01T07:35:10+00:00")
    assert parsed.skipped == ["Bookmark '3b1f9a52-6c1d-4e0a-9f77-0a1b2c3d4e05': it has no highlighted text"]


def test_what_is_not_a_kobo_database_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="^the file: is not an SQLite database"):
        parse(b"My Clippings")
    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (x)")
    connection.execute("CREATE VIEW Bookmark AS SELECT * FROM notes")
    connection.commit()
    connection.close()
    with pytest.raises(ImportFailed, match="^the file: has no Bookmark, content table: is it KoboReader.sqlite"):
        parse(other.read_bytes())
    with pytest.raises(ImportFailed, match="^the file: cannot be read"):
        parse(fixture_bytes("kobo", "KoboReader.sqlite")[:2000])
