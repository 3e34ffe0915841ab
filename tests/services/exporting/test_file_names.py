"""File names of exported pages (server/services/exporting/file_names.py): unique on every fallback,
at most 200 bytes cut between graphemes, no name Windows reserves, NFC, no bidirectional controls."""

import unicodedata

import pytest

from server.services.exporting.file_names import MAX_NAME_BYTES, FileNames

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467"  # one grapheme of 18 bytes: man ZWJ woman ZWJ girl
FLAG = "\U0001F1EB\U0001F1F7"  # one grapheme, two regional indicators


def test_a_fallback_name_another_page_already_has_is_passed_over():
    names = FileNames()
    # A page titled as the fallback of a later one comes first: the fallback is taken when it is needed.
    taken = [names.take("Tides (p-2)", "p-3"), names.take("Tides", "p-1"), names.take("Tides", "p-2")]
    assert taken == ["Tides (p-2).md", "Tides.md", "Tides (p-2) 2.md"]
    assert names.take("tides", "p-2") == "tides (p-2) 3.md"  # Windows and macOS: the same name as Tides


def test_names_already_in_the_folder_are_never_handed_out():
    names = FileNames(["Tides.md", "TIDES (p-1).md", "Tides (p-1) 2.md"])
    assert names.take("Tides", "p-1") == "Tides (p-1) 3.md"


@pytest.mark.parametrize(("unit", "count"), [
    ("潮", 86),           # 258 bytes of CJK: over 255 with ".md" (the review's case)
    (FAMILY, 64),        # 1,152 bytes of emoji
    ("e\u0301", 150),    # a letter and its combining accent (one grapheme, "é" once NFC)
    (FLAG, 60),
    ("🇫🇷\u200d", 1),      # too short to cut: kept whole
])
def test_long_titles_are_cut_to_200_bytes_between_graphemes(unit, count):
    names = FileNames()
    whole = unicodedata.normalize("NFC", unit)
    for suffix in ("", " (p-0123456789abcdef)", " (p-0123456789abcdef) 2"):  # the title, its fallbacks
        name = names.take(unit * count, "p-0123456789abcdef")
        assert len(name.encode()) <= MAX_NAME_BYTES
        assert name.endswith(suffix + ".md")
        stem = name.removesuffix(suffix + ".md")
        assert stem and stem.replace(whole, "") == "", f"a grapheme was cut: {stem[-3:]!r}"
        assert (whole * count).startswith(stem)


@pytest.mark.parametrize(("title", "name"), [
    ("Con.txt", "Con_.txt.md"),
    ("COM¹", "COM¹_.md"),
    ("lpt²", "lpt²_.md"),
    ("nul", "nul_.md"),
    ("AUX . notes", "AUX _. notes.md"),
    ("CONIN$", "CONIN$_.md"),
    ("Console", "Console.md"),
    ("Com1 and more", "Com1 and more.md"),
    ("...", "Untitled.md"),
])
def test_names_windows_reserves_are_judged_by_the_stem(title, name):
    assert FileNames().take(title, "p-1") == name


def test_names_are_nfc_and_nfc_nfd_twins_are_one_name():
    names = FileNames()
    composed, decomposed = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    assert names.take(decomposed, "p-1") == f"{composed}.md"
    assert names.take(composed, "p-2") == f"{composed} (p-2).md"


def test_bidirectional_controls_are_removed():
    # U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u202egpj.md" as "invoicedm.jpg".
    name = FileNames().take("invoice\u202egpj\u2066x\u2069\u200f", "p-1")
    assert name == "invoicegpjx.md"


def test_characters_file_systems_or_obsidian_refuse_become_spaces():
    assert FileNames().take('a/b\\c:d*e?f"g<h>i|j#k^l[m]n\x00o\x85p', "p-1") == "a b c d e f g h i j k l m n o p.md"
