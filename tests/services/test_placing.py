"""Placing a quote on a snapshot's text (services.placing): exact or in anchoring.js's comparison form,
told apart by context, never guessed."""

import pytest

from server.services.placing import QuoteAmbiguous, QuoteNotFound, find, passage, place

TEXT = ("Some say the margin is where a reader talks back. Medieval scribes drew snails there.\n\n"
        "Some say the margin is where a reader talks back. Others say it is where a reader listens twice. "
        "Café   society met in Zürich; 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 glosses too.")


def test_a_quote_found_once_is_placed_with_its_context():
    placed = place(TEXT, "Medieval scribes")
    assert TEXT[placed.start:placed.end] == placed.exact == "Medieval scribes"
    assert placed.prefix == TEXT[placed.start - 32:placed.start] and placed.suffix == TEXT[placed.end:placed.end + 32]


def test_case_accents_and_spacing_may_differ_but_the_highlight_keeps_the_pages_words():
    assert place(TEXT, "cafe society MET in zurich").exact == "Café   society met in Zürich"
    assert place(TEXT, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 glosses").exact == "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 glosses"


def test_a_repeated_quote_needs_context_and_context_picks_the_occurrence():
    with pytest.raises(QuoteAmbiguous, match="2 times"):
        place(TEXT, "where a reader talks back")
    second = place(TEXT, "where a reader talks back", after="Others say")
    assert second.start == TEXT.index("where a reader talks back", 60)
    first = place(TEXT, "where a reader talks back", after="medieval scribes")
    assert first.start == TEXT.index("where a reader talks back")


def test_a_quote_that_is_not_there_or_not_with_that_context_is_refused():
    with pytest.raises(QuoteNotFound):
        place(TEXT, "where a writer talks back")
    with pytest.raises(QuoteNotFound, match="with that context"):
        place(TEXT, "Medieval scribes", before="Modern")
    with pytest.raises(QuoteNotFound):
        place(TEXT, "where a reader talked back")  # no near misses


def test_a_stored_highlight_is_found_again_and_shown_in_its_passage():
    placed = place(TEXT, "where a reader talks back", after="Others")
    span = find(TEXT, placed.exact, placed.prefix, placed.suffix)
    assert span == (placed.start, placed.end)
    shown = passage(TEXT, span, around=40)
    assert "«where a reader talks back». Others say" in shown and shown.startswith("…")
    assert find(TEXT, "not in the text", "", "") is None
