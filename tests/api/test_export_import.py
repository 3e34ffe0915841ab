"""GET /api/v1/export and POST /api/v1/import, as clients call them."""

import io
import json
import zipfile

import pytest

from tests.import_jobs import imported
from tests.paths import REPO
from tests.services.exporting.seeding import seed

IMPORTS = REPO / "tests" / "fixtures" / "imports"

MARKER = "annsecret"


@pytest.fixture
def ann_data(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": f"Tides {MARKER}", "tags": ["sea"], "highlights": [
            {"exact": f"The tide came in {MARKER}", "color": "blue", "tags": ["water"], "note": "a note"},
            {"exact": "and went out again", "position": (10, 5)}]},
        {"url": "https://news.example.org/b", "title": "Other", "highlights": [{"exact": "elsewhere", "color": "pink"}]},
    ]))
    return ann


def _json_export(person, **filters) -> dict:
    answer = person.api.get("/export", format="json", **filters)
    assert answer.status_code == 200, answer.data
    return json.loads(answer.data)


def _quotes(export: dict) -> list[str]:
    return [h["quote"]["exact"] for page in export["pages"] for h in page["highlights"]]


@pytest.mark.parametrize("format_name, media_type, opens", [
    ("json", "application/json", json.loads),
    ("markdown", "text/markdown", bytes.decode),
    ("obsidian", "application/zip", lambda data: zipfile.ZipFile(io.BytesIO(data)).namelist()),
    ("csv", "text/csv", bytes.decode),
    ("w3c", "application/ld+json", json.loads),
    ("hypothesis", "application/json", json.loads),
])
def test_every_format_downloads_as_an_attachment(ann_data, format_name, media_type, opens):
    answer = ann_data.api.get("/export", format=format_name)
    assert answer.status_code == 200, answer.data
    assert answer.mimetype == media_type
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=\"margins-")
    assert opens(answer.data)


def test_filters_narrow_the_export_like_the_lists(ann_data):
    assert sorted(_quotes(_json_export(ann_data))) == sorted(
        [f"The tide came in {MARKER}", "and went out again", "elsewhere"])
    assert _quotes(_json_export(ann_data, color="pink")) == ["elsewhere"]
    assert _quotes(_json_export(ann_data, tag="water")) == [f"The tide came in {MARKER}"]
    assert len(_quotes(_json_export(ann_data, tag="sea"))) == 2  # the page's tag covers its highlights
    assert _quotes(_json_export(ann_data, domain="example.org")) == ["elsewhere"]
    assert _quotes(_json_export(ann_data, q="WENT OUT")) == ["and went out again"]
    page_id = ann_data.api.get("/pages", q="Other").json["items"][0]["id"]
    assert _quotes(_json_export(ann_data, page=page_id)) == ["elsewhere"]


def test_exports_hold_only_the_callers_data(ann_data, bob):
    seed_bob = bob.api.put("/highlights/b0b0b0b0-0000-4000-8000-00000000b001",
                           {"url": "https://example.com/a", "quote": {"exact": "bob's own"}})
    assert seed_bob.status_code == 201
    for format_name in ("json", "markdown", "obsidian", "csv", "w3c", "hypothesis"):
        for filters in ({}, {"domain": "example.com"}, {"q": MARKER}, {"tag": "sea"}):
            answer = bob.api.get("/export", format=format_name, **filters)
            assert answer.status_code == 200
            assert MARKER.encode() not in answer.data
    assert _quotes(_json_export(bob)) == ["bob's own"]


def test_a_json_export_imports_into_another_account_and_again_changes_nothing(ann_data, bob):
    exported = ann_data.api.get("/export", format="json").data
    first = imported(bob.api, "json", exported, content_type="application/json")
    assert first == {"pages_created": 2, "highlights_created": 3, "highlights_updated": 0,
                     "highlights_unchanged": 0, "skipped": []}
    again = imported(bob.api, "json", exported, content_type="application/json")
    assert again["highlights_unchanged"] == 3 and again["pages_created"] == 0
    assert bob.api.get("/export", format="json").data == exported


def test_margins_is_another_name_for_the_json_import(ann_data, bob):
    """The name Margins JSON was imported by before it matched the export's still works."""
    exported = ann_data.api.get("/export", format="json").data
    assert imported(bob.api, "margins", exported)["highlights_created"] == 3
    assert bob.api.get("/export", format="json").data == exported


@pytest.mark.parametrize("format_name, fixture, pages, highlights", [
    ("kindle", "kindle/english.txt", 3, 5),
    ("kindle", "kindle/german.txt", 1, 1),
    ("readwise-csv", "readwise/import-template.csv", 2, 3),
    ("readwise-csv", "readwise/export.csv", 1, 2),
    ("readwise-json", "readwise/export.json", 2, 2),
    ("glasp", "glasp/export.json", 1, 2),
    ("hypothesis", "hypothesis/export.json", 1, 1),
])
def test_every_import_format_lands_once(ann, format_name, fixture, pages, highlights):
    data = (IMPORTS / fixture).read_bytes()

    def send():
        return imported(ann.api, format_name, data, content_type="application/octet-stream")

    first = send()
    assert (first["pages_created"], first["highlights_created"]) == (pages, highlights)
    exported = ann.api.get("/export", format="json").data
    again = send()
    assert again == {"pages_created": 0, "highlights_created": 0, "highlights_updated": 0,
                     "highlights_unchanged": highlights, "skipped": first["skipped"]}
    assert ann.api.get("/export", format="json").data == exported


def test_a_multipart_upload_works_too(ann_data, bob):
    exported = ann_data.api.get("/export", format="json").data
    summary = imported(bob.api, "margins", {"file": (io.BytesIO(exported), "margins.json")})
    assert summary["highlights_created"] == 3


def test_a_malformed_file_is_refused_naming_the_record_and_nothing_is_stored(ann_data, bob):
    export = _json_export(ann_data)
    export["pages"][1]["highlights"][0]["color"] = "mauve"
    answer = bob.api.client.post("/api/v1/import?format=margins", headers=bob.api.headers,
                                 data=json.dumps(export), content_type="application/json")
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "invalid_import"
    assert "pages[1].highlights[0]" in answer.json["error"]["message"]
    assert bob.api.get("/pages").json["items"] == []

    broken = bob.api.client.post("/api/v1/import?format=margins", headers=bob.api.headers,
                                 data=b'{"format": "margins",\n "pages": [,]}', content_type="application/json")
    assert broken.status_code == 422 and "line 2" in broken.json["error"]["message"]


def test_unknown_formats_and_missing_tokens_are_refused(ann_data, client):
    assert ann_data.api.get("/export", format="docx").status_code == 422
    answer = ann_data.api.client.post("/api/v1/import?format=docx", headers=ann_data.api.headers, data=b"x")
    assert answer.status_code == 422 and "format" in answer.json["error"]["fields"]
    assert client.get("/api/v1/export?format=json").status_code == 401
    assert client.post("/api/v1/import?format=kindle", data=b"x").status_code == 401
    empty = ann_data.api.client.post("/api/v1/import?format=margins", headers=ann_data.api.headers, data=b"")
    assert empty.status_code == 422 and "empty" in empty.json["error"]["message"]
