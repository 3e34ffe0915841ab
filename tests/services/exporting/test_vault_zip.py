"""The vault as a zip (``export?format=obsidian``): one entry per page, each name unique and short enough
to extract anywhere, whatever the titles."""

import hashlib
import io
import zipfile

from sqlalchemy import select

from server.models import Page
from server.services.exporting.file_names import MAX_NAME_BYTES
from server.services.exporting.markdown import margins_id
from server.services.urlkeys import url_key

from .markdown_checks import split_front_matter
from .seeding import seed

FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467"


def entries(zip_bytes: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return [(info.filename, archive.read(info).decode()) for info in archive.infolist()]


def test_a_page_titled_as_another_pages_fallback_name_gets_an_entry_of_its_own(ann, in_db, export_bytes):
    # The second "Tides" falls back to "Tides (<its margins_id>).md", the name a page made before it has.
    second_url = "https://example.com/second"
    second_id = "p-" + hashlib.sha256(url_key(second_url).encode()).hexdigest()[:16]
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/fallback", "title": f"Tides ({second_id})"},
        {"url": "https://example.com/first", "title": "Tides"}, {"url": second_url, "title": "Tides"}]))
    assert in_db(lambda session: margins_id(session.scalar(select(Page).where(Page.url == second_url))) == second_id)

    files = entries(export_bytes(ann.id, "obsidian"))
    names = [name for name, _ in files]
    assert len({name.casefold() for name in names}) == 3, names
    assert {split_front_matter(text)[0]["margins_id"] for _, text in files} >= {second_id}


def test_titles_of_86_cjk_characters_or_64_emoji_give_entries_that_extract(ann, in_db, export_bytes, tmp_path):
    in_db(lambda session: seed(session, ann.id, [
        {"path": "cjk", "title": "潮" * 86}, {"path": "emoji", "title": FAMILY * 64},
        {"path": "cjk-2", "title": "潮" * 86}]))
    zip_bytes = export_bytes(ann.id, "obsidian")
    names = [name for name, _ in entries(zip_bytes)]
    assert len(names) == 3 and all(len(name.encode()) <= MAX_NAME_BYTES for name in names)
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        archive.extractall(tmp_path)  # the file system's 255 bytes a name: an OSError before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names)
