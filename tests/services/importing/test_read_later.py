"""Omnivore's export zip, the Obsidian Web Clipper's highlights, Instapaper's and Raindrop.io's CSV."""

import csv
import io
import json
import re
import zipfile

import pytest

from server.services.importing.bookmarks_csv import parse_instapaper, parse_raindrop
from server.services.importing.omnivore import parse as parse_omnivore
from server.services.importing.records import ImportFailed
from server.services.importing.web_clipper import parse as parse_web_clipper
from tests.import_jobs import imported

from .fixtures import fixture_bytes


def _zip_texts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_omnivore_items_highlights_notes_and_labels_counted_independently():
    data = fixture_bytes("omnivore", "omnivore-export.zip")
    files = _zip_texts(data)
    items = [item for name, text in files.items() if name.startswith("metadata_") for item in json.loads(text)]
    web_items = [item for item in items if item["url"].startswith("http")]
    quotes = sum(len(re.findall(r"(?:^|\n\n)>", text)) for name, text in files.items() if name.startswith("highlights/"))
    parsed = parse_omnivore(data)
    assert len(parsed.pages) == len(web_items) == 3
    assert sum(len(page.highlights) for page in parsed.pages) == quotes == 4
    harbour = parsed.pages[0]
    assert (harbour.metadata["title"], harbour.metadata["note"], harbour.tags) == (
        "The Quiet Harbour", "This one stayed with me for days.", ["walks", "sea"])
    first, gulls, again = harbour.highlights
    assert (first.exact, first.note) == ("The water kept its own time,\nslower than the town's.", "Lovely line.")
    assert again.exact == first.exact and again.uuid != first.uuid  # the same passage twice stays twice
    assert parsed.skipped == ["metadata_0_to_3.json[2]: 'file:///tmp/upload.pdf' is not a web address"]


def test_omnivore_refuses_what_is_not_its_export():
    with pytest.raises(ImportFailed, match="^the file: is not a zip archive"):
        parse_omnivore(b"not a zip")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr("notes.txt", "x")
    with pytest.raises(ImportFailed, match="^the file: has no metadata_"):
        parse_omnivore(archive.getvalue())


def test_web_clipper_highlights_with_html_text_notes_and_colors():
    data = fixture_bytes("web-clipper", "highlights.json")
    expected = sum(len(page["highlights"]) for page in json.loads(data))
    soil, rain = parse_web_clipper(data).pages
    assert sum(len(page.highlights) for page in (soil, rain)) == expected == 3
    slow, worms = soil.highlights
    assert (slow.exact, slow.note, slow.color) == ("Soil is a slow kind of weather.", "keep this", "yellow")
    assert (worms.exact, worms.color) == ("Worms are engineers & farmers.", "green")
    assert rain.highlights[0].created_at.isoformat() == "2024-07-02T09:00:00+00:00"


def test_instapaper_rows_are_pages_their_selection_a_highlight():
    data = fixture_bytes("instapaper", "instapaper-export.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    pages = parse_instapaper(data).pages
    assert [page.url for page in pages] == [row["URL"] for row in rows]
    assert sum(len(page.highlights) for page in pages) == sum(1 for row in rows if row["Selection"].strip()) == 2
    one, two, three = pages
    assert (one.highlights[0].exact, one.tags) == ("The best notes are short.", [])
    assert two.metadata["title"] == "Two, with a comma" and two.tags == ["essays", "slow", "Reading/Essays"]
    assert three.highlights[0].exact == "A sentence that spans\na line break."
    assert one.created_at.isoformat() == "2024-06-01T08:20:00+00:00"


def test_raindrop_rows_with_highlights_notes_and_tags():
    data = fixture_bytes("raindrop", "raindrop-export.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    tides, plain = parse_raindrop(data).pages
    assert len(tides.highlights) == rows[0]["highlights"].count("Highlight:") == 2
    moon, port = tides.highlights
    assert (moon.exact, moon.note, port.exact) == ("The moon pulls, the sun nudges.", "nice",
                                                     "Every port has its own clock.")
    assert tides.metadata == {"title": "Tide Tables", "description": "How tides are predicted",
                              "note": "My note on the page"}
    assert tides.tags == ["sea", "tides"] and plain.highlights == []


@pytest.mark.parametrize("parse, data, message", [
    (parse_instapaper, b"URL,Title\nhttps://a.example/,A\n", "^line 1: the header has no selection column"),
    (parse_instapaper, b"URL,Title,Selection,Timestamp\nhttps://a.example/,A,,1e99\n", "^line 2: the Timestamp"),
    (parse_raindrop, b"id,title,url,highlights,created\n1,A,javascript:x,,\n", "^line 2: the URL 'javascript:x'"),
    (parse_raindrop, b"id,title,url,highlights,created\n1,A,https://a.example/,,yesterday\n", "^line 2: the created"),
    (parse_web_clipper, b'[{"url": "https://a.example/", "highlights": [{"text": "<p></p>"}]}]',
     r"^\[0\]\.highlights\[0\]: the highlight has no text"),
])
def test_broken_rows_are_named(parse, data, message):
    with pytest.raises(ImportFailed, match=message):
        parse(data)


@pytest.mark.parametrize("format_name, fixture, pages, highlights", [
    ("omnivore", "omnivore/omnivore-export.zip", 3, 4),
    ("web-clipper", "web-clipper/highlights.json", 2, 3),
    ("instapaper", "instapaper/instapaper-export.csv", 3, 2),
    ("raindrop", "raindrop/raindrop-export.csv", 2, 2),
    ("kobo", "kobo/KoboReader.sqlite", 1, 2),
    ("koreader", "koreader/all-books.json", 2, 4),
    ("apple-books", "apple-books/apple-books.zip", 1, 2),
])
def test_each_imports_once_through_the_api(ann, format_name, fixture, pages, highlights):
    data = fixture_bytes(*fixture.split("/"))

    def send():
        return imported(ann.api, format_name, data, content_type="application/octet-stream")

    first = send()
    assert (first["pages_created"], first["highlights_created"]) == (pages, highlights)
    again = send()
    assert (again["pages_created"], again["highlights_created"], again["highlights_updated"],
            again["highlights_unchanged"]) == (0, 0, 0, highlights)
