"""The rules the server shares with the extension, run on the vectors in
tests/fixtures/rules/ (extension/test/rules.test.js runs the same files
against the extension's code): where both sides keep an implementation,
these files are the contract."""

import json

import pytest

from server.services.exporting.fragments import fragment_for
from server.services.urlkeys import TRACKING_PARAMS, InvalidURL, normalize_url
from tests.paths import RULES


def rules(name: str) -> dict:
    return json.loads((RULES / f"{name}.json").read_text(encoding="utf-8"))


def cases(name: str, part: str = "vectors") -> list:
    """The rule's vectors as pytest parameters, each named by its why."""
    return [pytest.param(vector, id=vector["why"]) for vector in rules(name)[part]]


# --- URL keys -------------------------------------------------------------------

@pytest.mark.parametrize("vector", cases("url-keys"))
def test_url_key(vector):
    if vector["key"] is not None:
        assert normalize_url(vector["url"]) == vector["key"]
        return
    with pytest.raises(InvalidURL) as refused:
        normalize_url(vector["url"])
    message = str(refused.value)
    assert vector.get("error", "").lower() in message.lower()
    assert "http://" in message and "https://" in message  # says what is accepted


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
