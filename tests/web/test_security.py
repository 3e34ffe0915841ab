"""Sessions, CSRF and isolation in the web view (Flask's test client: no browser needed)."""

import re
import uuid

import pytest
from sqlalchemy import select

from server.models import ApiToken, Highlight, Tag


def csrf_token(client, path="/settings") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


@pytest.fixture
def anns_things(ann):
    highlight_id = str(uuid.uuid4())
    made = ann.api.put(f"/highlights/{highlight_id}", {
        "url": "https://example.com/private", "title": "Ann's page",
        "quote": {"exact": "Ann's private passage", "prefix": "", "suffix": ""},
        "color": "blue", "note": "ann's note", "tags": ["private"]}).json
    tag_id = ann.api.get("/tags").json["items"][0]["id"]
    return {"uuid": highlight_id, "page_id": made["page_id"], "tag_id": tag_id}


def anns_token_id(in_db, ann) -> int:
    return in_db(lambda s: s.scalar(select(ApiToken.id).where(ApiToken.user_id == ann.id)))


def test_pages_need_a_session(client):
    for path in ("/", "/search?q=x", "/tags", "/review", "/settings", "/pages/1"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], path


def test_the_session_cookie_is_httponly_and_samesite_lax(client, ann):
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"username": "ann", "password": ann.password, "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_when_asked(make_app, monkeypatch):
    monkeypatch.setenv("MARGINS_SECURE_COOKIES", "1")
    assert make_app().config["SESSION_COOKIE_SECURE"] is True


def test_a_form_posted_without_its_token_is_refused(client, ann, login, in_db):
    login(ann)
    answer = client.post("/settings/tokens", data={"name": "forged"})
    assert answer.status_code == 400 and "expired" in answer.text
    answer = client.post("/settings/tokens", data={"name": "forged", "csrf_token": "not-the-token"})
    assert answer.status_code == 400
    assert in_db(lambda s: s.scalar(select(ApiToken).where(ApiToken.name == "forged"))) is None
    answer = client.post("/settings/tokens", data={"name": "real", "csrf_token": csrf_token(client)})
    assert answer.status_code == 200 and "mrg_" in answer.text


def test_login_itself_needs_the_token(client, ann):
    answer = client.post("/login", data={"username": "ann", "password": ann.password})
    assert answer.status_code == 400


def test_the_api_needs_no_csrf_token(ann):
    answer = ann.api.put(f"/highlights/{uuid.uuid4()}", {
        "url": "https://example.com/x", "quote": {"exact": "x", "prefix": "", "suffix": ""},
        "color": "yellow", "note": "", "tags": []})
    assert answer.status_code == 201


def test_pages_send_a_strict_content_security_policy(client, ann, login):
    login(ann)
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "unsafe-inline" not in policy


def test_another_users_pages_highlights_and_tags_are_not_there(client, ann, bob, login, anns_things, in_db):
    login(bob)
    token = csrf_token(client)
    things, token_id = anns_things, anns_token_id(in_db, ann)
    for path in (f"/pages/{things['page_id']}", f"/pages/{things['page_id']}?view=readable",
                 f"/tags/{things['tag_id']}"):
        answer = client.get(path)
        assert answer.status_code == 404 and "Ann" not in answer.text, path
    for path, data in (
        (f"/highlights/{things['uuid']}/edit", {"note": "bob was here"}),
        (f"/highlights/{things['uuid']}/delete", {}),
        (f"/highlights/{things['uuid']}/favorite", {"favorite": "1"}),
        (f"/review/{things['uuid']}/next", {}),
        (f"/tags/{things['tag_id']}/rename", {"name": "bobs"}),
        (f"/settings/tokens/{token_id}/revoke", {}),
    ):
        assert client.post(path, data={**data, "csrf_token": token}).status_code == 404, path
    assert "private passage" not in client.get("/search?q=private").text
    assert "Ann's page" not in client.get("/").text
    assert "#private" not in client.get("/tags").text
    highlight = in_db(lambda s: (lambda h: (h.note, h.deleted))(s.scalar(select(Highlight))))
    assert highlight == ("ann's note", False)
    assert in_db(lambda s: s.scalar(select(Tag.name))) == "private"
    assert in_db(lambda s: s.scalar(select(ApiToken.revoked_at).where(ApiToken.id == token_id))) is None


def test_an_undo_form_cannot_be_replayed_by_another_user(client, ann, bob, login, anns_things, in_db):
    login(ann)
    answer = client.post(f"/highlights/{anns_things['uuid']}/delete", data={"csrf_token": csrf_token(client)})
    kept = re.search(r'name="kept" value="([^"]+)"', answer.text).group(1)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(bob)
    answer = client.post(f"/highlights/{anns_things['uuid']}/restore", data={"kept": kept, "csrf_token": csrf_token(client)})
    assert answer.status_code == 404
    assert in_db(lambda s: s.scalars(select(Highlight.user_id).where(Highlight.deleted_at.is_(None))).all()) == []


def test_a_forged_undo_form_is_refused(client, ann, login, anns_things):
    login(ann)
    answer = client.post(f"/highlights/{anns_things['uuid']}/restore", data={"kept": "e30.forged", "csrf_token": csrf_token(client)})
    assert answer.status_code == 400
