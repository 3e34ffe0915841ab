"""The export's speed shortcuts give exactly what the general code gives: plain text skips escaping,
ASCII skips quote(), and Margins' own templates (unsandboxed) render as they do in the sandbox."""

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from server.services.exporting.fragments import _ENCODED_WORDS, _encode, _EncodedWords
from server.services.exporting.markdown import TEMPLATES
from server.services.exporting.markup import escape_lines, escape_markdown

from .seeding import seed

texty = st.text(st.sampled_from(list("ab 1.-+=()#*_`[]<>|$^~%&\\\t\r\né\u2028\u00a0")), max_size=20) | st.text(max_size=20)


@settings(max_examples=800, deadline=None)
@given(texty)
def test_escaping_with_the_shortcut_is_escaping_line_by_line(text):
    assert escape_markdown(text) == escape_lines(text)


@settings(max_examples=800, deadline=None)
@given(texty)
def test_encoding_by_table_is_quote(text):
    assert _encode(text) == quote(text, safe="").replace("-", "%2D")


def test_encoding_stays_quote_when_the_words_it_keeps_are_emptied(monkeypatch):
    monkeypatch.setattr(_EncodedWords, "LIMIT", 3)
    text = "the tide (came) in, over-the rocks & sand; the tide"
    assert _encode(text) == quote(text, safe="").replace("-", "%2D") and len(_ENCODED_WORDS) <= 3


def test_the_built_in_templates_give_the_same_bytes_unsandboxed(ann, in_db, export_bytes):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides *and* [moons]", "author": "Ann", "note": "page **note**",
         "tags": ["sea"], "snapshot": "before The tide came in after", "highlights": [
             {"exact": "The tide came in", "prefix": "before ", "suffix": " after", "note": "a <b>note</b>",
              "tags": ["water", "R&D"], "position": (7, 16)},
             {"exact": "p. 3 words", "pages": (3, 4)}]},
        {"url": "https://example.com/b", "highlights": [{"exact": "elsewhere", "color": "pink"}]},
    ]))
    for format_name, template in (("markdown", "single.md.j2"), ("obsidian", "page.md.j2")):
        sandboxed = export_bytes(ann.id, format_name, (TEMPLATES / template).read_text())
        assert export_bytes(ann.id, format_name) == sandboxed and b"Tides" in sandboxed
