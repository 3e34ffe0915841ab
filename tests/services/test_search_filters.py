"""Search filters (tag, color, site) and prefixes: only what the filter names, ranked as usual."""

import uuid

import pytest

from server.services import search


def put(person, exact, *, url, color="yellow", tags=(), title="A page"):
    answer = person.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": url, "title": title, "quote": {"exact": exact, "prefix": "", "suffix": ""},
        "color": color, "note": "", "tags": list(tags)})
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


@pytest.fixture
def library(ann):
    return {
        "blue": put(ann, "tides follow the moon", url="https://example.com/a", color="blue"),
        "green": put(ann, "tides and storms", url="https://news.example.org/b", color="green", tags=["sea"]),
        "sub": put(ann, "tides of the north", url="https://blog.example.com/c", color="green"),
        "other": put(ann, "tides elsewhere", url="https://another.net/d"),
    }


def found(in_db, person, q, **filters):
    return in_db(lambda s: {hit.highlight.uuid if hit.highlight else ("page", hit.page.url)
                            for hit in search.hits(s, person.id, q, **filters)})


def test_color_keeps_highlights_of_that_color_only(ann, in_db, library):
    assert found(in_db, ann, "tides", color="green") == {library["green"], library["sub"]}


def test_site_keeps_the_site_and_its_subdomains_with_their_pages(ann, in_db, library):
    assert found(in_db, ann, "tides", site="www.example.com") == {library["blue"], library["sub"]}
    answer = ann.api.put("/pages", {"url": "https://example.com/tides-page", "html":
                                    "<html><head><title>Tides</title></head><body><article><h1>Tides</h1>"
                                    + "<p>The tides rise and fall twice a day along every coast.</p>" * 5
                                    + "</article></body></html>"})
    assert answer.status_code in (200, 201), answer.json
    assert ("page", "https://example.com/tides-page") in found(in_db, ann, "tides", site="example.com")
    assert ("page", "https://example.com/tides-page") in found(in_db, ann, "tides")
    assert found(in_db, ann, "tides", site="example") == set()


def test_tag_keeps_highlights_carrying_it_or_on_a_page_carrying_it(ann, in_db, library):
    assert found(in_db, ann, "tides", tag="Sea") == {library["green"]}
    page_id = in_db(lambda s: [h.page.id for h in search.hits(s, ann.id, "north")])[0]
    assert ann.api.patch(f"/pages/{page_id}", {"tags": ["sea"]}).status_code == 200
    assert found(in_db, ann, "tides", tag="sea") == {library["green"], library["sub"]}


def test_a_tag_nobody_has_finds_nothing(ann, in_db, library):
    assert found(in_db, ann, "tides", tag="no such tag") == set()


def test_filters_combine(ann, in_db, library):
    assert found(in_db, ann, "tides", color="green", site="example.com") == {library["sub"]}


def test_another_users_tag_of_the_same_name_filters_nothing_of_theirs(ann, bob, in_db, library):
    put(bob, "tides for bob", url="https://example.com/bob", tags=["sea"])
    assert found(in_db, ann, "tides", tag="sea") == {library["green"]}


def test_a_word_ending_in_a_star_is_a_prefix(ann, in_db, library):
    assert found(in_db, ann, "stor*") == {library["green"]}
    assert found(in_db, ann, "stor") == set()
    assert found(in_db, ann, "nor* tid*") == {library["sub"]}


def test_a_filter_finds_its_matches_behind_any_number_of_newer_ones(ann, in_db, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)  # the index matches the filter before candidates are counted
    oldest = put(ann, "tides long ago", url="https://example.com/a", color="blue")
    for n in range(3):
        put(ann, f"tides of late {n}", url="https://example.com/a", color="green")
    assert found(in_db, ann, "tides", color="blue") == {oldest}


def test_a_facet_word_typed_as_a_query_finds_nothing(ann, in_db, library):
    tag_id = in_db(lambda s: s.scalar(search.tag_ids_named(ann.id, "sea")))
    for word in ("t%d" % tag_id, "c" + "green".encode().hex(), "s" + "example.com".encode().hex()):
        assert found(in_db, ann, word) == set()


@pytest.mark.parametrize("dense, narrow", [(1, 0), (10**6, 10**6), (10**6, 0)],
                         ids=["walked by key", "facet rows first", "by the planner"])
def test_each_way_of_reading_the_candidates_finds_the_same(ann, in_db, library, monkeypatch, dense, narrow):
    """PostgreSQL reads a range's candidates one of three ways, by a sample of its newest rows (on
    SQLite these settings change nothing)."""
    monkeypatch.setattr(search, "DENSE", dense)
    monkeypatch.setattr(search, "NARROW", narrow)
    assert found(in_db, ann, "tides", color="green") == {library["green"], library["sub"]}
    assert found(in_db, ann, "tides", site="example.com", tag="sea") == set()
    assert found(in_db, ann, "tides") == set(library.values())
