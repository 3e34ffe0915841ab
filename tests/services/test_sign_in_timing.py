"""Signing in costs the same whether or not the user exists: one password hash either way, of the same
kind (so an unknown username cannot be told from a wrong password by the time the answer takes)."""

import pytest

from server.services import users


@pytest.fixture
def hashes_checked(monkeypatch) -> list[str]:
    """The stored hashes ``check_password`` compares a password with, in order."""
    checked = []
    real = users.check_password_hash

    def counting(stored_hash: str, password: str) -> bool:
        checked.append(stored_hash)
        return real(stored_hash, password)

    monkeypatch.setattr(users, "check_password_hash", counting)
    return checked


def test_an_unknown_user_costs_one_hash_of_the_same_kind_as_a_wrong_password(ann, in_db, hashes_checked):
    assert in_db(lambda session: users.check_password(session, "ann", "not her password")) is None
    assert in_db(lambda session: users.check_password(session, "nobody", "not her password")) is None
    assert in_db(lambda session: users.check_password(session, "ann", ann.password).id) == ann.id

    known, unknown, right = hashes_checked
    method = known.split("$", 1)[0]  # e.g. scrypt:32768:8:1: the method and its cost
    assert unknown.split("$", 1)[0] == method and right == known and unknown != known


def test_the_sign_in_form_hashes_once_for_an_unknown_user(client, hashes_checked):
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": "nobody", "password": "a guess", "csrf_token": token})
    assert answer.status_code == 401
    assert len(hashes_checked) == 1
