"""A highlight attached to other text (an orphan repaired) keeps its old quotes in its history."""

import uuid

from sqlalchemy import select

from server.models import Highlight


def put(person, highlight_id, exact, **fields):
    body = {"url": "https://harbour.example/news", "quote": {"exact": exact, "prefix": "before ", "suffix": " after"},
            "color": "green", "note": "Check the figures.", "tags": ["harbour"], **fields}
    answer = person.api.put(f"/highlights/{highlight_id}", body)
    assert answer.status_code in (200, 201), answer.json


def history(in_db, highlight_id):
    return in_db(lambda s: [(h.exact, h.prefix, h.suffix) for h in s.scalar(
        select(Highlight).where(Highlight.uuid == highlight_id)).history])


def test_a_put_with_other_text_keeps_the_old_quote_and_a_put_of_the_same_text_adds_nothing(ann, in_db):
    highlight_id = str(uuid.uuid4())
    put(ann, highlight_id, "the first words")
    put(ann, highlight_id, "the first words", color="pink")
    assert history(in_db, highlight_id) == []
    put(ann, highlight_id, "the words it was attached to")
    put(ann, highlight_id, "and again elsewhere")
    assert history(in_db, highlight_id) == [("the first words", "before ", " after"),
                                            ("the words it was attached to", "before ", " after")]


def test_deleting_a_highlight_drops_its_history_with_its_text(ann, in_db):
    highlight_id = str(uuid.uuid4())
    put(ann, highlight_id, "the first words")
    put(ann, highlight_id, "other words")
    assert ann.api.delete(f"/highlights/{highlight_id}").status_code == 204
    assert history(in_db, highlight_id) == []
