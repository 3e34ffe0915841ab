"""Kindle's My Clippings.txt, in six languages, with the quirks Kindles write."""

from datetime import datetime, timezone

import pytest

from server.services import importing
from server.services.importing.kindle import parse, split_book_line
from server.services.importing.records import ImportFailed

from .fixtures import fixture_bytes


def _books(name: str) -> dict:
    return {page.metadata["title"]: page for page in parse(fixture_bytes("kindle", name)).pages}


def test_english_highlights_notes_bookmarks_bom_and_crlf():
    books = _books("english.txt")
    assert list(books) == ["The Art of War", "Gödel, Escher, Bach (20th Anniversary Edition)", "my-notes.pdf"]
    war = books["The Art of War"]
    assert war.metadata["author"] == "Sun Tzu" and war.url == "https://books.margins.invalid/the-art-of-war--sun-tzu"
    first, extended = war.highlights
    assert first.exact == "All warfare is based on deception."
    assert first.note == "Compare with Clausewitz."  # location 182 is within 180-182
    assert (first.position_start, first.position_end) == (180, 182)
    assert first.created_at == datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)
    assert "\r" not in first.exact and "\ufeff" not in war.metadata["title"]


def test_the_latest_of_an_extended_highlight_is_kept():
    (_, extended) = _books("english.txt")["The Art of War"].highlights
    assert extended.exact.startswith("Let your plans be dark and impenetrable as night, and when you move")
    assert (extended.position_start, extended.position_end) == (301, 305)


def test_titles_with_brackets_and_missing_authors():
    books = _books("english.txt")
    assert books["Gödel, Escher, Bach (20th Anniversary Edition)"].metadata["author"] == "Hofstadter, Douglas R. (Ed.)"
    pdf = books["my-notes.pdf"]
    assert pdf.metadata["author"] is None and pdf.url == "https://books.margins.invalid/my-notes-pdf"
    # The empty highlight (clipping limit) is skipped; the loose note is kept on its own.
    assert [h.exact for h in pdf.highlights] == ["A page-only PDF highlight.", "Note at location 9"]
    assert pdf.highlights[1].note == "A loose thought."
    assert split_book_line("Title (Author (Ed.)) (Real Author)") == ("Title (Author (Ed.))", "Real Author")
    assert split_book_line("Unbalanced) (x") == ("Unbalanced) (x", None)


@pytest.mark.parametrize("name, title, author, exact, note, added", [
    ("german.txt", "Der Prozess", "Kafka, Franz", "Jemand mußte Josef K. verleumdet haben.", "Berühmter erster Satz.",
     datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)),
    ("french.txt", "L'Étranger", "Camus, Albert", "Aujourd'hui, maman est morte.", "Ou peut-être hier.",
     datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)),
    ("spanish.txt", "Cien años de soledad", "García Márquez, Gabriel",
     "Muchos años después, frente al pelotón de fusilamiento", "Inicio famoso.",
     datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)),
    ("portuguese.txt", "Dom Casmurro", "Machado de Assis", "Uma noite destas, vindo da cidade para o Engenho Novo",
     "O trem.", datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)),
    ("italian.txt", "Il nome della rosa", "Eco, Umberto", "Stat rosa pristina nomine, nomina nuda tenemus.",
     "Il finale.", datetime(2018, 3, 5, 22, 15, 2, tzinfo=timezone.utc)),
])
def test_other_languages(name, title, author, exact, note, added):
    (book,) = parse(fixture_bytes("kindle", name)).pages
    assert (book.metadata["title"], book.metadata["author"]) == (title, author)
    (highlight,) = book.highlights  # the bookmark is skipped, the note attached
    assert (highlight.exact, highlight.note, highlight.created_at) == (exact, note, added)


def test_old_kindles_shortened_locations():
    (book,) = parse(fixture_bytes("kindle", "old_format.txt")).pages
    (highlight,) = book.highlights
    assert (highlight.position_start, highlight.position_end) == (180, 182)
    assert highlight.created_at == datetime(2012, 3, 5, 22, 15, tzinfo=timezone.utc)


def test_a_malformed_entry_is_named_by_its_line():
    with pytest.raises(ImportFailed, match="^line 6: a clipping needs"):
        parse(fixture_bytes("kindle", "malformed.txt"))


def test_importing_twice_adds_nothing(ann, in_db):
    data = fixture_bytes("kindle", "english.txt")

    def twice(session):
        first = importing.import_file(session, ann.id, "kindle", data)
        session.commit()
        second = importing.import_file(session, ann.id, "kindle", data)
        session.commit()
        return first, second

    first, second = in_db(twice)
    assert (first.pages_created, first.highlights_created) == (3, 5)
    assert (second.pages_created, second.highlights_created, second.highlights_updated,
            second.highlights_unchanged) == (0, 0, 0, 5)
