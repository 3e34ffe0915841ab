"""KOReader's JSON export: one book, or all of them."""

import json

import pytest

from server.services.importing.koreader import parse
from server.services.importing.records import ImportFailed

from .fixtures import fixture_bytes


def test_one_books_entries_in_page_order_counted_independently():
    data = fixture_bytes("koreader", "book.json")
    (book,) = parse(data).pages
    assert len(book.highlights) == len(json.loads(data)["entries"]) == 3
    assert (book.metadata["title"], book.metadata["author"]) == ("Lanterns at Dusk", "Mira Holt")
    lamps, dusk, door = book.highlights
    assert (lamps.position_start, dusk.note, dusk.color, door.color) == (12, "true of the village", "blue", "yellow")
    assert lamps.created_at.isoformat() == "2024-08-31T10:26:40+00:00"


def test_all_books_and_broken_entries():
    data = fixture_bytes("koreader", "all-books.json")
    books = parse(data).pages
    assert [len(book.highlights) for book in books] == [len(d["entries"]) for d in json.loads(data)["documents"]]
    assert books[1].metadata["author"] is None
    with pytest.raises(ImportFailed, match=r"^the book\.entries\[0\]: 'time' should be Unix seconds"):
        parse(b'{"title": "T", "entries": [{"text": "x", "time": 1e30}]}')
    with pytest.raises(ImportFailed, match=r"^documents\[0\]: a book needs its 'title'"):
        parse(b'{"documents": [{"entries": []}]}')
