"""The note policy shared by the web view and the Markdown exports: a note exported through it is the
web view's HTML written back as Markdown; plain notes skip the round trip and come out the same."""

from hypothesis import given, settings
from hypothesis import strategies as st

from server.services.markdown_text import _PLAIN, html_markdown, note_html, safe_note_markdown

plain_ish = st.text(st.sampled_from(list("aZé語ß0²9 .,;:!?'\"()/%-*_#&<\n")),
                    min_size=1, max_size=40)


@settings(max_examples=600, deadline=None)
@given(plain_ish | st.text(max_size=30))
def test_the_shortcut_for_plain_notes_gives_what_the_round_trip_gives(note):
    assert safe_note_markdown(note) == html_markdown(note_html(note), escape_text=True)


def test_the_shortcut_takes_ordinary_notes():
    assert all(_PLAIN.fullmatch(note) for note in ("A note.", "Compare with chapter 3, p. 12 (Smith's view)?"))
