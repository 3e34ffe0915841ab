"""API tokens: shown once, kept only as a hash, found again by the token alone, revoked for good."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.db import db
from server.models import ApiToken, utcnow
from server.services import tokens
from server.services.errors import Invalid, NotFound

from .factories import make_user


def test_a_new_token_is_returned_once_and_only_its_hash_is_kept(session):
    ann = make_user(session)
    row, token = tokens.create_token(session, ann, "laptop")
    assert token.startswith("mrg_") and len(token) > 40
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.hint == token[:10]
    stored = session.execute(select(ApiToken.__table__)).one()._asdict()
    assert token not in {str(value) for value in stored.values()}


def test_each_token_is_new(session):
    ann = make_user(session)
    made = {tokens.create_token(session, ann)[1] for _ in range(5)}
    assert len(made) == 5


@pytest.mark.parametrize("name, kept", [("", "API token"), ("   ", "API token"), ("  Firefox  ", "Firefox"),
                                        ("x" * 100, "x" * 100)])
def test_a_token_is_named_trimmed_or_by_default(session, name, kept):
    row, _ = tokens.create_token(session, make_user(session), name)
    assert row.name == kept


def test_a_token_name_over_100_characters_is_refused(session):
    with pytest.raises(Invalid) as refused:
        tokens.create_token(session, make_user(session), "x" * 101)
    assert refused.value.fields == {"name": ["too long"]}


def test_the_token_finds_its_user_and_nothing_else_does(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    _, anns = tokens.create_token(session, ann)
    _, bobs = tokens.create_token(session, bob)
    assert tokens.authenticate(session, anns).username == "ann"
    assert tokens.authenticate(session, bobs).username == "bob"
    for wrong in ("", "mrg_", anns[:-1], anns + "x", anns.upper(), anns.removeprefix("mrg_"),
                  hashlib.sha256(anns.encode()).hexdigest()):
        assert tokens.authenticate(session, wrong) is None, wrong


def test_a_revoked_token_stops_working_and_stays_revoked_from_the_first_time(session):
    ann = make_user(session)
    row, token = tokens.create_token(session, ann)
    _, other = tokens.create_token(session, ann)
    first = tokens.revoke_token(session, ann, row.id).revoked_at
    assert first is not None
    assert tokens.authenticate(session, token) is None
    assert tokens.revoke_token(session, ann, row.id).revoked_at == first
    assert tokens.authenticate(session, other) is not None


def test_nobody_revokes_another_users_token(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    row, token = tokens.create_token(session, ann)
    with pytest.raises(NotFound) as refused:
        tokens.revoke_token(session, bob, row.id)
    assert f"bob has no token {row.id}" in refused.value.message
    assert tokens.authenticate(session, token) is not None


@pytest.mark.parametrize("token_id", [0, -1, 2**31, 2**63])
def test_revoking_an_id_that_cannot_exist_is_not_found(session, token_id):
    with pytest.raises(NotFound):
        tokens.revoke_token(session, make_user(session), token_id)


def test_a_user_lists_their_own_tokens_oldest_first_revoked_ones_too(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    for name in ("laptop", "phone", "work"):
        tokens.create_token(session, ann, name)
    tokens.create_token(session, bob, "bobs")
    phone = tokens.list_tokens(session, ann)[1]
    tokens.revoke_token(session, ann, phone.id)
    listed = tokens.list_tokens(session, ann)
    assert [(row.name, row.revoked_at is not None) for row in listed] == [
        ("laptop", False), ("phone", True), ("work", False)]
    assert [row.name for row in tokens.list_tokens(session, bob)] == ["bobs"]


def test_the_last_use_is_recorded_at_most_once_a_minute(session):
    row, _ = tokens.create_token(session, make_user(session))
    assert tokens.use_to_record(row)  # never used
    row.last_used_at = utcnow() - timedelta(seconds=30)
    assert not tokens.use_to_record(row)
    row.last_used_at = utcnow() - tokens.LAST_USED_RESOLUTION
    assert tokens.use_to_record(row)


def test_recording_a_use_commits_on_its_own_whatever_the_caller_does(session):
    row, _ = tokens.create_token(session, make_user(session))
    session.commit()
    before = utcnow()
    tokens.record_use(db.engine, row.id)
    session.rollback()  # the request that used the token fails: the use is still recorded
    used = session.scalar(select(ApiToken.last_used_at).where(ApiToken.id == row.id))
    assert used is not None and used >= before - timedelta(seconds=1)
