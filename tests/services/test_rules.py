"""The rules the server shares with the extension, run on the vectors in
tests/fixtures/rules/ (extension/test/rules.test.js runs the same files
against the extension's code): where both sides keep an implementation,
these files are the contract."""

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from server.models import COLORS, Page, Tag
from server.models.highlight import PALETTE
from server.services import highlights, library, pages
from server.services.errors import Invalid
from server.services.exporting import Selection
from server.services.exporting.fragments import fragment_for
from server.services.exporting.selection import iter_entries
from server.services.tags import clean_tag_name, split_tags
from server.services.urlkeys import TRACKING_PARAMS, InvalidURL, normalize_url
from tests.paths import REPO, RULES
from tests.services.exporting.seeding import seed


def rules(name: str) -> dict:
    return json.loads((RULES / f"{name}.json").read_text(encoding="utf-8"))


def cases(name: str, part: str = "vectors") -> list:
    """The rule's vectors as pytest parameters, each named by its why."""
    return [pytest.param(vector, id=vector["why"]) for vector in rules(name)[part]]


def outcome(function, argument, refusal: type[Exception]) -> tuple:
    """(function(argument), None), or (None, the message) when it raises ``refusal``."""
    try:
        return function(argument), None
    except refusal as refused:
        return None, str(refused)


# --- URL keys -------------------------------------------------------------------

@pytest.mark.parametrize("vector", cases("url-keys"))
def test_url_key(vector):
    key, refusal = outcome(normalize_url, vector["url"], InvalidURL)
    assert key == vector["key"]
    if key is None:
        assert vector.get("error", "").lower() in refusal.lower()
        assert "http://" in refusal and "https://" in refusal  # says what is accepted


@pytest.mark.parametrize("vector", cases("url-keys", "same_key"))
def test_spellings_of_one_page_give_one_url_key(vector):
    assert len({normalize_url(url) for url in vector["urls"]}) == 1


@pytest.mark.parametrize("name", sorted(TRACKING_PARAMS))
def test_every_tracking_parameter_of_the_shared_list_is_dropped(name):
    assert normalize_url(f"https://example.com/a?{name.upper()}=1&b=2") == "https://example.com/a?b=2"


# --- text-fragment links --------------------------------------------------------

@pytest.mark.parametrize("vector", cases("text-fragments"))
def test_text_fragment(vector):
    fragment = fragment_for(vector["prefix"], vector["exact"], vector["suffix"])
    assert (fragment.directive() if fragment else None) == vector["fragment"]


@pytest.mark.parametrize("vector", cases("text-fragments", "on_the_snapshot_vectors"))
def test_text_fragment_on_the_snapshot(vector):
    fragment = fragment_for(vector["prefix"], vector["exact"], vector["suffix"], vector["text"])
    assert fragment.directive() == vector["fragment"]


# --- tag names ------------------------------------------------------------------

@pytest.mark.parametrize("vector", cases("tag-names", "names"))
def test_tag_name(vector):
    stored, refusal = outcome(clean_tag_name, vector["raw"], Invalid)
    assert stored == vector["stored"]
    if stored is None:
        assert {"empty": "empty", "long": "at most"}[vector["error"]] in refusal


@pytest.mark.parametrize("vector", cases("tag-names", "typed"))
def test_typed_tags(vector):
    assert split_tags(vector["text"]) == vector["tags"]


@pytest.mark.parametrize("vector", cases("tag-names", "filters"))
def test_every_tag_filter_finds_a_tag_by_the_spelling_a_write_stores(vector, ann, in_db):
    """The library's page list, the API's highlight list and exports, each filtered by the vector's spelling."""
    def check(session):
        seed(session, ann.id, [{"path": "tagged", "highlights": [{"exact": "a tagged passage", "tags": [vector["saved"]]}]}])
        by = vector["filter"]
        found = {
            "library": [page.url for page in pages.list_pages(session, ann.id, tag=by)[0]],
            "API": [item.page.url for item in highlights.feed(session, ann.id, tag=by).items],
            "export": [entry.page.url for entry in iter_entries(session, ann.id, Selection(tag=by))],
        }
        assert found == dict.fromkeys(found, ["https://example.com/0/tagged"] if vector["finds"] else [])

    in_db(check)


# --- reading order --------------------------------------------------------------

@pytest.mark.parametrize("vector", cases("reading-order"))
def test_every_list_of_a_pages_highlights_is_in_reading_order(vector, ann, in_db):
    """The page view, the library's previews, the tag page and exports, on one page whose
    highlights (each tagged, so the tag page lists them) are made in the vector's order."""
    def check(session):
        seed(session, ann.id, [{"path": "read", "highlights": [
            {"exact": item["id"], "tags": ["t"], "position": None if item["start"] is None else (item["start"], 5),
             "pages": None if item.get("page") is None else (item["page"], item["page"]),
             "created_at": datetime.fromisoformat(item["created_at"])}
            for item in vector["highlights"]]}])
        page = session.scalar(select(Page))
        tag = session.scalar(select(Tag))
        lists = {
            "page view": pages.page_highlights(session, page),
            "library": library.previews(session, ann.id, [page.id]).get(page.id, []),
            "tag page": [h for _, group in library.highlights_by_page(session, ann.id, tag) for h in group] if tag else [],
            "export": [h for entry in iter_entries(session, ann.id, Selection(page_id=page.id)) for h in entry.highlights],
        }
        assert {name: [h.exact for h in items] for name, items in lists.items()} == dict.fromkeys(lists, vector["order"])

    in_db(check)


# --- palette --------------------------------------------------------------------

def test_the_server_takes_its_color_names_from_the_palette():
    assert COLORS == tuple(json.loads((REPO / "server" / "models" / "palette.json").read_text())["colors"])
    assert "Colors are one of " + ", ".join(f"`{name}`" for name in COLORS) + "." in (REPO / "docs" / "api.md").read_text()


def test_the_web_views_css_holds_the_palettes_values_and_a_rule_for_each_color_only():
    css = (REPO / "server" / "static" / "margins.css").read_text()
    variables = dict(re.findall(r"--([a-z]+(?:-edge)?): (#[0-9a-f]{6})", css))
    for name, values in PALETTE.items():
        assert (variables.get(name), variables.get(f"{name}-edge")) == (values["tint"], values["edge"]), name
    for pattern in (r"\.color-([a-z]+) \{", r"mark\.margins-([a-z]+) \{", r"::highlight\(margins-([a-z]+)\) \{"):
        assert tuple(re.findall(pattern, css)) == COLORS, pattern
