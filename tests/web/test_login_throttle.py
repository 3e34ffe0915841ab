"""Sign-in throttling (server.web.auth.limit_sign_ins): failed sign-ins per address and per username.

Each test makes an app of its own with small limits, so its counts start
from nothing. Addresses are the peer's (``REMOTE_ADDR``), or, behind
``MARGINS_PROXIES`` trusted proxies, the one they forwarded.
"""

import re

import pytest

RIGHT = "correct horse battery"  # the password make_person gives


@pytest.fixture
def throttled(make_app):
    """A test client of an app with these sign-in limits ("off" for none)."""

    def make(per_address="3 per minute", per_user="off", **config):
        return make_app(MARGINS_RATELIMIT_LOGIN=per_address, MARGINS_RATELIMIT_LOGIN_PER_USER=per_user,
                        **config).test_client()

    return make


def sign_in(client, username, password, address="127.0.0.1", forwarded_for=None):
    """Fill in and send the sign-in form, as a browser at ``address`` (through a proxy that forwarded it)."""
    environ = {"REMOTE_ADDR": address}
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    form = client.get("/login", environ_base=environ, headers=headers).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base=environ, headers=headers)


def assert_throttled(answer):
    assert answer.status_code == 429
    seconds = int(answer.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert f"Too many sign-in attempts; try again in {seconds} seconds." in answer.text
    assert 'name="username"' in answer.text, "the form is still there, for later"


def test_failures_from_one_address_are_throttled_with_a_page_that_says_how_long(throttled, ann):
    client = throttled("3 per minute")
    assert [sign_in(client, "ann", "guess").status_code for _ in range(3)] == [401, 401, 401]
    assert_throttled(sign_in(client, "ann", "guess"))
    assert_throttled(sign_in(client, "ann", RIGHT))  # until the window passes, the right one waits too


def test_successful_sign_ins_are_not_counted(throttled, ann):
    client = throttled("2 per minute")
    assert [sign_in(client, "ann", RIGHT).status_code for _ in range(5)] == [302] * 5
    assert sign_in(client, "ann", "guess").status_code == 401


def test_behind_a_trusted_proxy_each_forwarded_address_is_counted_apart(throttled, ann):
    client = throttled("3 per minute", MARGINS_PROXIES=1)
    for _ in range(3):
        sign_in(client, "ann", "guess", forwarded_for="203.0.113.7")
    assert_throttled(sign_in(client, "ann", "guess", forwarded_for="203.0.113.7"))
    assert sign_in(client, "ann", RIGHT, forwarded_for="198.51.100.2").status_code == 302
    # What the client itself put in front of the proxy's entry changes nothing.
    assert_throttled(sign_in(client, "ann", RIGHT, forwarded_for="10.9.9.9, 203.0.113.7"))


def test_without_trusted_proxies_x_forwarded_for_cannot_dodge_the_throttle(throttled, ann):
    client = throttled("3 per minute")
    for n in range(3):
        sign_in(client, "ann", "guess", forwarded_for=f"203.0.113.{n}")
    assert_throttled(sign_in(client, "ann", RIGHT, forwarded_for="198.51.100.2"))


def test_one_account_is_throttled_across_addresses_and_others_are_not(throttled, ann, bob):
    client = throttled(per_address="100 per minute", per_user="3 per minute")
    for n in range(3):
        assert sign_in(client, "ann", "guess", address=f"192.0.2.{n}").status_code == 401
    assert_throttled(sign_in(client, "ANN", "guess", address="192.0.2.50"))  # usernames ignore case
    assert sign_in(client, "bob", "guess", address="192.0.2.50").status_code == 401
    assert sign_in(client, "bob", RIGHT, address="192.0.2.1").status_code == 302


def test_off_turns_both_limits_off(throttled, ann):
    client = throttled(per_address="off", per_user="off")
    assert {sign_in(client, "ann", "guess").status_code for _ in range(11)} == {401}  # the default takes 10
    assert sign_in(client, "ann", RIGHT).status_code == 302
