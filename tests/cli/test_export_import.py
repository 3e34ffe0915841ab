"""``flask export`` and ``flask import``: real processes on the test database, progress on stderr."""

import json

import pytest
from sqlalchemy import func, select

from server.models import Page
from tests.live_server import run_cli
from tests.paths import REPO
from tests.services.exporting.seeding import seed

KINDLE = REPO / "tests" / "fixtures" / "imports" / "kindle" / "english.txt"


@pytest.fixture
def cli(database_url, tmp_path):
    def run(*args: str, check: bool = False):
        return run_cli(list(args), database_url=database_url, instance_path=tmp_path / "instance", check=check)

    return run


@pytest.fixture
def ann_pages(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "highlights": [{"exact": "The tide came in", "color": "blue"}]},
        {"url": "https://example.com/b", "title": "Stars", "highlights": [{"exact": "A bright star"}]},
    ]))
    return ann


def test_export_writes_the_file_and_shows_progress(cli, ann_pages, tmp_path):
    out = tmp_path / "ann.json"
    result = cli("export", "json", "--user", "ann", "-o", str(out), "--color", "blue", check=True)
    assert "Exporting pages" in result.stderr and "Exported 1 pages." in result.stderr
    (page,) = json.loads(out.read_text())["pages"]
    assert page["highlights"][0]["quote"]["exact"] == "The tide came in"
    template = tmp_path / "mine.j2"
    template.write_text("{% for page in pages %}{{ page.title }}: {{ page.highlights | length }}\n{% endfor %}")
    listed = cli("export", "markdown", "--user", "ann", "--template", str(template), check=True)
    assert "Tides: 1\nStars: 1\n" in listed.stdout
    template.write_text("{{ page.title }}")  # a page template where the one-file form is asked for
    wrong = cli("export", "markdown", "--user", "ann", "--template", str(template))
    assert wrong.returncode == 1 and "'page' is undefined" in wrong.stderr and "Traceback" not in wrong.stderr


def test_what_export_json_writes_imports_with_import_json(cli, ann_pages, make_person, tmp_path):
    make_person("bob")
    out = tmp_path / "ann.json"
    cli("export", "json", "--user", "ann", "-o", str(out), check=True)
    result = cli("import", "json", str(out), "--user", "bob", check=True)
    assert "2 new pages, 2 new highlights" in result.stdout


def test_vault_sync_twice_writes_nothing_the_second_time(cli, ann_pages, tmp_path):
    vault = tmp_path / "vault"
    first = cli("export", "obsidian", "--user", "ann", "--vault", str(vault), check=True)
    assert "2 new files, 0 updated, 0 unchanged" in first.stderr
    second = cli("export", "obsidian", "--user", "ann", "--vault", str(vault), check=True)
    assert "0 new files, 0 updated, 2 unchanged" in second.stderr
    assert sorted(path.name for path in vault.iterdir()) == ["Stars.md", "Tides.md"]
    wrong = cli("export", "json", "--user", "ann", "--vault", str(vault))
    assert wrong.returncode == 2 and "--vault syncs Markdown files" in wrong.stderr



def test_article_and_raw_notes_flags_reach_the_vault_and_the_markdown_file(cli, ann, in_db, tmp_path):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "snapshot": "x", "snapshot_html": "<h2>Tables</h2>",
         "highlights": [{"exact": "The tide came in", "note": "<b>raw</b>"}]}]))
    vault = tmp_path / "vault"
    cli("export", "obsidian", "--user", "ann", "--vault", str(vault), "--article", check=True)
    synced = (vault / "Tides.md").read_text()
    assert "## Article\n\n## Tables\n" in synced and "> \\<b\\>raw\\</b\\>\n" in synced
    raw = cli("export", "markdown", "--user", "ann", "--raw-notes", check=True).stdout
    assert "> <b>raw</b>\n" in raw and "Tables" not in raw

def test_import_is_whole_and_repeatable(cli, ann, tmp_path, in_db):
    first = cli("import", "kindle", str(KINDLE), "--user", "ann", check=True)
    assert "3 new pages, 5 new highlights, 0 updated, 0 unchanged" in first.stdout
    assert "Importing pages" in first.stderr
    again = cli("import", "kindle", str(KINDLE), "--user", "ann", check=True)
    assert "0 new pages, 0 new highlights, 0 updated, 5 unchanged" in again.stdout
    broken = tmp_path / "broken.txt"
    broken.write_text("A book (Someone)\n- Your Highlight on page 1 | Location 1 | Added on x\n\nfine\n==========\n"
                      "no description here\n==========\n")
    skipping = cli("import", "kindle", str(broken), "--user", "ann", check=True)
    assert "1 new highlight," in skipping.stdout and "skipped line 6: a clipping needs" in skipping.stdout
    broken.write_text("no description here\n==========\n")
    failed = cli("import", "kindle", str(broken), "--user", "ann")
    assert failed.returncode == 1 and "line 1: a clipping needs" in failed.stderr
    assert in_db(lambda session: session.scalar(select(func.count()).select_from(Page))) == 4
