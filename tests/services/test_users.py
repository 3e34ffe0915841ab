"""Accounts: names unique in any case, passwords kept only as hashes and checked, changed with
every web session ended, and listed."""

import pytest
from sqlalchemy import select

from server.models import User
from server.services import tokens, users
from server.services.errors import Conflict, Invalid

from .factories import PASSWORD, make_user


def test_a_new_user_signs_in_with_their_password_and_any_case_of_their_name(session):
    ann = users.create_user(session, "Ann.Smith", "a long passphrase")
    assert users.check_password(session, "ann.smith", "a long passphrase") is ann
    assert users.check_password(session, "ANN.SMITH", "a long passphrase") is ann
    assert users.find_user(session, "aNN.smith") is ann
    assert ann.username == "Ann.Smith"


@pytest.mark.parametrize("username, password", [
    ("ann", "a long passphrase x"), ("ann", "A LONG PASSPHRASE"), ("ann", ""), ("nobody", "a long passphrase"),
    ("", ""),
])
def test_a_wrong_password_or_an_unknown_name_signs_nobody_in(session, username, password):
    users.create_user(session, "ann", "a long passphrase")
    assert users.check_password(session, username, password) is None


def test_the_password_is_kept_only_as_a_salted_hash(session):
    ann = users.create_user(session, "ann", "a long passphrase")
    bob = users.create_user(session, "bob", "a long passphrase")
    stored = session.execute(select(User.__table__)).all()
    assert not any("a long passphrase" in str(value) for row in stored for value in row)
    assert ann.password_hash != bob.password_hash


def test_the_server_hashes_passwords_with_scrypt(session, monkeypatch):
    from tests.conftest import SERVER_HASH_METHOD  # the suite's own users get a cheap hash

    monkeypatch.setattr(users, "HASH_METHOD", SERVER_HASH_METHOD)
    ann = users.create_user(session, "ann", "a long passphrase")
    assert ann.password_hash.startswith("scrypt:")
    assert users.check_password(session, "ann", "a long passphrase") is ann


def test_a_name_is_taken_in_every_case(session):
    users.create_user(session, "ann", PASSWORD)
    with pytest.raises(Conflict) as refused:
        users.create_user(session, "ANN", PASSWORD)
    assert refused.value.message == "User 'ANN' already exists; pick another name."
    assert users.count_users(session) == 1


@pytest.mark.parametrize("username", ["", "ann smith", ".ann", "-ann", "ann/bob", "ann@example.com", "a" * 65,
                                      "änn"])
def test_a_name_outside_letters_digits_and_a_few_marks_is_refused(session, username):
    with pytest.raises(Invalid) as refused:
        users.create_user(session, username, PASSWORD)
    assert refused.value.fields == {"username": ["not a valid username"]}


@pytest.mark.parametrize("username", ["a", "ann_smith", "ann.smith-2", "7", "A" * 64])
def test_names_of_letters_digits_and_marks_are_fine(session, username):
    assert users.create_user(session, username, PASSWORD).username == username


@pytest.mark.parametrize("password", ["", "seven c", "1234567"])
def test_a_password_shorter_than_the_minimum_is_refused_saying_how_long_it_must_be(session, password):
    with pytest.raises(Invalid) as refused:
        users.create_user(session, "ann", password)
    assert refused.value.fields == {"password": ["too short"]}
    assert refused.value.message == (f"A password needs at least {users.MIN_PASSWORD} characters "
                                     f"(this one has {len(password)}); choose a longer one.")
    assert users.count_users(session) == 0


def test_a_password_of_exactly_the_minimum_length_is_fine(session):
    users.create_user(session, "ann", "x" * users.MIN_PASSWORD)
    assert users.check_password(session, "ann", "x" * users.MIN_PASSWORD) is not None


def test_a_new_password_replaces_the_old_and_ends_every_web_session(session):
    ann = make_user(session)
    version = ann.session_version
    users.set_password(session, ann, "a brand new passphrase")
    assert users.check_password(session, "ann", PASSWORD) is None
    assert users.check_password(session, "ann", "a brand new passphrase") is ann
    assert ann.session_version > version


def test_a_new_password_leaves_the_api_tokens_working(session):
    ann = make_user(session)
    _, token = tokens.create_token(session, ann, "laptop")
    users.set_password(session, ann, "a brand new passphrase")
    assert tokens.authenticate(session, token).user_id == ann.id


def test_a_short_new_password_is_refused_and_changes_nothing(session):
    ann = make_user(session)
    version = ann.session_version
    with pytest.raises(Invalid) as refused:
        users.set_password(session, ann, "short")
    assert refused.value.fields == {"password": ["too short"]}
    assert users.check_password(session, "ann", PASSWORD) is ann
    assert ann.session_version == version


def test_changing_a_password_touches_no_other_account(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    users.set_password(session, ann, "a brand new passphrase")
    assert users.check_password(session, "bob", PASSWORD) is bob
    assert bob.session_version == 0


def test_signing_out_everywhere_ends_every_session_each_time(session):
    ann = make_user(session)
    versions = [ann.session_version]
    for _ in range(2):
        users.end_sessions(session, ann)
        session.flush()
        versions.append(session.scalar(select(User.session_version).where(User.id == ann.id)))
    assert versions[0] < versions[1] < versions[2]


def test_the_list_names_every_account_in_name_order_with_its_active_tokens(session):
    bob, ann, carol = (make_user(session, name) for name in ("bob", "Ann", "carol"))
    for _ in range(2):
        tokens.create_token(session, ann)
    revoked, _ = tokens.create_token(session, bob)
    tokens.revoke_token(session, bob, revoked.id)
    tokens.create_token(session, carol)
    assert [(user.username, count) for user, count in users.list_users(session)] == [
        ("Ann", 2), ("bob", 0), ("carol", 1)]
    assert users.count_users(session) == 3


def test_with_no_accounts_the_list_is_empty(session):
    assert users.list_users(session) == []
    assert users.count_users(session) == 0
