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
