"""Snapshots: the captured HTML kept compressed and once per page, the newest one found, and
stored snapshots cleaned again by the current extractor."""

import zlib

import pytest

from server.services import pages, snapshots
from server.services.extraction import EXTRACTOR_VERSION

from .factories import article_html, make_user

PARAGRAPH = "Élan, naïveté and façades: the quick brown fox — «vite» — jumps over the lazy dog. "
HTML = article_html("On foxes", PARAGRAPH * 20)


def capture(session, user, html: str = HTML, url: str = "https://example.com/foxes"):
    page, _ = pages.upsert_page(session, user.id, url, html=html)
    return page


def test_the_html_is_kept_compressed_and_comes_back_as_it_was_sent(session):
    page = capture(session, make_user(session))
    (snapshot,) = page.snapshots
    raw = HTML.encode("utf-8")
    assert snapshot.raw_size == len(raw) > len(HTML)  # bytes, not characters
    assert len(snapshot.raw_html) < len(raw) / 4
    assert zlib.decompress(snapshot.raw_html) == raw
    assert snapshots.snapshot_html(snapshot.raw_html) == HTML
    assert snapshot.sha256 == snapshots.html_digest(HTML)
    assert snapshot.extractor_version == EXTRACTOR_VERSION
    assert "quick brown fox" in snapshot.text and "<title>" not in snapshot.content_html  # the cleaned article


@pytest.mark.parametrize("damaged, error", [(b"not zlib at all", zlib.error),
                                            (zlib.compress(b"\xff\xfe latin-1 \xe9"), UnicodeDecodeError)])
def test_damaged_stored_html_says_so_rather_than_giving_garbage(damaged, error):
    with pytest.raises(error):
        snapshots.snapshot_html(damaged)


def test_the_same_html_again_is_stored_once_per_page(session):
    ann = make_user(session)
    page = capture(session, ann)
    capture(session, ann)
    other = capture(session, ann, url="https://example.com/mirror")
    assert len(page.snapshots) == 1
    assert len(other.snapshots) == 1  # another page keeps its own copy
    assert snapshots.has_snapshot(session, page, snapshots.html_digest(HTML))
    assert not snapshots.has_snapshot(session, page, snapshots.html_digest(HTML + " "))


def test_the_latest_snapshot_is_the_newest_capture(session):
    ann = make_user(session)
    page = capture(session, ann)
    assert snapshots.latest_snapshot(session, page).text.count("quick brown fox") == 20
    capture(session, ann, html=article_html("On foxes", "Foxes, revised: a shorter account of them. " * 5))
    assert "revised" in snapshots.latest_snapshot(session, page).text
    bare = pages.page_for_url(session, ann.id, "https://example.com/no-capture")
    assert snapshots.latest_snapshot(session, bare) is None
