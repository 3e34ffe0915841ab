"""The PDF page selector: a highlight on a PDF carries ``pages`` {first, last}, through every API."""

import pytest

from tests.api.test_highlights import ID, highlight

OTHER = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


def pdf_highlight(pages, **changes) -> dict:
    return highlight(url="https://example.com/paper.pdf", range=None, pages=pages, **changes)


def test_put_keeps_the_pages_and_every_answer_gives_them_back(ann):
    made = ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 3, "last": 4}))
    assert made.status_code == 201
    assert made.json["pages"] == {"first": 3, "last": 4}
    assert ann.api.get(f"/highlights/{ID}").json["pages"] == {"first": 3, "last": 4}
    assert [item["pages"] for item in ann.api.feed()] == [{"first": 3, "last": 4}]
    page_id = made.json["page_id"]
    assert [h["pages"] for h in ann.api.get(f"/pages/{page_id}").json["highlights"]] == [{"first": 3, "last": 4}]


def test_a_web_page_highlight_has_null_pages(ann):
    assert ann.api.put(f"/highlights/{ID}", highlight()).json["pages"] is None
    assert ann.api.put(f"/highlights/{OTHER}", highlight(pages=None)).json["pages"] is None


def test_a_put_without_pages_clears_them_and_the_same_put_again_changes_nothing(ann):
    first = ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 2, "last": 2})).json
    again = ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 2, "last": 2}))
    assert again.status_code == 200 and again.json == first
    moved = ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 5, "last": 6})).json
    assert moved["pages"] == {"first": 5, "last": 6} and moved["updated_at"] > first["updated_at"]
    assert ann.api.put(f"/highlights/{ID}", pdf_highlight(None)).json["pages"] is None


@pytest.mark.parametrize("pages, field", [
    ({"first": 0, "last": 1}, "first"),
    ({"first": 3, "last": 2}, "last"),
    ({"first": 1, "last": 100_001}, "last"),
    ({"first": 1}, "last"),
    ({"first": "1", "last": 1}, "first"),
    ({"first": 1.5, "last": 2}, "first"),
    ({"first": True, "last": 2}, "first"),
])
def test_bad_pages_are_422_naming_the_field_and_nothing_is_stored(ann, pages, field):
    ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 1, "last": 1}, note="kept"))
    answer = ann.api.put(f"/highlights/{ID}", pdf_highlight(pages, note="not kept"))
    assert answer.status_code == 422
    assert field in answer.json["error"]["fields"]["pages"]
    kept = ann.api.get(f"/highlights/{ID}").json
    assert (kept["pages"], kept["note"]) == ({"first": 1, "last": 1}, "kept")


def test_pages_as_a_list_is_422(ann):
    answer = ann.api.put(f"/highlights/{ID}", pdf_highlight([1, 2]))
    assert answer.status_code == 422
    assert "pages" in answer.json["error"]["fields"]


def test_the_highest_page_is_taken(ann):
    assert ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 1, "last": 100_000})).status_code == 201


def test_a_deleted_highlight_keeps_no_pages(ann, in_db):
    from server.models import Highlight

    ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 7, "last": 8}))
    ann.api.delete(f"/highlights/{ID}")
    stored = in_db(lambda session: session.query(Highlight.pdf_page_first, Highlight.pdf_page_last).one())
    assert tuple(stored) == (None, None)
    assert "pages" not in ann.api.feed()[0]


def test_a_pdfs_highlights_come_by_page_then_position(ann):
    for uuid, pages, start in [(ID, {"first": 4, "last": 4}, 10), (OTHER, {"first": 2, "last": 3}, 900)]:
        ann.api.put(f"/highlights/{uuid}", pdf_highlight(pages, position={"start": start, "end": start + 5}))
    page_id = ann.api.get(f"/highlights/{ID}").json["page_id"]
    assert [h["id"] for h in ann.api.get(f"/pages/{page_id}").json["highlights"]] == [OTHER, ID]


def test_another_user_neither_sees_nor_changes_the_pages(ann, bob):
    ann.api.put(f"/highlights/{ID}", pdf_highlight({"first": 3, "last": 3}))
    assert bob.api.get(f"/highlights/{ID}").status_code == 404
    bob.api.put(f"/highlights/{ID}", pdf_highlight({"first": 9, "last": 9}))
    assert ann.api.get(f"/highlights/{ID}").json["pages"] == {"first": 3, "last": 3}
    assert bob.api.get(f"/highlights/{ID}").json["pages"] == {"first": 9, "last": 9}
