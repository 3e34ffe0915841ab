"""POST /api/v1/connect: a code from Settings → Connect a browser, for a token of the code's user.

No bearer token is needed (the code is the credential) and whatever session or token comes with the
request is ignored; failed tries are limited per client address."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.db import db
from server.models import ApiToken, ConnectCode, User, utcnow
from server.services import connect_codes


@pytest.fixture
def code_of(app):
    """A new connect code of a person, as Settings makes one."""

    def make(person) -> str:
        with app.app_context():
            user = db.session.get(User, person.id)
            _, code = connect_codes.make_code(db.session, user)
            db.session.commit()
            return code

    return make


def connect(client, code, browser="Chromium on Linux", **kwargs):
    return client.post("/api/v1/connect", json={"code": code, "browser": browser}, **kwargs)


def me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_code_gives_the_server_url_and_a_new_token_named_after_the_browser(client, ann, code_of, in_db):
    answer = connect(client, code_of(ann))
    assert answer.status_code == 201, answer.json
    assert answer.headers["Cache-Control"] == "no-store"
    assert set(answer.json) == {"server_url", "token", "username"}
    assert answer.json["server_url"] == "http://localhost" and answer.json["username"] == "ann"
    token = answer.json["token"]
    assert token != ann.token and me(client, token).json["username"] == "ann"
    assert token_names(in_db, ann) == ["tests", f"Chromium on Linux (connected {utcnow():%Y-%m-%d})"]


def token_names(in_db, person) -> list[str]:
    return in_db(lambda s: list(s.scalars(select(ApiToken.name).where(ApiToken.user_id == person.id)
                                          .order_by(ApiToken.id))))


def test_the_server_url_is_the_one_the_request_reached(client, ann, code_of):
    answer = connect(client, code_of(ann), base_url="https://margins.example:8443")
    assert answer.json["server_url"] == "https://margins.example:8443"


def test_the_same_code_is_refused_the_second_time_with_410_saying_to_make_a_new_one(client, ann, code_of):
    code = code_of(ann)
    assert connect(client, code).status_code == 201
    again = connect(client, code)
    assert again.status_code == 410
    assert again.json["error"]["code"] == "gone"
    assert "used already" in again.json["error"]["message"]
    assert "make a new code in Settings → Connect a browser" in again.json["error"]["message"]


def test_an_expired_code_is_refused_with_410(client, ann, code_of, app, in_db):
    code = code_of(ann)
    with app.app_context():
        db.session.execute(update(ConnectCode).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    answer = connect(client, code)
    assert answer.status_code == 410 and "has expired" in answer.json["error"]["message"]
    assert token_names(in_db, ann) == ["tests"]  # the fixture's own token only


def test_an_unknown_code_is_404_and_a_malformed_one_422_naming_the_field(client, ann):
    unknown = connect(client, "ABCD-EFGH")
    assert unknown.status_code == 404 and unknown.json["error"]["fields"] == {"code": ["unknown"]}
    malformed = connect(client, "ABC-0")
    assert malformed.status_code == 422 and "like ABCD-EFGH" in malformed.json["error"]["message"]
    missing = client.post("/api/v1/connect", json={"browser": "Chrome"})
    assert missing.status_code == 422 and "code" in missing.json["error"]["fields"]
    long_name = connect(client, "ABCD-EFGH", browser="x" * 61)
    assert long_name.status_code == 422 and "browser" in long_name.json["error"]["fields"]
    form = client.post("/api/v1/connect", data={"code": "ABCD-EFGH"})
    assert form.status_code == 415


def test_a_session_or_token_sent_along_changes_nothing_the_code_names_its_user(client, ann, bob, code_of, login,
                                                                              in_db):
    anns_code = code_of(ann)
    login(bob)  # the client now holds Bob's session cookie
    answer = connect(client, anns_code, headers={"Authorization": f"Bearer {bob.token}"})
    assert answer.status_code == 201 and answer.json["username"] == "ann"
    assert me(client, answer.json["token"]).json["username"] == "ann"
    assert token_names(in_db, bob) == ["tests"]  # Bob got nothing


def test_bobs_session_never_sees_or_revokes_anns_code_and_his_own_code_is_his(client, ann, bob, code_of, login):
    anns_code = code_of(ann)
    login(bob)
    page = client.get("/settings").text
    assert anns_code not in page and anns_code.replace("-", "") not in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    made = client.post("/settings/connect", data={"csrf_token": csrf})
    bobs_code = re.search(r'id="connect-code">([A-Z0-9-]{9})<', made.text).group(1)
    assert anns_code not in made.text
    assert connect(client, bobs_code).json["username"] == "bob"
    assert connect(client, anns_code).json["username"] == "ann"  # still Ann's, still unused until now


@pytest.fixture
def throttled(make_app):
    return make_app(MARGINS_RATELIMIT_LOGIN="3 per minute").test_client()


def test_failed_tries_from_one_address_are_limited_with_retry_after(throttled, ann, code_of):
    good = code_of(ann)
    for wrong in ("ABCD-EFGH", "BCDE-FGHJ", "CDEF-GHJK"):
        assert connect(throttled, wrong).status_code == 404
    refused = connect(throttled, good)
    assert refused.status_code == 429
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused.json["error"]["code"] == "too_many_requests"
    assert f"try again in {seconds} seconds" in refused.json["error"]["message"]
    other = connect(throttled, good, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 201  # another address is not held up, and the code was not spent


def test_successes_and_malformed_codes_are_not_counted(throttled, ann, code_of):
    for _ in range(4):
        assert connect(throttled, code_of(ann)).status_code == 201
        assert connect(throttled, "nope").status_code == 422
    assert connect(throttled, "ABCD-EFGH").status_code == 404
