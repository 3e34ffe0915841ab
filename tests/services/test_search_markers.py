"""The control characters the search uses to mark matches (search.OPEN, search.CLOSE) come out of
stored text escaped as text, never as <mark>: only the words searched for are marked."""

import uuid

from server.services import search


def put(person, exact, note, title):
    answer = person.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": "https://example.com/markers", "title": title,
        "quote": {"exact": exact, "prefix": "", "suffix": ""}, "color": "yellow", "note": note, "tags": []})
    assert answer.status_code == 201, answer.json
    return answer.json


def test_delimiters_in_stored_text_never_become_marks(ann, in_db, login):
    sneaky = f"{search.OPEN}not searched{search.CLOSE} <b>tide</b> {search.OPEN}"
    put(ann, f"The tide table {sneaky}", note=f"note {sneaky}", title=f"Title {sneaky}")

    results = in_db(lambda session: search.search(session, ann.id, "tide"))
    assert results
    for result in results:
        for field in (result.title, result.body, result.note):
            marked = str(field)
            assert search.OPEN not in marked and search.CLOSE not in marked
            assert marked.count("<mark>") == marked.count("</mark>") == marked.lower().count("<mark>tide</mark>")
            assert "<mark>not searched" not in marked and "<b>" not in marked

    page = login(ann).get("/search", query_string={"q": "tide"}).text
    assert "<mark>not searched" not in page and "&lt;b&gt;" in page
