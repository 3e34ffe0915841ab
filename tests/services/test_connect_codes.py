"""Connect codes: made for one user, shown once, kept as a hash; redeemed once, before they expire,
for a new token of their own user only; typed in any case, with or without the dash."""

import hashlib
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.db import db, write_intent
from server.models import ApiToken, ConnectCode, utcnow
from server.services import connect_codes, tokens
from server.services.errors import Invalid, NotFound
from tests.paths import RULES

from .factories import make_user


def token_row(session, token: str) -> ApiToken:
    """The stored token a token's text is, when it is live."""
    return session.get(ApiToken, tokens.authenticate(session, token).token_id)

def expire(session, row) -> None:
    session.execute(update(ConnectCode).where(ConnectCode.id == row.id)
                    .values(expires_at=utcnow() - timedelta(seconds=1)))


def test_a_code_is_eight_unambiguous_characters_shown_with_a_dash_and_only_its_hash_is_kept(session):
    ann = make_user(session)
    row, code = connect_codes.make_code(session, ann)
    assert len(code) == 9 and code[4] == "-"
    plain = code.replace("-", "")
    assert set(plain) <= set(connect_codes.ALPHABET) and not set(plain) & set("0O1I")
    assert row.code_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert row.user_id == ann.id and row.used_at is None
    assert timedelta(minutes=9) < row.expires_at - row.created_at <= timedelta(minutes=10)
    stored = session.execute(select(ConnectCode.__table__)).one()._asdict()
    assert not {plain, code} & {str(value) for value in stored.values()}


def test_each_code_is_new(session):
    ann = make_user(session)
    assert len({connect_codes.make_code(session, ann)[1] for _ in range(20)}) == 20


def test_redeeming_gives_a_new_token_of_the_codes_user_named_after_the_browser(session):
    ann = make_user(session)
    row, code = connect_codes.make_code(session, ann)
    user, token = connect_codes.redeem(session, code, "Firefox on Linux")
    assert user.id == ann.id
    found = token_row(session, token)
    assert found.user_id == ann.id
    assert found.name == f"Firefox on Linux (connected {utcnow():%Y-%m-%d})"
    session.refresh(row)
    assert row.used_at is not None and row.token_id == found.id


@pytest.mark.parametrize("typed", ["{code}", "{plain}", "{lower}", "  {code} ", "{first} {last}", " {lower_plain}\n"])
def test_a_code_is_taken_in_any_case_with_or_without_the_dash_and_spaces(session, typed):
    row, code = connect_codes.make_code(session, make_user(session))
    first, last = code.split("-")
    entered = typed.format(code=code, plain=first + last, lower=code.lower(), first=first, last=last,
                           lower_plain=(first + last).lower())
    assert connect_codes.redeem(session, entered, "Chrome")[0].id == row.user_id


@pytest.mark.parametrize("typed", ["", "   ", "ABCD-EFG", "ABCD-EFGHJ", "ABCD-EFG0", "0OIL-1234", "ABCD_EFGH",
                                   "ÄBCD-EFGH"])
def test_what_is_not_a_code_is_refused_saying_what_a_code_looks_like(session, typed):
    with pytest.raises(Invalid) as refused:
        connect_codes.redeem(session, typed, "Chrome")
    assert "like ABCD-EFGH" in refused.value.message and refused.value.fields == {"code": ["not a code"]}


def test_an_unknown_code_is_not_found(session):
    make_user(session)
    with pytest.raises(NotFound) as refused:
        connect_codes.redeem(session, "ABCD-EFGH", "Chrome")
    assert "Settings → Connect a browser" in refused.value.message


def test_a_code_works_once(session):
    ann = make_user(session)
    _, code = connect_codes.make_code(session, ann)
    connect_codes.redeem(session, code, "Chrome")
    with pytest.raises(connect_codes.Gone) as refused:
        connect_codes.redeem(session, code, "Chrome")
    assert refused.value.status == 410
    assert "was used already" in refused.value.message and "make a new code in Settings" in refused.value.message
    assert len(tokens.list_tokens(session, ann)) == 1


def test_an_expired_code_is_gone_and_makes_no_token(session):
    ann = make_user(session)
    row, code = connect_codes.make_code(session, ann)
    expire(session, row)
    with pytest.raises(connect_codes.Gone) as refused:
        connect_codes.redeem(session, code, "Chrome")
    assert "has expired" in refused.value.message and refused.value.fields == {"code": ["expired"]}
    assert tokens.list_tokens(session, ann) == []


def test_making_a_code_clears_the_users_codes_that_expired_a_day_ago_and_no_others(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    old, _ = connect_codes.make_code(session, ann)
    recent, _ = connect_codes.make_code(session, ann)
    bobs, _ = connect_codes.make_code(session, bob)
    for row, ago in ((old, timedelta(days=1, minutes=1)), (recent, timedelta(hours=1)), (bobs, timedelta(days=2))):
        session.execute(update(ConnectCode).where(ConnectCode.id == row.id).values(expires_at=utcnow() - ago))
    connect_codes.make_code(session, ann)
    left = set(session.scalars(select(ConnectCode.id)))
    assert old.id not in left and {recent.id, bobs.id} <= left and len(left) == 3


def test_a_code_gives_only_its_own_users_token_whoever_else_has_codes(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    _, anns = connect_codes.make_code(session, ann)
    _, bobs = connect_codes.make_code(session, bob)
    assert connect_codes.redeem(session, bobs, "Chrome")[0].id == bob.id
    user, token = connect_codes.redeem(session, anns, "Chrome")
    assert user.id == ann.id and tokens.authenticate(session, token).user_id == ann.id
    assert sorted(session.scalars(select(ApiToken.user_id))) == sorted([ann.id, bob.id])


@pytest.mark.parametrize("browser, name", [("", "A browser"), ("  Firefox \n on  Linux ", "Firefox on Linux"),
                                           ("x" * 60, "x" * 60)])
def test_the_token_is_named_after_the_browser_or_a_browser(session, browser, name):
    _, code = connect_codes.make_code(session, make_user(session))
    _, token = connect_codes.redeem(session, code, browser)
    assert token_row(session, token).name == f"{name} (connected {utcnow():%Y-%m-%d})"


def test_a_browser_name_over_60_characters_is_refused_and_the_code_still_works(session):
    ann = make_user(session)
    _, code = connect_codes.make_code(session, ann)
    with pytest.raises(Invalid) as refused:
        connect_codes.redeem(session, code, "x" * 61)
    assert refused.value.fields == {"browser": ["too long"]}
    assert connect_codes.redeem(session, code, "Chrome")[0].id == ann.id


def test_two_redeeming_one_code_at_once_make_one_token(app):
    with app.app_context():
        ann = make_user(db.session)
        _, code = connect_codes.make_code(db.session, ann)
        db.session.commit()
    racers = 6
    barrier = threading.Barrier(racers)
    outcomes = []

    def redeem():
        intent = write_intent.set(True)  # as a request that writes: BEGIN IMMEDIATE on SQLite
        try:
            with app.app_context():
                barrier.wait()
                try:
                    _, token = connect_codes.redeem(db.session, code, "Chrome")
                    db.session.commit()
                    outcomes.append(token)
                except connect_codes.Gone:
                    db.session.rollback()
                    outcomes.append("gone")
        finally:
            write_intent.reset(intent)

    threads = [threading.Thread(target=redeem) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [outcome for outcome in outcomes if outcome != "gone"]
    assert len(outcomes) == racers and len(winners) == 1
    with app.app_context():
        made = list(db.session.scalars(select(ApiToken)))
    assert [row.token_hash for row in made] == [tokens.hash_token(winners[0])]


def _taken_as(typed: str) -> str | None:
    try:
        return connect_codes.shown(connect_codes.normalize(typed))
    except Invalid:
        return None


@pytest.mark.parametrize("vector", [pytest.param(vector, id=vector["why"])
                                    for vector in json.loads((RULES / "connect-codes.json").read_text())["vectors"]])
def test_a_typed_code_is_taken_as_the_shared_rule_says(vector):
    assert _taken_as(vector["typed"]) == vector["code"]
