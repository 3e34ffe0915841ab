"""Readwise CSV: its import template, its own export, and the errors a broken file gets."""

from datetime import datetime, timezone

import pytest

from server.services import importing
from server.services.importing.readwise_csv import parse
from server.services.importing.records import ImportFailed

from .fixtures import fixture_bytes


def test_the_import_template_groups_rows_by_url_or_book():
    kay, kay_again, book = parse(fixture_bytes("readwise", "import-template.csv")).pages
    assert kay.url == "https://example.com/kay?utm_source=x" and kay.metadata == {"title": "Inventing the Future",
                                                                                  "author": "Alan Kay"}
    (first,), (second,) = kay.highlights, kay_again.highlights
    assert (first.note, first.position_start, first.created_at) == (
        "A classic", 12, datetime(2021, 6, 14, 15, 1, 3, tzinfo=timezone.utc))
    assert second.exact == 'Two lines,\nwith a comma and "quotes"' and second.where == "line 3"
    assert second.created_at == datetime(2021, 6, 14, 15, 5, tzinfo=timezone.utc)
    assert book.url == "https://books.margins.invalid/the-pragmatic-programmer--hunt-andrew"
    assert book.highlights[0].where == "line 5"


def test_urls_of_one_page_land_on_it_and_books_get_their_own(ann, in_db):
    summary = in_db(lambda session: importing.import_file(
        session, ann.id, "readwise-csv", fixture_bytes("readwise", "import-template.csv")))
    assert (summary.pages_created, summary.highlights_created) == (2, 3)


def test_readwises_export_with_bom_colors_and_tags():
    (zen,) = parse(fixture_bytes("readwise", "export.csv")).pages
    assert zen.metadata["title"] == "The Zen of Python" and zen.tags == ["favorite"]
    simple, flat = zen.highlights
    assert (simple.color, simple.tags) == ("blue", ["python", "design"])
    assert flat.color == "yellow"  # violet is not one of Margins' colors


@pytest.mark.parametrize("name, message", [
    ("no-highlight-column.csv", "^line 1: the header has no 'Highlight' column"),
    ("bad-row.csv", "^line 3: the Highlight is empty"),
])
def test_broken_files_name_the_line(name, message):
    with pytest.raises(ImportFailed, match=message):
        parse(fixture_bytes("readwise", name))


def test_discarded_rows_action_tags_and_repeated_rows():
    parsed = parse(fixture_bytes("readwise", "export-discard.csv"))
    (pools,) = parsed.pages
    first, again = pools.highlights  # the discarded row is left out; the repeated one stays a second highlight
    assert first.tags == ["sea"] and first.uuid != again.uuid and again.note == "said twice"
    assert parsed.skipped == ["1 row Readwise tags 'discard' (line 3)"]


@pytest.mark.parametrize("location", ["²", "٣", "1" * 5000, "12.5"])
def test_a_location_that_is_no_whole_number_names_its_line(location):
    data = f"Highlight,Title,Location\nSome words,A Book,{location}\n".encode()
    with pytest.raises(ImportFailed, match="^line 2: the Location .* is not a whole number"):
        parse(data)
