"""Bad pushes to /api/v2 get Readwise-shaped errors, and nothing of them is stored."""

import json

import pytest
from sqlalchemy import func, select

from server.models import Highlight, Page, User
from server.services import tokens
from server.services.intake import MAX_BATCH

from .conftest import BOOK, ReadwiseClient

GOOD = {**BOOK, "text": "All warfare is based on deception.", "location": 180}


@pytest.fixture
def stored(in_db):
    """How many pages and highlights the database holds."""
    return lambda: in_db(lambda s: (s.scalar(select(func.count()).select_from(Page)),
                                    s.scalar(select(func.count()).select_from(Highlight))))


@pytest.mark.parametrize("item, field, words", [
    ({"text": ""}, "text", "between 1"),
    ({"title": "No text"}, "text", "required"),
    ({"text": 42}, "text", "not a valid string"),
    ({"text": "x", "location": "180"}, "location", "not a valid integer"),
    ({"text": "x", "location": 1.5}, "location", "not a valid integer"),
    ({"text": "x", "location": True}, "location", "not a valid integer"),
    ({"text": "x", "location": -1}, "location", "greater than or equal"),
    ({"text": "x", "category": "films"}, "category", "must be one of"),
    ({"text": "x", "highlighted_at": "yesterday"}, "highlighted_at", "iso 8601"),
    ({"text": "x", "source_url": "javascript:alert(1)"}, "source_url", "http"),
    ({"text": "x", "image_url": "file:///etc/passwd"}, "image_url", "http"),
    ({"text": "a\x00b"}, "text", "nul"),
    ({"text": "x", "note": "\ud800"}, "note", "surrogate"),
    ({"text": "x" * 8192}, "text", "between 1 and 8191"),
])
def test_a_bad_item_is_named_by_position_and_field_and_the_batch_stored_not_at_all(readwise, ann, stored, item,
                                                                                    field, words):
    answer = readwise(ann).push(GOOD, item)
    assert answer.status_code == 400, answer.json
    good, bad = answer.json["highlights"]
    assert good == {} and words in " ".join(bad[field]).lower(), bad
    assert stored() == (0, 0)


@pytest.mark.parametrize("body, status, words", [
    (b"{\"highlights\": [", 400, "json parse error"),
    (b"[1, 2]", 400, "invalid input type"),
    (b"{\"highlights\": {\"text\": \"x\"}}", 400, "not a valid list"),
    (b"{}", 400, "required"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "json parse error"),
    (b"{\"highlights\": [{\"text\": \"x\", \"location\": 1" + b"0" * 5000 + b"}]}", 400, "json parse error"),
    (b"\xff\xfe{}", 400, "json parse error"),
])
def test_malformed_bodies_get_400_and_the_server_goes_on(readwise, ann, client, stored, body, status, words):
    answer = client.post("/api/v2/highlights/", data=body, content_type="application/json",
                         headers={"Authorization": f"Token {ann.token}"})
    assert answer.status_code == status
    assert words in json.dumps(answer.json).lower(), answer.json
    assert readwise(ann).push(GOOD).status_code == 200


def test_a_body_that_is_not_json_is_415(client, ann, stored):
    answer = client.post("/api/v2/highlights/", data="text=x", headers={"Authorization": f"Token {ann.token}"},
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 415 and "application/json" in answer.json["detail"]
    assert stored() == (0, 0)


def test_a_100000_item_batch_is_refused_with_413_before_anything_is_read(readwise, ann, stored):
    answer = readwise(ann).push(*([GOOD] * 100_000))
    assert answer.status_code == 413
    assert f"at most {MAX_BATCH}" in answer.json["detail"] and "100000" in answer.json["detail"]
    assert stored() == (0, 0)
    full = readwise(ann).push(*({**GOOD, "location": n} for n in range(MAX_BATCH)))
    assert full.status_code == 200 and full.json[0]["num_highlights"] == MAX_BATCH


def test_hostile_text_is_stored_as_text_and_given_back_as_it_was(readwise, ann):
    hostile = {**BOOK, "title": "<script>alert(1)</script>", "text": "<img src=x onerror=alert(1)> ' OR 1=1; --",
               "note": "\u202eevil\u202c 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0001f600", "location": 1}
    book = readwise(ann).push(hostile).json[0]
    assert book["title"] == hostile["title"]
    kept = readwise(ann).get(f"/highlights/{book['modified_highlights'][0]}/").json
    assert (kept["text"], kept["note"]) == (hostile["text"], hostile["note"])


def test_changing_what_anchors_a_highlight_or_a_bad_color_is_refused(readwise, ann):
    api = readwise(ann)
    highlight_id = api.push(GOOD).json[0]["modified_highlights"][0]
    for body, field in (({"text": "Other words"}, "text"), ({"location": 3}, "location"),
                        ({"color": "red"}, "color"), ({"note": 5}, "note")):
        answer = api.patch(f"/highlights/{highlight_id}/", body)
        assert answer.status_code == 400 and field in answer.json, answer.json
    assert api.get(f"/highlights/{highlight_id}/").json["text"] == GOOD["text"]


def test_bad_queries_are_400_and_unknown_ids_404(readwise, ann):
    api = readwise(ann)
    assert api.get("/highlights/", page_size=1001).status_code == 400
    assert api.get("/highlights/", page="zero").status_code == 400
    assert api.get("/highlights/", updated__gt="soon").status_code == 400
    assert api.get("/export/", pageCursor="abc").status_code == 400
    assert api.get("/highlights/99999999999999/").status_code == 404
    assert api.get("/books/1/").json == {"detail": "No book 1."}


def test_a_revoked_token_is_refused_at_once(readwise, ann, in_db):
    def revoke(session):
        user = session.get(User, ann.id)
        tokens.revoke_token(session, user, tokens.list_tokens(session, user)[0].id)
        session.commit()

    assert readwise(ann).get("/auth/").status_code == 204
    in_db(revoke)
    assert readwise(ann).push(GOOD).status_code == 401
    assert readwise(ann).get("/highlights/").status_code == 401


def test_writes_share_the_per_token_limit_with_api_v1(make_app, ann):
    client = make_app(MARGINS_RATELIMIT_WRITES="3 per minute").test_client()
    api = ReadwiseClient(client, ann.token)
    v1 = {"Authorization": f"Bearer {ann.token}"}
    assert client.put("/api/v1/pages", headers=v1, json={"url": "https://example.com/a"}).status_code in (200, 201)
    assert api.push(GOOD).status_code == 200
    assert api.push(GOOD).status_code == 200
    refused = api.push(GOOD)
    assert refused.status_code == 429
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60 and f"{seconds} seconds" in refused.json["detail"]
    assert api.get("/highlights/").status_code == 200  # reads are not limited
