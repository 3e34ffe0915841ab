"""Hypothesis export JSON, and Margins' own Hypothesis export read back."""

import json
from datetime import datetime, timezone

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


def test_one_annotation_as_the_api_answers_for_its_id():
    (page,) = parse(fixture_bytes("hypothesis", "single.json")).pages
    (highlight,) = page.highlights
    assert (page.url, page.metadata["title"], highlight.exact) == (
        "https://example.org/one", "One Page", "one sentence worth keeping")
    assert highlight.updated_at == datetime(2024, 3, 2, 10, 30, tzinfo=timezone.utc)


def test_the_2014_api_with_a_string_title_a_page_note_and_a_reply():
    (page,) = parse(fixture_bytes("hypothesis", "api-2014.json")).pages
    assert page.metadata == {"title": "An Old Post", "note": "A note on the whole post."}
    (highlight,) = page.highlights  # the reply is left out
    assert (highlight.exact, highlight.position_start, highlight.tags) == ("words from long ago", 12, ["history"])


def test_updated_is_kept_so_export_import_export_gives_the_same_file(ann, bob, in_db):
    def round_trip(session):
        importing.import_file(session, ann.id, "hypothesis", fixture_bytes("hypothesis", "api-2014.json"))
        session.commit()
        first = b"".join(exporting.export(session, ann.id, "hypothesis", Selection()))
        importing.import_file(session, bob.id, "hypothesis", first)
        session.commit()
        second = b"".join(exporting.export(session, bob.id, "hypothesis", Selection()))
        return first, second

    first, second = in_db(round_trip)
    document = json.loads(first)
    note, highlight = document["annotations"]
    assert (note["text"], note["target"]) == ("A note on the whole post.", [{"source": "http://old.example/post"}])
    assert (highlight["created"], highlight["updated"]) == ("2014-11-20T17:01:48.127393Z",
                                                            "2014-11-21T08:15:00.000000Z")
    assert second.replace(b"acct:bob@", b"acct:ann@") == first
