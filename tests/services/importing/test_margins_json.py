"""Margins JSON read back: what a broken or hostile file gets (the round trip is in exporting/)."""

import json

import pytest

from server.services import importing
from server.services.importing.margins_json import parse
from server.services.importing.records import ImportFailed

GOOD_HIGHLIGHT = {"id": "0b6a1f4e-8c2d-4f7a-9e3b-5d1c2a7f8e90", "quote": {"exact": "x"}, "color": "blue"}


def _file(**highlight) -> bytes:
    return json.dumps({"format": "margins", "version": 1, "tags": [], "pages": [
        {"url": "https://example.com/a", "highlights": [{**GOOD_HIGHLIGHT, **highlight}]}]}).encode()


@pytest.mark.parametrize("data, message", [
    (b'{"pages": []}', r"^the file: is not a Margins export"),
    (_file(id="not-a-uuid"), r"^pages\[0\]\.highlights\[0\]: 'id' 'not-a-uuid' is not a UUID"),
    (_file(quote={"prefix": "p"}), r"^pages\[0\]\.highlights\[0\]\.quote: 'exact' is missing"),
    (_file(created_at="yesterday"), r"^pages\[0\]\.highlights\[0\]: 'created_at' is not an ISO 8601 time"),
    (_file(tags="ai"), r"^pages\[0\]\.highlights\[0\]: 'tags' should be list"),
    (_file(position={"start": "3", "end": 4}), r"'start' should be int"),
])
def test_broken_records_are_named(data, message):
    with pytest.raises(ImportFailed, match=message):
        parse(data)


@pytest.mark.parametrize("bad", ["nul \u0000 inside", "lone \ud800 surrogate"])
def test_text_no_database_can_store_is_refused(ann, in_db, bad):
    data = json.dumps({"format": "margins", "pages": [
        {"url": "https://example.com/fine", "highlights": [GOOD_HIGHLIGHT]},
        {"url": "https://example.com/a", "highlights": [{**GOOD_HIGHLIGHT, "id": GOOD_HIGHLIGHT["id"][:-1] + "1",
                                                         "note": bad}]}]}).encode()

    def attempt(session):
        with pytest.raises(ImportFailed, match=r"^pages\[1\]\.highlights\[0\]: contains a NUL"):
            importing.import_file(session, ann.id, "margins", data)

    in_db(attempt)
    assert ann.api.get("/pages").json["items"] == []


@pytest.mark.parametrize("pages, problem", [
    ({"first": 0, "last": 1}, "PDF pages 0..1"),
    ({"first": 3, "last": 2}, "PDF pages 3..2"),
    ({"first": 1, "last": 100_001}, "PDF pages 1..100001"),
])
def test_a_json_file_with_impossible_pdf_pages_is_refused_and_nothing_is_stored(pages, problem, ann, in_db):
    document = {"format": "margins", "pages": [{"url": "https://example.com/paper.pdf", "highlights": [
        {"id": "3f2b5e1c-8d4a-4e6b-9c1d-2a3b4c5d6e7f", "quote": {"exact": "words"}, "pages": pages}]}]}

    def run(session):
        with pytest.raises(ImportFailed, match=problem):
            importing.import_file(session, ann.id, "json", json.dumps(document).encode())

    in_db(run)
    assert ann.api.get("/pages").json["items"] == []
