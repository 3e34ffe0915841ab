"""The W3C export against the Web Annotation Data Model's rules, calibrated on the W3C's own examples."""

import json

import pytest

from server.services import importing

from .seeding import highlight_uuid, seed
from .web_annotation_rules import problems

#: The model's own examples (Examples 1, 5, 17, 38, 39 of the specification), as it writes them.
W3C_EXAMPLES = [
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/anno1", "type": "Annotation",
     "body": "http://example.org/post1", "target": "http://example.com/page1"},
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/anno5", "type": "Annotation",
     "body": {"type": "TextualBody", "value": "<p>j'adore !</p>", "format": "text/html", "language": "fr"},
     "target": "http://example.org/photo1"},
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/anno17", "type": "Annotation",
     "body": "http://example.org/comment1",
     "target": {"source": "http://example.org/page1", "selector": {
         "type": "TextQuoteSelector", "exact": "anotation", "prefix": "this is an ", "suffix": " that has some"}}},
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/collection1",
     "type": "AnnotationCollection", "label": "Steampunk Annotations", "creator": "http://example.com/publisher",
     "total": 42023, "first": "http://example.org/page1", "last": "http://example.org/page42"},
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://example.org/page1", "type": "AnnotationPage",
     "partOf": {"id": "http://example.org/collection1", "label": "Steampunk Annotations", "total": 42023},
     "next": "http://example.org/page2", "startIndex": 0, "items": [
         {"id": "http://example.org/anno1", "type": "Annotation", "body": "http://example.net/comment1",
          "target": "http://example.com/book/chapter1"},
         {"id": "http://example.org/anno2", "type": "Annotation", "body": "http://example.net/comment2",
          "target": "http://example.com/book/chapter2"}]},
]


@pytest.mark.parametrize("example", W3C_EXAMPLES, ids=["ex1", "ex5", "ex17", "ex38", "ex39"])
def test_the_rules_accept_the_w3cs_own_examples(example):
    assert problems(example) == []


def test_the_rules_catch_what_the_old_export_did():
    old = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "label": "Margins",
           "first": {"type": "AnnotationPage", "startIndex": 0, "items": [
               {"id": "urn:uuid:0b6a1f4e-8c2d-4f7a-9e3b-5d1c2a7f8e90", "type": "Annotation",
                "motivation": "highlighting", "body": [], "target": {"source": "https://example.com/a"}}]}}
    assert set(problems(old)) >= {"a Collection MUST have an IRI id", "a Collection SHOULD have a total",
                                  "a Page MUST have an IRI id", "a Page SHOULD have partOf",
                                  "items[0]: an empty body: no body SHOULD be no 'body' key"}


@pytest.fixture
def annotated(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "note": "The whole page, *noted*.", "highlights": [
            {"exact": "The tide came in", "prefix": "when ", "suffix": " again", "note": "why *this*",
             "tags": ["sea", "moon"], "color": "blue", "position": (10, 26),
             "range": {"startContainer": "/p[1]", "startOffset": 0, "endContainer": "/p[1]", "endOffset": 16}},
            {"exact": "No position, no note", "color": "pink"}]},
        {"url": "https://books.margins.invalid/a-book", "title": "A book", "highlights": [{"exact": "Bookish"}]},
    ]))
    return ann


def test_the_export_conforms_to_the_model(annotated, export_bytes):
    document = json.loads(export_bytes(annotated.id, "w3c"))
    assert problems(document) == []
    page = document["first"]
    assert document["id"].startswith("urn:uuid:") and page["id"].startswith("urn:uuid:")
    assert page["partOf"]["id"] == document["id"] and document["last"] == page["id"]
    assert document["total"] == page["partOf"]["total"] == len(page["items"]) == 4
    note, tide, plain, book = page["items"]
    assert (note["motivation"], note["body"][0]["value"], note["target"]) == (
        "commenting", "The whole page, *noted*.", {"id": "https://example.com/a", "type": "Text", "label": "Tides"})
    assert tide["id"] == f"urn:uuid:{highlight_uuid(0, 0)}"
    assert [s["type"] for s in tide["target"]["selector"]] == ["TextQuoteSelector", "TextPositionSelector",
                                                               "RangeSelector"]
    assert [b["purpose"] for b in tide["body"]] == ["commenting", "tagging", "tagging"]
    assert "body" not in plain and plain["target"]["styleClass"] == "pink"
    assert ".pink {" in plain["stylesheet"]["value"]


def test_the_same_data_gives_the_same_bytes(annotated, export_bytes):
    assert export_bytes(annotated.id, "w3c") == export_bytes(annotated.id, "w3c")
    assert export_bytes(annotated.id, "w3c", tag="sea") != export_bytes(annotated.id, "w3c")


def test_the_round_trip_is_exact_and_importing_again_changes_nothing(annotated, bob, export_bytes, in_db):
    exported = export_bytes(annotated.id, "w3c")

    def into(session, user_id):
        summary = importing.import_file(session, user_id, "w3c", exported)
        session.commit()
        return summary

    again = in_db(lambda session: into(session, annotated.id))
    assert (again.highlights_created, again.highlights_updated, again.highlights_unchanged) == (0, 0, 3)
    first = in_db(lambda session: into(session, bob.id))
    assert (first.pages_created, first.highlights_created) == (2, 3)
    assert json.loads(export_bytes(bob.id, "w3c"))["first"]["items"] == json.loads(exported)["first"]["items"]
