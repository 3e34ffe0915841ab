"""Front matter written without PyYAML for simple values is byte for byte what PyYAML writes."""

from datetime import datetime

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from server.services.exporting.front_matter import _Dumper, dumped

pieces = st.sampled_from(["a", "Z", "Title", " ", "  ", ":", ": ", " #", "#", "'", '"', "-", "- ", "?", ",", "[", "]",
                          "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "~", "=", "<<", ".", "1", "0x1", "2026-01-01",
                          "1:2", "yes", "No", "TRUE", "off", "null", "NULL", "é", "\n", "\t", "\u2028", "\x85"])
texts = st.lists(pieces, max_size=8).map("".join) | st.text(max_size=12)
values = (texts | st.integers(0, 10**6) | st.datetimes(max_value=datetime(9999, 12, 31))
          | st.lists(texts, min_size=1, max_size=3))
front_matters = st.dictionaries(st.sampled_from(["title", "url", "author", "site", "tags", "created", "highlights"]),
                                values, min_size=1, max_size=7)


@settings(max_examples=1500, deadline=None)
@given(front_matters)
def test_front_matter_is_what_pyyaml_writes(data):
    assert dumped(data) == yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)


def test_simple_titles_are_plain_and_ones_with_a_colon_are_quoted():
    assert dumped({"title": "Tides and moons", "highlights": 2}) == "title: Tides and moons\nhighlights: 2\n"
    assert dumped({"title": "Article 1: it's"}) == "title: 'Article 1: it''s'\n"
    assert dumped({"title": "yes", "tags": ["a", "1984"]}) == "title: 'yes'\ntags:\n- a\n- '1984'\n"
