"""``flask snapshots reprocess``: stored snapshots cleaned again by the current extractor.

Pages come in through the API with their HTML, as the extension sends them;
the test then makes some snapshots look as an older extractor left them
(another version, other content) and runs the real command in a subprocess
on the same database.
"""

import zlib

import pytest
from sqlalchemy import select, update

from server.db import db
from server.models import Page, Snapshot
from server.services import reprocessing
from server.services.extraction import EXTRACTOR_VERSION
from tests.live_server import run_cli

STALE = "stale text an old extractor kept"


def article_page(title: str, topic: str) -> str:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story about {topic}, long enough to count as the article's text, "
        f"with words that readability scores well.</p>" for n in range(6)
    )
    return (f"<html><head><title>{title} | Example News</title>"
            f'<meta property="og:site_name" content="Example News">'
            f'<meta name="author" content="Ada Writer"></head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World news</a></nav>'
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Copyright Example News, all rights reserved</footer></body></html>")


@pytest.fixture
def cli(database_url, tmp_path):
    def run(*args: str):
        return run_cli(["snapshots", "reprocess", *args], database_url=database_url,
                       instance_path=tmp_path / "instance")

    return run


@pytest.fixture
def save_page(in_db):
    """PUT a page with HTML as `person`; returns its snapshot's id."""

    def save(person, slug: str, title: str) -> int:
        answer = person.api.put("/pages", {"url": f"https://news.example.com/{slug}",
                                           "html": article_page(title, slug)})
        assert answer.status_code in (200, 201), answer.json
        return in_db(lambda s: s.scalar(select(Snapshot.id).where(Snapshot.page_id == answer.json["id"])))

    return save


@pytest.fixture
def make_stale(app, in_db):
    """Make snapshots look as extractor version "0" left them, their page's metadata lost."""

    def stale(*snapshot_ids: int) -> None:
        def write(session):
            session.execute(update(Snapshot).where(Snapshot.id.in_(snapshot_ids)).values(
                extractor_version="0", content_html=f"<p>{STALE}</p>", text=STALE, word_count=6))
            page_ids = select(Snapshot.page_id).where(Snapshot.id.in_(snapshot_ids))
            session.execute(update(Page).where(Page.id.in_(page_ids)).values(
                title="Old title", author=None, word_count=6))
            session.commit()

        in_db(write)

    return stale


def snapshot_row(in_db, snapshot_id: int) -> dict:
    return in_db(lambda s: s.execute(
        select(Snapshot.extractor_version, Snapshot.text, Snapshot.word_count, Page.title, Page.author,
               Page.word_count.label("page_words"))
        .join(Page, Page.id == Snapshot.page_id).where(Snapshot.id == snapshot_id)
    ).one()._asdict())


def test_outdated_snapshots_are_cleaned_again(ann, save_page, make_stale, cli, in_db):
    old = save_page(ann, "old-story", "The old story")
    current = save_page(ann, "new-story", "The new story")
    make_stale(old)

    result = cli()

    assert result.returncode == 0, result.stderr
    assert "Cleaned 1 snapshots" in result.stdout
    assert "Cleaning snapshots" in result.stderr  # the progress bar
    cleaned = snapshot_row(in_db, old)
    assert cleaned["extractor_version"] == EXTRACTOR_VERSION
    assert STALE not in cleaned["text"]
    assert "Paragraph 5 of the story about old-story" in cleaned["text"]
    assert "World news" not in cleaned["text"] and "rights reserved" not in cleaned["text"]
    # The page takes the metadata found again.
    assert (cleaned["title"], cleaned["author"]) == ("The old story", "Ada Writer")
    assert cleaned["page_words"] == cleaned["word_count"] > 100
    assert snapshot_row(in_db, current)["text"] == snapshot_row(in_db, current)["text"].strip()


def test_current_snapshots_are_left_alone_unless_all(ann, save_page, make_stale, cli, in_db):
    first = save_page(ann, "first", "First story")
    make_stale(first)
    in_db(lambda s: (s.execute(update(Snapshot).where(Snapshot.id == first).values(
        extractor_version=EXTRACTOR_VERSION)), s.commit()))

    nothing = cli()
    assert nothing.returncode == 0, nothing.stderr
    assert f"Every snapshot is at extractor version {EXTRACTOR_VERSION}" in nothing.stdout
    assert snapshot_row(in_db, first)["text"] == STALE

    everything = cli("--all")
    assert everything.returncode == 0, everything.stderr
    assert "Cleaned 1 snapshots" in everything.stdout
    assert "Paragraph 0 of the story about first" in snapshot_row(in_db, first)["text"]


def test_user_option_limits_to_that_user(ann, bob, save_page, make_stale, cli, in_db):
    anns = save_page(ann, "ann-story", "Ann's story")
    bobs = save_page(bob, "bob-story", "Bob's story")
    make_stale(anns, bobs)

    result = cli("--user", "bob")

    assert result.returncode == 0, result.stderr
    assert "Cleaned 1 snapshots" in result.stdout
    assert snapshot_row(in_db, anns)["text"] == STALE
    assert snapshot_row(in_db, bobs)["extractor_version"] == EXTRACTOR_VERSION


def test_unknown_user_is_a_clear_error(cli):
    result = cli("--user", "nobody")
    assert result.returncode != 0
    assert "No user 'nobody'" in result.stderr and "flask users create nobody" in result.stderr


def test_a_renamed_title_is_kept(ann, save_page, make_stale, cli, in_db):
    snapshot_id = save_page(ann, "renamed", "Original headline")
    page_id = in_db(lambda s: s.scalar(select(Snapshot.page_id).where(Snapshot.id == snapshot_id)))
    assert ann.api.patch(f"/pages/{page_id}", {"title": "My own title"}).status_code == 200
    make_stale(snapshot_id)
    in_db(lambda s: (s.execute(update(Page).where(Page.id == page_id).values(title="My own title")),
                     s.commit()))

    assert cli().returncode == 0
    assert snapshot_row(in_db, snapshot_id)["title"] == "My own title"


def test_only_the_latest_snapshot_sets_page_metadata(ann, save_page, make_stale, in_db, app):
    """In-process, through the service: an older snapshot cleaned again leaves the page as it is."""
    older = save_page(ann, "story", "First version")
    answer = ann.api.put("/pages", {"url": "https://news.example.com/story",
                                    "html": article_page("Second version", "story")})
    assert answer.status_code == 200
    make_stale(older)

    with app.app_context():
        report = reprocessing.reprocess(db.session, [older])
    assert report.cleaned == 1
    assert snapshot_row(in_db, older)["extractor_version"] == EXTRACTOR_VERSION
    assert snapshot_row(in_db, older)["title"] == "Old title"


def test_damaged_raw_html_is_reported_and_the_rest_cleaned(ann, save_page, make_stale, cli, in_db):
    damaged = save_page(ann, "damaged", "Damaged story")
    fine = save_page(ann, "fine", "Fine story")
    make_stale(damaged, fine)
    in_db(lambda s: (s.execute(update(Snapshot).where(Snapshot.id == damaged).values(
        raw_html=b"not zlib data")), s.commit()))

    result = cli()

    assert result.returncode != 0
    assert f"ids {damaged}" in result.stderr and "capture those pages again" in result.stderr
    assert "Cleaned 1 snapshots" in result.stdout
    assert snapshot_row(in_db, fine)["extractor_version"] == EXTRACTOR_VERSION
    assert snapshot_row(in_db, damaged)["text"] == STALE
    assert zlib.decompress(in_db(lambda s: s.scalar(
        select(Snapshot.raw_html).where(Snapshot.id == fine))))
