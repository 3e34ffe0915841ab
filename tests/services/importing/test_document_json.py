"""Readwise's and Glasp's export JSON."""

from datetime import datetime, timezone

import pytest

from server.services.importing.document_json import parse_glasp, parse_readwise
from server.services.importing.records import ImportFailed

from .fixtures import fixture_bytes


def test_readwise_books_and_articles():
    book, article = parse_readwise(fixture_bytes("readwise", "export.json")).pages
    assert book.url == "https://books.margins.invalid/how-to-take-smart-notes--sönke-ahrens"
    assert book.tags == ["pkm"]
    (highlight,) = book.highlights  # the discarded one is left out
    assert (highlight.exact, highlight.note, highlight.tags) == (
        "Writing is not what follows research.", "Core idea", ["writing"])
    assert (highlight.position_start, highlight.position_end) == (120, 125)
    assert highlight.created_at == datetime(2020, 7, 13, 19, 40, tzinfo=timezone.utc)
    assert highlight.updated_at == datetime(2020, 7, 15, 10, tzinfo=timezone.utc)
    assert article.url == "https://anildash.com/2012/12/13/the_web_we_lost/"
    assert article.highlights[0].color == "blue"


def test_glasp_documents():
    (paper,) = parse_glasp(fixture_bytes("glasp", "export.json")).pages
    assert paper.url == "https://arxiv.org/abs/1706.03762" and paper.tags == ["ml", "papers"]
    assert paper.metadata == {"title": "Attention Is All You Need", "author": "Vaswani et al."}
    claim, other = paper.highlights
    assert (claim.note, claim.color) == ("key claim", "green")
    assert other.color == "yellow"
    assert claim.uuid != other.uuid and claim.uuid == parse_glasp(fixture_bytes("glasp", "export.json")).pages[0] \
        .highlights[0].uuid


def test_broken_files_name_the_record_or_line():
    with pytest.raises(ImportFailed, match=r"^results\[0\]\.highlights\[0\]: 'text' is missing"):
        parse_readwise(fixture_bytes("readwise", "missing-text.json"))
    with pytest.raises(ImportFailed, match=r"^line \d+, column \d+: not valid JSON"):
        parse_glasp(fixture_bytes("glasp", "truncated.json"))


def test_readwise_deleted_highlights_action_tags_and_document_notes():
    parsed = parse_readwise(fixture_bytes("readwise", "api-export.json"))
    (pools,) = parsed.pages
    assert pools.url == "https://tides.example/pools"
    assert pools.metadata["note"] == "Read this twice: the second half is better."
    assert [h.exact for h in pools.highlights] == ["The Pools", "A pool is an ocean that waits for the tide."]
    heading, pool = pools.highlights
    assert heading.tags == [] and pool.tags == ["sea"]  # .h1 and .c1 are instructions to Readwise
    assert parsed.skipped == ["1 highlight Readwise marks discarded or deleted (results[0].highlights[2])"]


def test_glasp_thoughts_and_comments_become_the_page_note():
    (page,) = parse_glasp(fixture_bytes("glasp", "thoughts.json")).pages
    assert page.metadata["note"] == "My thoughts: **slow** is a choice, not a speed."
    (plain,) = parse_glasp(fixture_bytes("glasp", "export.json")).pages
    assert "note" not in plain.metadata  # an empty document_note is no note
