"""CSV, W3C Web Annotation and Hypothesis exports: the shapes other tools read."""

import csv
import io
import json

import pytest

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
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Color", "Tags"]
    assert rows[1] == ["The tide, \"quoted\",\ncame in", "Tides", "Ann", "https://example.com/a", "why *this*", "10",
                       "2026-11-23 10:00:00", "blue", "moon, sea"]
    assert rows[2][5] == "" and rows[3][3] == ""  # no position; a book has no URL


def test_web_annotations_highlight_with_quote_position_comment_and_tags(ann_pages, export_bytes):
    document = json.loads(export_bytes(ann_pages.id, "w3c"))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    first, second, _ = document["first"]["items"]
    assert first["id"] == f"urn:uuid:{highlight_uuid(0, 0)}" and first["motivation"] == "highlighting"
    assert first["target"]["source"] == "https://example.com/a" and first["target"]["styleClass"] == "blue"
    assert first["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "The tide, \"quoted\",\ncame in", "prefix": "when ", "suffix": " again"},
        {"type": "TextPositionSelector", "start": 10, "end": 30}]
    assert first["body"] == [
        {"type": "TextualBody", "value": "why *this*", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "moon", "purpose": "tagging"},
        {"type": "TextualBody", "value": "sea", "purpose": "tagging"}]
    assert [s["type"] for s in second["target"]["selector"]] == ["TextQuoteSelector"] and second["body"] == []


def test_hypothesis_export_has_its_annotation_shape(ann_pages, export_bytes):
    document = json.loads(export_bytes(ann_pages.id, "hypothesis"))
    assert document["export_userid"] == "acct:ann@margins"
    first = document["annotations"][0]
    assert (first["id"], first["uri"], first["text"], first["tags"]) == (
        highlight_uuid(0, 0), "https://example.com/a", "why *this*", ["moon", "sea"])
    assert [s["type"] for s in first["target"][0]["selector"]] == [
        "RangeSelector", "TextPositionSelector", "TextQuoteSelector"]
    assert first["document"] == {"title": ["Tides"]}
