"""Vault sync: only changed files are written, file names stay, the user's own writing stays."""

import pytest
from sqlalchemy import select

from server.models import Page
from server.services.exporting import Selection, Source, sync_vault
from server.services.exporting.markdown import BEGIN, END, margins_id
from server.services.highlights import delete_highlight, patch_highlight
from server.services.pages import update_page

from .markdown_checks import blockquotes, split_front_matter
from .seeding import highlight_uuid, seed

USER_TOP = "My own intro, above the block.\n\n"
USER_BOTTOM = "\n## My thoughts\n\nWritten in Obsidian, below the block. <!-- margins:end -->? not a marker here\n"


@pytest.fixture
def sync(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/tides", "title": "Tides", "highlights": [
            {"exact": "The tide came in", "position": (0, 5)}, {"exact": "and went out", "position": (9, 5)}]},
        {"url": "https://example.com/stars", "title": "Stars", "highlights": [{"exact": "A bright star"}]},
    ]))

    def run(folder):
        return in_db(lambda session: sync_vault(Source(session, ann.id, Selection()), folder))

    return run


def _mtimes(folder):
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_a_second_sync_with_no_change_writes_nothing(sync, tmp_path):
    first = sync(tmp_path)
    assert (first.created, first.updated) == (2, 0)
    before = _mtimes(tmp_path)
    second = sync(tmp_path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert _mtimes(tmp_path) == before


def test_the_users_edits_outside_the_block_survive_three_syncs_with_changed_highlights(sync, tmp_path, in_db, ann):
    sync(tmp_path)
    tides = tmp_path / "Tides.md"
    tides.write_text(tides.read_text().replace(BEGIN, USER_TOP + BEGIN))
    tides.write_text(tides.read_text() + USER_BOTTOM)
    changes = [
        lambda s: patch_highlight(s, ann.id, highlight_uuid(0, 0), note="now with a note"),
        lambda s: delete_highlight(s, ann.id, highlight_uuid(0, 1)),
        lambda s: update_page(s, ann.id, s.scalar(select(Page.id).where(Page.url == "https://example.com/tides")),
                              title="Tides, renamed"),
    ]
    for change in changes:
        in_db(lambda s, change=change: (change(s), s.commit()))
        summary = sync(tmp_path)
        assert summary.updated == 1 and summary.created == 0
        text = tides.read_text()
        assert USER_TOP + BEGIN in text and text.endswith(END + "\n" + USER_BOTTOM)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Stars.md", "Tides.md"]
    front, body = split_front_matter(tides.read_text())
    assert front["title"] == "Tides, renamed" and front["highlights"] == 1
    assert [quote["text"].split(" — ")[0] for quote in blockquotes(body)] == ["The tide came in"]


def test_the_users_front_matter_keys_stay_and_a_moved_file_is_still_found(sync, tmp_path, in_db, ann):
    sync(tmp_path)
    (tmp_path / "notes").mkdir()
    moved = tmp_path / "notes" / "My tides.md"
    (tmp_path / "Tides.md").rename(moved)
    text = moved.read_text().replace("margins_id:", "aliases:\n- my alias\nmargins_id:", 1)
    moved.write_text(text)
    in_db(lambda s: (patch_highlight(s, ann.id, highlight_uuid(0, 0), color="green"), s.commit()))
    summary = sync(tmp_path)
    assert (summary.created, summary.updated) == (0, 1)
    assert not (tmp_path / "Tides.md").exists()
    front, body = split_front_matter(moved.read_text())
    assert front["aliases"] == ["my alias"] and "green" in body


def test_a_file_with_windows_line_ends_keeps_them(sync, tmp_path, in_db, ann):
    sync(tmp_path)
    tides = tmp_path / "Tides.md"
    tides.write_bytes(tides.read_bytes().replace(b"\n", b"\r\n") + b"Mine.\r\n")
    assert sync(tmp_path).updated == 0
    in_db(lambda s: (patch_highlight(s, ann.id, highlight_uuid(0, 0), note="new"), s.commit()))
    assert sync(tmp_path).updated == 1
    data = tides.read_bytes()
    assert b"\r\n> new\r\n" in data and data.endswith(b"Mine.\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_files_the_user_made_are_never_touched_or_removed(sync, tmp_path, in_db, ann):
    mine = tmp_path / "Tides.md"
    mine.write_text("# My own note called Tides\n")
    sync(tmp_path)
    assert mine.read_text() == "# My own note called Tides\n"
    assert any(name.startswith("Tides (p-") for name in (path.name for path in tmp_path.iterdir()))
    in_db(lambda s: (delete_highlight(s, ann.id, highlight_uuid(1, 0)), s.commit()))
    sync(tmp_path)
    assert (tmp_path / "Stars.md").exists() and mine.read_text() == "# My own note called Tides\n"


def test_a_file_the_user_made_under_the_fallback_name_is_not_overwritten_either(sync, tmp_path, in_db):
    tides_id = in_db(lambda session: margins_id(session.scalar(select(Page).where(Page.title == "Tides"))))
    mine = {tmp_path / "Tides.md": "# My note called Tides\n",
            tmp_path / f"tides ({tides_id}).md": "# Mine too, under the name Margins falls back to\n"}
    for path, text in mine.items():
        path.write_text(text)

    assert sync(tmp_path).created == 2
    assert all(path.read_text() == text for path, text in mine.items())
    made = tmp_path / f"Tides ({tides_id}) 2.md"
    assert split_front_matter(made.read_text())[0]["margins_id"] == tides_id
    assert sync(tmp_path).created == 0  # found again by its margins_id


def test_long_and_look_alike_titles_sync_to_files_of_their_own(sync, tmp_path, in_db, ann):
    family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"
    in_db(lambda session: seed(session, ann.id, [
        {"path": "cjk", "title": "潮" * 86}, {"path": "emoji", "title": family * 64},
        {"path": "nfd", "title": "Cafe\u0301"}, {"path": "nfc", "title": "Caf\u00e9"},
        {"path": "reserved", "title": "Con.txt"}, {"path": "bidi", "title": "report\u202efdp"}]))

    assert sync(tmp_path).created == 8
    names = sorted(path.name for path in tmp_path.iterdir())
    assert all(len(name.encode()) <= 200 for name in names)
    assert "Con_.txt.md" in names and "reportfdp.md" in names and "Café.md" in names
    assert len([name for name in names if name.startswith("Café")]) == 2
    assert sync(tmp_path).unchanged == 8
