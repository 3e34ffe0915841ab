"""Malformed files get 422 naming the line or record, never a 500, and nothing is stored (through the API)."""

import json
import re

import pytest

from tests.import_jobs import imported

from .fixtures import fixture_bytes


def _margins(page: dict | None = None, highlight: dict | None = None, snapshot: dict | None = None) -> bytes:
    page = {"url": "https://example.com/x", "highlights": [], **(page or {})}
    if highlight is not None:
        page["highlights"] = [{"id": "0b6a1f4e-8c2d-4f7a-9e3b-5d1c2a7f8e90", "quote": {"exact": "x"}, **highlight}]
    if snapshot is not None:
        page["snapshots"] = [{"html": "<p>x</p>", "captured_at": "2026-01-01T00:00:00Z", **snapshot}]
    return json.dumps({"format": "margins", "version": 1, "tags": [], "pages": [page]}).encode()


def _nested_range(levels: int) -> bytes:
    """A Margins file whose range nests ``levels`` deep (written as text: json.dumps would recurse as deep)."""
    inner = '{"startContainer": "/p", "startOffset": 0, "endContainer": "/p", "endOffset": 1}'
    marker = '"__range__"'
    file = _margins(highlight={"range": "__range__"}).decode()
    return file.replace(marker, '{"inner": ' * levels + inner + "}" * levels).encode()


CLIPPING = "Book (A)\n- Your Highlight on Location {location} | Added on Monday, March 5, 2018 10:15:02 PM\n\nx\n" \
           "==========\n"
CASES = [
    ("kindle", CLIPPING.format(location="7" * 5000).encode(), r"^line 2: location 7{12}.* is larger than any book"),
    ("readwise-csv", "Highlight,Title,Location\nx,Book,²\n".encode(), r"^line 2: the Location '²' is not a whole"),
    ("readwise-csv", b"Highlight,Title,Date\nx,Book,0001-01-01T00:00:00+05:00\n", r"^line 2: the Date .* out of range"),
    ("margins", _margins(page={"word_count": 2**63}), r"^pages\[0\]: 'word_count' is out of range"),
    ("margins", _margins(snapshot={"word_count": 2**63}), r"^pages\[0\]\.snapshots\[0\]: 'word_count' is out"),
    ("margins", _nested_range(100), r"^pages\[0\]\.highlights\[0\]: a value is nested more than 16"),
    ("margins", _nested_range(950), r"nested"),  # refused by the JSON reader or by the depth check
    ("margins", _margins(highlight={"position": {"start": 2**63, "end": 2**63}}), r"^pages\[0\]\.highlights\[0\]\.position: 'start' is out"),
    ("margins", _margins(page={"language": "x" * 5000}), r"^pages\[0\]: 'language' is longer than 35"),
    ("margins", _margins(snapshot={"extractor_version": "v" * 300}), r"^pages\[0\]\.snapshots\[0\]: 'extractor_vers"),
    ("margins", _margins(page={"created_at": "9999-12-31T23:59:59-01:00"}), r"^pages\[0\]: 'created_at' is not"),
    ("hypothesis", json.dumps({"rows": [{"id": "a", "uri": "https://e.x/", "target": [{"selector": [
        {"type": "TextQuoteSelector", "exact": "x"}, {"type": "TextPositionSelector", "start": -1, "end": 2**40}]}]}]
    }).encode(), r"^rows\[0\]\.target\[0\]\.selector\[1\]: 'end' is out of range"),
    ("readwise-json", json.dumps({"results": [{"title": "T", "highlights": [{"text": "x", "location": 2**70}]}]})
     .encode(), r"^results\[0\]\.highlights\[0\]: position 1180591620717411303424\.\."),
    ("glasp", b"[" * 100_000, r"^the file: JSON nested too deeply"),
]


@pytest.mark.parametrize("format_name, data, message", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_malformed_file_is_refused_naming_where(ann, format_name, data, message):
    answer = ann.api.client.post(f"/api/v1/import?format={format_name}", headers=ann.api.headers, data=data,
                                 content_type="application/octet-stream")
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] == "invalid_import"
    assert re.search(message, answer.json["error"]["message"]), answer.json["error"]["message"]
    assert ann.api.get("/export", format="json").json["pages"] == []


def test_a_kindle_file_with_one_bad_entry_imports_the_rest_and_names_it(ann):
    data = fixture_bytes("kindle", "german.txt") + CLIPPING.format(location="9" * 5000).encode()
    summary = imported(ann.api, "kindle", data, content_type="text/plain")
    assert summary["highlights_created"] == 1
    assert summary["skipped"] == [f"line 17: location {'9' * 12} is larger than any book has"]
