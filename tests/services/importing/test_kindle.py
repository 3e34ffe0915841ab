"""Kindle's My Clippings.txt, in the languages Kindles write it in, with the quirks they write."""

import re
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


def test_an_unreadable_entry_is_skipped_and_named_by_its_line():
    parsed = parse(fixture_bytes("kindle", "malformed.txt"))
    assert [h.exact for page in parsed.pages for h in page.highlights] == ["ok"]
    assert parsed.skipped == ["line 6: a clipping needs a book line, then a line starting with '- ' "
                              "that says what it is"]


def test_a_file_of_which_nothing_can_be_read_is_refused():
    with pytest.raises(ImportFailed, match="^line 2: cannot tell what this clipping is.*could be read"):
        parse(b"Some Book (Someone)\n- Something else entirely | 5 | 6\n\ntext\n==========\n")


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


#: Counted without the parser: entries are what the separator lines close, each kind by its own word.
_SEPARATOR = re.compile(r"^\ufeff?==========\r?$", re.M)


def _count(data: bytes, word: str) -> int:
    return sum(1 for line in data.decode("utf-8-sig").splitlines() if line[:1] in "-–" and word in line)


@pytest.mark.parametrize("name, bookmark, note, first, added", [
    ("japanese.txt", "のブックマーク", "のメモ", "朝の光が窓から静かに差し込んでいた。",
     datetime(2023, 8, 10, 18, 36, 8, tzinfo=timezone.utc)),
    ("chinese-simplified.txt", "的书签", "的笔记", "灯火在江面上摇晃，像一串没有写完的句子。",
     datetime(2022, 5, 30, 18, 19, 37, tzinfo=timezone.utc)),
    ("chinese-traditional.txt", "的書籤", "的筆記", "山路盡頭有一間小小的茶館。",
     datetime(2024, 3, 15, 11, 20, tzinfo=timezone.utc)),
    ("russian.txt", "закладка", "заметка", "Город спал, и только мосты помнили дорогу домой.",
     datetime(2024, 3, 3, 18, 48, 36, tzinfo=timezone.utc)),
    ("dutch.txt", "bladwijzer", "notitie", "De boten lagen stil in de mist van de vroege ochtend.",
     datetime(2019, 9, 30, 18, 0, 39, tzinfo=timezone.utc)),
])
def test_more_languages_counted_independently(name, bookmark, note, first, added):
    data = fixture_bytes("kindle", name)
    entries, bookmarks, notes = len(_SEPARATOR.findall(data.decode("utf-8-sig"))), _count(data, bookmark), \
        _count(data, note)
    parsed = parse(data)
    highlights = [h for page in parsed.pages for h in page.highlights]
    assert parsed.skipped == []
    assert len(highlights) == entries - bookmarks - notes  # every note here lies in a highlight
    assert sum(1 for h in highlights if h.note) == notes
    assert (highlights[0].exact, highlights[0].created_at) == (first, added)
    assert all(h.position_start is not None and h.created_at for h in highlights)


def test_chinese_pages_japanese_pages_and_russian_dashes_give_locations():
    (zh,) = parse(fixture_bytes("kindle", "chinese-simplified.txt")).pages
    assert [(h.position_start, h.position_end) for h in zh.highlights] == [(1877, 1878), (708, 710)]
    assert zh.highlights[1].created_at == datetime(2021, 3, 5, 1, 26, 56, tzinfo=timezone.utc)  # 上午
    ja, town = parse(fixture_bytes("kindle", "japanese.txt")).pages
    assert (ja.metadata["author"], town.metadata["author"]) == ("山田 花子", None)
    assert (ja.highlights[1].position_start, ja.highlights[1].position_end) == (200, 203)
    (ru,) = parse(fixture_bytes("kindle", "russian.txt")).pages
    assert [(h.position_start, h.position_end) for h in ru.highlights] == [(53, 55), (900, 930)]
    (nl,) = parse(fixture_bytes("kindle", "dutch.txt")).pages
    assert (nl.highlights[1].position_start, nl.highlights[1].position_end) == (55, 88)  # "55 t/m 88"


def test_clips_limits_edited_notes_two_digit_years_and_foreign_entries():
    data = fixture_bytes("kindle", "quirks.txt")
    parsed = parse(data)
    gazette, rivers = parsed.pages
    (clip,) = gazette.highlights
    assert clip.exact == "The ferry will run on the winter timetable from next week."
    carve, flood, river, front = rivers.highlights
    assert carve.note == "first thought, revised"  # the edited note, not old + new
    assert flood.created_at == datetime(2012, 12, 3, 10, 15, tzinfo=timezone.utc)
    assert (river.exact, river.created_at) == ("川は海へ向かう。", datetime(2023, 8, 10, 18, 36, 8, tzinfo=timezone.utc))
    assert front.created_at == datetime(2026, 9, 3, 19, 30, 15, tzinfo=timezone.utc)  # U+202F before PM
    limits = data.decode("utf-8-sig").count("<You have reached the clipping limit")
    assert parsed.skipped == [
        "line 41: a clipping needs a book line, then a line starting with '- ' that says what it is",
        "line 47: cannot tell what this clipping is: "
        "'- Þú merktir á síðu 5 | staðsetning 60 | Bætt við mánudagur 30 desember 2024'",
        f"{limits} clippings: Kindle wrote its clipping-limit placeholder instead of the text",
    ]
    assert not any("clipping limit" in h.exact for h in rivers.highlights)


def test_the_summary_lists_what_was_skipped(ann, in_db):
    summary = in_db(lambda session: importing.import_file(session, ann.id, "kindle", fixture_bytes("kindle",
                                                                                                    "quirks.txt")))
    assert (summary.pages_created, summary.highlights_created) == (2, 5)
    assert len(summary.skipped) == 3 and "skipped line 41: a clipping needs" in str(summary)


def test_many_clippings_of_one_book_keep_every_distinct_one():
    """Extended highlights and notes found by a sweep, not by comparing every pair (see bench/kindle_parse.py)."""
    entries = []
    for index in range(3000):
        start = index * 10
        entries.append(f"Long Book (A. Writer)\n- Your Highlight on Location {start}-{start + 2} | "
                       f"Added on Monday, March 5, 2018 10:15:02 PM\n\nPassage number {index}.\n==========\n")
        if index % 3 == 0:
            entries.append(f"Long Book (A. Writer)\n- Your Note on Location {start + 1} | "
                           f"Added on Monday, March 5, 2018 10:16:02 PM\n\nNote {index}\n==========\n")
    (book,) = parse("".join(entries).encode()).pages
    assert len(book.highlights) == 3000
    assert [h.note for h in book.highlights[:4]] == ["Note 0", "", "", "Note 3"]
