"""W3C Web Annotation JSON-LD from other tools: collections, pages, single annotations, in the model's shapes."""

import json

import pytest

from server.services.importing.records import ImportFailed
from server.services.importing.web_annotation import parse

from ..exporting.test_web_annotation import W3C_EXAMPLES
from .fixtures import fixture_bytes


def test_the_w3cs_example_of_a_quote_becomes_a_highlight():
    (page,) = parse(json.dumps(W3C_EXAMPLES[2]).encode()).pages
    (highlight,) = page.highlights
    assert (page.url, highlight.exact, highlight.prefix, highlight.suffix) == (
        "http://example.org/page1", "anotation", "this is an ", " that has some")
    assert highlight.note == "" and highlight.color == "yellow"  # the body is an IRI: nothing to keep


def test_a_tools_collection_with_a_second_page_inline_and_a_page_comment():
    parsed = parse(fixture_bytes("w3c", "collection.jsonld"))
    (page,) = parsed.pages
    assert page.metadata == {"title": "A Field Guide", "note": "Worth a second read."}
    first, second = page.highlights
    assert (first.exact, first.note, first.tags, first.color) == ("moss grows", "on the north side?", ["botany"],
                                                                  "green")
    assert (first.position_start, first.position_end) == (40, 50)
    assert second.where == "first.next.items[0]" and second.uuid != first.uuid


def test_what_is_not_web_annotation_is_refused_naming_it():
    with pytest.raises(ImportFailed, match="^the file: is not W3C Web Annotation JSON"):
        parse(b'{"annotations": []}')
    with pytest.raises(ImportFailed, match=r"^first.items\[0\].target: the target 'urn:x' is not a web address"):
        parse(b'{"type": "AnnotationCollection", "first": {"items": [{"id": "a", "type": "Annotation", '
              b'"target": {"source": "urn:x", "selector": {"type": "TextQuoteSelector", "exact": "x"}}}]}}')
