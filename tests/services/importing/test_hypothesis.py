"""Hypothesis export JSON, and Margins' own Hypothesis export read back."""

import pytest

from server.services import exporting, importing
from server.services.exporting import Selection
from server.services.importing.hypothesis_json import parse
from server.services.importing.records import ImportFailed

from ..exporting.seeding import highlight_uuid, seed
from .fixtures import fixture_bytes


def test_annotations_with_quotes_become_highlights_page_notes_and_replies_do_not():
    (page,) = parse(fixture_bytes("hypothesis", "export.json")).pages
    assert (page.url, page.metadata["title"]) == ("https://example.com/essay", "An Essay")
    (highlight,) = page.highlights
    assert (highlight.exact, highlight.prefix, highlight.suffix) == (
        "a highlighted passage of text", "before it comes ", " and after")
    assert (highlight.position_start, highlight.position_end) == (300, 332)
    assert highlight.range_selector == {"startContainer": "/main[1]/p[2]", "startOffset": 10,
                                        "endContainer": "/main[1]/p[2]", "endOffset": 42}
    assert (highlight.note, highlight.tags) == ("My **note**", ["essay", "to read"])


def test_a_missing_quote_is_named_by_its_annotation():
    with pytest.raises(ImportFailed, match=r"^annotations\[0\]\.target\[0\]\.selector\[2\]: 'exact' is missing"):
        parse(fixture_bytes("hypothesis", "missing-exact.json"))


def test_margins_hypothesis_export_imports_back_onto_the_same_highlights(ann, bob, in_db):
    def round_trip(session):
        seed(session, ann.id, [{"url": "https://example.com/a", "title": "A", "highlights": [
            {"exact": "quoted", "prefix": "p ", "suffix": " s", "note": "n", "tags": ["t"], "position": (4, 6),
             "range": {"startContainer": "/p[1]", "startOffset": 0, "endContainer": "/p[1]", "endOffset": 6}}]}])
        exported = b"".join(exporting.export(session, ann.id, "hypothesis", Selection()))
        summary = importing.import_file(session, ann.id, "hypothesis", exported)
        assert summary.highlights_unchanged == 1 and summary.highlights_created == 0
        into_bob = importing.import_file(session, bob.id, "hypothesis", exported)
        assert into_bob.highlights_created == 1
        (page,) = importing.parse_file("hypothesis", exported).pages
        assert page.highlights[0].uuid == highlight_uuid(0, 0)

    in_db(round_trip)
