"""Search relevance: over a small fixed library, each query's best highlights come first.

Each case names the highlights that must be the first highlight results, in any order among
themselves (page results are left out: they are ranked by their title alone). The corpus is
written through the API, so the index is the one every write keeps.
"""

import uuid

import pytest

from server.services import search

PAGES = {
    "tides": ("Tides and the Moon", "https://example.com/tides"),
    "chips": ("Semiconductor supply chains", "https://chips.example.org/supply"),
    "bread": ("Sourdough notes", "https://bread.example.net/sourdough"),
    "ai": ("Open-source AI models", "https://ai.example.com/open"),
    "misc": ("Reading list", "https://example.com/misc"),
}

#: name: (page, quote, note)
HIGHLIGHTS = {
    "tide-twice": ("tides", "The tide rises and the tide falls twice a day, pulled by the moon.", ""),
    "spring-tides": ("tides", "Spring tides come with the full and the new moon.", ""),
    "tables": ("tides", "Fishermen read the tables before going out.", "check the tables each morning"),
    "taiwan": ("chips", "A single factory in Taiwan makes most of the world's advanced chips.", ""),
    "export-controls": ("chips", "Export controls on lithography machines reshaped the semiconductor supply chain.", ""),
    "fabless": ("chips", "Chip designers rarely own a fab.", ""),
    "starter": ("bread", "Feed the starter flour and water every morning; a lively starter doubles in four hours.", ""),
    "crumb": ("bread", "Long cold proofing gives the bread a sour, open crumb.", ""),
    "crust": ("bread", "Bake at high heat in a covered pot for a crisp crust.", "lid off after twenty minutes"),
    "sovereignty": ("ai", "Open-source models let countries build their own AI without asking permission.", ""),
    "weights": ("ai", "Closed models keep their weights secret; open models publish them.", ""),
    "languages": ("ai", "The model was trained on public data from many languages.", ""),
    "essay": ("misc", "A long essay that mentions the moon only once, in passing, among many other things "
                      "about travel, trains, food, weather, libraries and the habits of old friends.", ""),
    "consensus": ("misc", "Notes on distributed systems: consensus, replication and the cost of coordination.", ""),
    "harbour": ("misc", "Fish and chips by the harbour at low tide.", "a good Friday lunch"),
}

#: query: the highlights that must come first
CASES = {
    "tide": {"tide-twice"},                          # twice in a short quote, and in the title
    "tides moon": {"tide-twice", "spring-tides"},    # both words in quote and title
    "moon": {"tide-twice", "spring-tides", "tables"},  # the title's match outranks a passing mention
    "starter": {"starter"},
    "semiconductor": {"export-controls"},            # in title and quote
    '"supply chain"': {"export-controls"},           # the phrase in title and quote
    "open-source models": {"sovereignty"},
    '"open models"': {"weights"},                    # only there as a phrase
    "model": {"weights"},                            # stems: models twice, and the title
    "sourd*": {"starter", "crumb", "crust"},         # a prefix of the title's word
    "lithog*": {"export-controls"},
    "bread crumb": {"crumb"},
    "crust lid": {"crust"},                          # one word in the quote, one in the note
    "twenty minutes": {"crust"},                     # the note alone
    "harbour": {"harbour"},
    "weights": {"weights"},
    "flour water": {"starter"},
    "coordination": {"consensus"},
    '"new moon"': {"spring-tides"},
    "liv*": {"starter"},                             # "lively"
    "morning": {"starter", "tables"},                # once in a quote, once in a note
}


@pytest.fixture
def library(ann):
    """The corpus, written for ann: {highlight uuid: name}."""
    names = {}
    for name, (page, exact, note) in HIGHLIGHTS.items():
        title, url = PAGES[page]
        answer = ann.api.put(f"/highlights/{uuid.uuid4()}", {
            "url": url, "title": title, "quote": {"exact": exact, "prefix": "", "suffix": ""},
            "color": "yellow", "note": note, "tags": []})
        assert answer.status_code == 201, answer.json
        names[answer.json["id"]] = name
    return names


def first_highlights(in_db, person, names, q):
    found = in_db(lambda s: [hit.highlight.uuid for hit in search.hits(s, person.id, q) if hit.highlight])
    return [names[uuid] for uuid in found]


@pytest.mark.parametrize("q", CASES)
def test_the_best_highlights_come_first(ann, in_db, library, q):
    expected = CASES[q]
    found = first_highlights(in_db, ann, library, q)
    assert set(found[:len(expected)]) == expected, found
