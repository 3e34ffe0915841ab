"""Settings' change-password form throttles wrong current passwords per account, as sign-ins are throttled
(MARGINS_RATELIMIT_LOGIN): a session left open must not be a way to guess the password."""

import re

import pytest

from server.services import users

NEW = "a brand new password"


@pytest.fixture
def throttled(make_app):
    return make_app(MARGINS_RATELIMIT_LOGIN="3 per minute").test_client()


def signed_in(client, person, address="127.0.0.1"):
    environ = {"REMOTE_ADDR": address}
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login", environ_base=environ).text).group(1)
    answer = client.post("/login", data={"username": person.username, "password": person.password,
                                         "csrf_token": token}, environ_base=environ)
    assert answer.status_code == 302
    return client


def change(client, current, new=NEW, address="127.0.0.1"):
    environ = {"REMOTE_ADDR": address}
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/settings", environ_base=environ).text).group(1)
    return client.post("/settings/password", data={"csrf_token": token, "current": current, "new": new, "again": new},
                       environ_base=environ)


def test_wrong_current_passwords_are_throttled_with_retry_after_and_nothing_changes(throttled, ann, in_db):
    signed_in(throttled, ann)
    assert [change(throttled, f"guess {n}").status_code for n in range(3)] == [403, 403, 403]
    refused = change(throttled, ann.password)  # the right one waits too, until the window passes
    assert refused.status_code == 429
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert (f"Too many wrong current passwords; the password was not changed. Try again in {seconds} seconds."
            in refused.text)
    assert 'role="alert"' in refused.text and 'name="current"' in refused.text  # the form is still there
    assert in_db(lambda s: users.check_password(s, ann.username, ann.password)) is not None
    assert in_db(lambda s: users.check_password(s, ann.username, NEW)) is None
    assert throttled.get("/").status_code == 200  # still signed in


def test_the_count_is_the_accounts_not_the_addresss_and_others_are_not_held_up(throttled, ann, bob):
    for n in range(3):
        assert change(signed_in(throttled, ann), "guess", address=f"192.0.2.{n}").status_code == 403
    assert change(throttled, "guess", address="192.0.2.50").status_code == 429
    bobs = signed_in(throttled.application.test_client(), bob)
    assert change(bobs, bob.password).status_code == 302


def test_right_passwords_are_not_counted(throttled, ann):
    signed_in(throttled, ann)
    for _ in range(2):
        assert change(throttled, ann.password, NEW).status_code == 302
        assert change(throttled, NEW, ann.password).status_code == 302
    assert change(throttled, "guess").status_code == 403


def test_off_turns_it_off(make_app, ann):
    client = signed_in(make_app(MARGINS_RATELIMIT_LOGIN="off").test_client(), ann)
    assert {change(client, "guess").status_code for _ in range(11)} == {403}
