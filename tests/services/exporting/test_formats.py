"""CSV, W3C Web Annotation and Hypothesis exports: the shapes other tools read."""

import csv
import io
import json

import pytest

from server.services import exporting, importing

from .seeding import highlight_uuid, seed


@pytest.fixture
def ann_pages(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "author": "Ann", "highlights": [
            {"exact": "The tide, \"quoted\",\ncame in", "prefix": "when ", "suffix": " again", "note": "why *this*",
             "tags": ["sea", "moon"], "color": "blue", "position": (10, 20),
             "range": {"startContainer": "/p[1]", "startOffset": 0, "endContainer": "/p[1]", "endOffset": 20}},
            {"exact": "No position", "color": "pink"}]},
        {"url": "https://books.margins.invalid/a-book--someone", "title": "A book", "highlights": [{"exact": "Bookish"}]},
    ]))
    return ann


def test_csv_has_readwises_columns_then_color_and_tags(ann_pages, export_bytes):
    rows = list(csv.reader(io.StringIO(export_bytes(ann_pages.id, "csv").decode())))
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Location Type", "Date", "Color",
                       "Tags", "ID"]
    assert rows[1] == ["The tide, \"quoted\",\ncame in", "Tides", "Ann", "https://example.com/a", "why *this*", "10",
                       "", "2026-11-23 10:00:00", "blue", "moon, sea", highlight_uuid(0, 0)]
    assert rows[2][5] == "" and rows[3][3] == ""  # no position; a book has no URL


def test_hypothesis_export_has_its_annotation_shape(ann_pages, export_bytes):
    document = json.loads(export_bytes(ann_pages.id, "hypothesis"))
    assert document["export_userid"] == "acct:ann@margins"
    first = document["annotations"][0]
    assert (first["id"], first["uri"], first["text"], first["tags"]) == (
        highlight_uuid(0, 0), "https://example.com/a", "why *this*", ["moon", "sea"])
    assert [s["type"] for s in first["target"][0]["selector"]] == [
        "RangeSelector", "TextPositionSelector", "TextQuoteSelector"]
    assert first["document"] == {"title": ["Tides"]}


@pytest.fixture
def noted_page(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/n", "title": "Noted", "note": "The whole page, **noted**.",
         "highlights": [{"exact": "A passage"}]}]))
    return ann


@pytest.mark.parametrize("format_name", ["markdown", "json", "hypothesis"])
def test_a_page_note_is_exported_where_the_format_has_a_place(noted_page, export_bytes, format_name):
    exported = export_bytes(noted_page.id, format_name).decode()
    if format_name == "markdown":
        assert exported.index("The whole page, **noted**.") < exported.index("> A passage")
    elif format_name == "json":
        assert json.loads(exported)["pages"][0]["note"] == "The whole page, **noted**."
    else:
        note, highlight = json.loads(exported)["annotations"]
        assert (note["text"], note["target"]) == ("The whole page, **noted**.", [{"source": "https://example.com/n"}])


@pytest.fixture
def spreadsheet_traps(ann, in_db):
    """Cells a web page controls that a spreadsheet would run, and two highlights alike in URL, place and text."""
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/t", "title": '=HYPERLINK("http://evil.example","click")', "author": "@ann",
         "highlights": [
             {"exact": "+1 for this", "note": "-5 degrees", "tags": ["@home"], "position": (5, 9),
              "prefix": "a ", "suffix": " b"},
             {"exact": "Twice", "position": (20, 25)},
             {"exact": "Twice", "position": (20, 25), "note": "\tindented"}]},
        {"url": "https://books.margins.invalid/a-book", "title": "A book", "highlights": [{"exact": "Bookish"}]},
    ]))
    return ann


def _cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]


def test_csv_cells_a_spreadsheet_would_run_are_neutralized_unless_asked(spreadsheet_traps, export_bytes, in_db):
    cells = _cells(export_bytes(spreadsheet_traps.id, "csv"))
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'@ann", "'+1 for this", "'-5 degrees", "'@home",
            "'\tindented"} <= set(cells)
    raw = in_db(lambda session: b"".join(exporting.export(session, spreadsheet_traps.id, "csv", exporting.Selection(),
                                                          keep_formulas=True)))
    assert '=HYPERLINK("http://evil.example","click")' in _cells(raw)


def test_csv_round_trip_is_exact_and_importing_again_changes_nothing(spreadsheet_traps, bob, export_bytes, in_db):
    exported = export_bytes(spreadsheet_traps.id, "csv")

    def into(session, user_id):
        summary = importing.import_file(session, user_id, "readwise-csv", exported)
        session.commit()
        return summary

    again = in_db(lambda session: into(session, spreadsheet_traps.id))
    assert (again.pages_created, again.highlights_created, again.highlights_updated, again.highlights_unchanged) == \
        (0, 0, 0, 4)
    into_bob = in_db(lambda session: into(session, bob.id))
    assert into_bob.highlights_created == 4  # the two alike stay two
    assert export_bytes(bob.id, "csv") == exported
    bobs = json.loads(export_bytes(bob.id, "json"))["pages"][0]
    assert [h["quote"]["exact"] for h in bobs["highlights"]] == ["+1 for this", "Twice", "Twice"]
    assert bobs["title"] == '=HYPERLINK("http://evil.example","click")'
