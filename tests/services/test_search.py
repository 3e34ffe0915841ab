"""The search service: kept current by every write, ranked, marked snippets, one user's data only."""

import time
import uuid

import pytest
from sqlalchemy import select

from bench.search import make_corpus
from server.db import db
from server.models import Highlight
from server.services import search


def put(person, exact, *, url="https://example.com/a", note="", title=None, tags=(), color="yellow"):
    highlight_id = str(uuid.uuid4())
    answer = person.api.put(f"/highlights/{highlight_id}", {
        "url": url, "title": title, "quote": {"exact": exact, "prefix": "", "suffix": ""},
        "color": color, "note": note, "tags": list(tags)})
    assert answer.status_code == 201, answer.json
    return answer.json


def found(in_db, person, q):
    return in_db(lambda s: [(r.page_id, r.highlight_id and r.highlight_id) for r in search.search(s, person.id, q)])


def texts(in_db, person, q):
    return in_db(lambda s: [str(r.body) for r in search.search(s, person.id, q)])


def test_finds_highlight_text_notes_and_titles_with_marked_snippets(ann, in_db):
    put(ann, "China is strategically championing open-source AI", note="compare with *Android*",
        title="Sovereign clouds")
    assert texts(in_db, ann, "championing") == ["China is strategically <mark>championing</mark> open-source AI"]
    results = in_db(lambda s: search.search(s, ann.id, "android"))
    assert "<mark>Android</mark>" in str(results[0].note)
    # The page's own row matches its title too; the highlight ranks first (title and text).
    assert len(found(in_db, ann, "sovereign")) == 2


def test_edits_and_deletes_keep_the_index_current(ann, in_db):
    made = put(ann, "Siemens builds resilience with separate stacks")
    assert ann.api.patch(f"/highlights/{made['id']}", {"note": "regional compliance"}).status_code == 200
    assert found(in_db, ann, "compliance")
    assert ann.api.delete(f"/highlights/{made['id']}").status_code == 204
    assert found(in_db, ann, "resilience") == [] and found(in_db, ann, "compliance") == []


def test_a_renamed_page_is_found_by_its_new_title_through_its_highlights(ann, in_db):
    made = put(ann, "Chips and closed models", title="Old name")
    assert ann.api.patch(f"/pages/{made['page_id']}", {"title": "Geopolitics digest"}).status_code == 200
    assert len(found(in_db, ann, "geopolitics")) == 2
    assert found(in_db, ann, "old") == []


def test_page_snapshot_text_is_searchable(ann, in_db):
    html = "<html><head><title>Clouds</title></head><body><article><h1>Clouds</h1>" + \
        "<p>Nations view domestic AI production as critical infrastructure, akin to energy or water.</p>" * 5 + \
        "</article></body></html>"
    page = ann.api.put("/pages", {"url": "https://example.com/clouds", "html": html}).json
    results = in_db(lambda s: search.search(s, ann.id, "infrastructure"))
    assert [(r.page_id, r.highlight_id) for r in results] == [(page["id"], None)]
    assert "<mark>infrastructure</mark>" in str(results[0].body)


def test_ranking_prefers_the_closer_match(ann, in_db):
    put(ann, "open-source models open-source models from China", url="https://example.com/1")
    put(ann, "models of weather, and elsewhere something open-source", url="https://example.com/2")
    first, *_ = texts(in_db, ann, "open-source models")
    assert first.startswith("<mark>open")


def test_other_users_highlights_are_never_found(ann, bob, in_db):
    put(ann, "a secret about semiconductors")
    assert found(in_db, bob, "semiconductors") == []


@pytest.mark.parametrize("q", ['"', "AND OR NOT", "NEAR(a b)", "col:umn", "a*^", "-", "'; DROP TABLE x; --", "(("])
def test_any_query_text_is_taken_literally(ann, in_db, q):
    put(ann, "plain words")
    assert isinstance(found(in_db, ann, q), list)


def test_snippets_escape_what_was_stored(ann, in_db):
    put(ann, "<img src=x onerror=alert(1)> payload")
    (body,) = texts(in_db, ann, "payload")
    assert "<img" not in body and "&lt;img" in body


def test_reindex_rebuilds_the_index_from_the_data(ann, app, in_db):
    put(ann, "sovereign clouds", title="Clouds")
    with app.app_context(), db.engine.begin() as connection:
        search.clear(connection)
    assert found(in_db, ann, "sovereign") == []
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 rows" in result.output
    assert len(found(in_db, ann, "clouds")) == 2


def test_new_highlights_put_in_the_index_are_found_once(ann, app, in_db):
    uuid_ = put(ann, "sovereign clouds")["id"]
    made = in_db(lambda s: s.execute(select(Highlight.page_id, Highlight.id).where(Highlight.uuid == uuid_)).one())
    with app.app_context(), db.engine.begin() as connection:
        search.clear(connection)
        search.index_new_highlights(connection, [made.id])
    assert found(in_db, ann, "sovereign") == [tuple(made)]


def test_a_typical_query_over_100000_highlights_of_real_text(ann, app, in_db):
    with app.app_context(), db.engine.begin() as connection:
        make_corpus(connection, ann.id, 100_000)
    began = time.perf_counter()
    results = in_db(lambda s: search.search(s, ann.id, "open-source models China"))
    elapsed = time.perf_counter() - began
    assert len(results) == 20
    assert all("<mark>" in str(r.body) + str(r.title) + str(r.note) for r in results)
    assert elapsed < 2.0, f"a typical query took {elapsed:.2f}s over 100,000 highlights"


def test_a_very_common_query_ranks_its_newest_matches(ann, in_db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    for n in range(4):
        put(ann, f"common word number {n}", url=f"https://example.com/{n}")
    assert sorted(texts(in_db, ann, "common")) == [f"<mark>common</mark> word number {n}" for n in (2, 3)]


def test_the_newest_matches_are_found_below_many_newer_rows(ann, in_db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    for exact in ["ancient rare word 0", "rare word 1", "rare word 2", *[f"other text {n}" for n in range(6)],
                  "rare word 3", "other text 6"]:
        put(ann, exact)
    assert sorted(texts(in_db, ann, "rare")) == ["<mark>rare</mark> word 2", "<mark>rare</mark> word 3"]
    assert texts(in_db, ann, "ancient") == ["<mark>ancient</mark> rare word 0"]
