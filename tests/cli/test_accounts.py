"""The command line, as scripts and people use it: real ``flask --app server ...`` processes.

Each command runs in a subprocess on the test database (MARGINS_DATABASE_URL)
with an instance folder of its own (MARGINS_INSTANCE_PATH); what it made is
then checked through the API (Flask's test client, on the same database)
and the services. The tables are emptied after each test by conftest.py,
which covers what the subprocesses wrote too.
"""

import re

import pytest

from server.db import db
from server.services import tokens as token_service
from server.services import users as user_service
from tests.live_server import run_cli

TOKEN = re.compile(r"mrg_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def cli(database_url, tmp_path):
    """Run ``flask --app server ARGS`` on the test database (``input``: what is typed at its
    prompts); returns the finished process."""
    instance = tmp_path / "instance"

    def run(*args: str, check: bool = False, input: str | None = None):
        return run_cli(list(args), database_url=database_url, instance_path=instance, check=check, input=input)

    return run


@pytest.fixture
def make_user(app):
    """Make a user in-process (quicker than the CLI), for tests about tokens."""

    def make(username: str, password: str = "correct horse battery"):
        with app.app_context():
            user = user_service.create_user(db.session, username, password)
            db.session.commit()
            return user.id

    return make


def token_of(result) -> str:
    """The token a command printed: alone on the last line of standard output."""
    lines = result.stdout.strip().splitlines()
    assert lines, f"nothing on stdout; stderr: {result.stderr}"
    assert TOKEN.fullmatch(lines[-1]), f"the last line is not a token: {lines[-1]!r}"
    return lines[-1]


def me(client, token: str):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def token_rows(in_db, username: str):
    return in_db(lambda s: [
        (row.id, row.name, row.revoked_at is not None)
        for row in token_service.list_tokens(s, user_service.find_user(s, username))
    ])


def user_names(in_db) -> list[str]:
    from sqlalchemy import select

    from server.models import User
    return in_db(lambda s: sorted(s.scalars(select(User.username))))


# --- users create ------------------------------------------------------------------


def test_users_create_makes_an_account_that_can_log_in(cli, in_db):
    result = cli("users", "create", "Ann", "--password", "a long passphrase")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Created user Ann \(id \d+\)\.", result.stdout.strip())
    assert user_names(in_db) == ["Ann"]
    assert in_db(lambda s: user_service.check_password(s, "ann", "a long passphrase")) is not None
    assert in_db(lambda s: user_service.check_password(s, "ann", "a wrong passphrase")) is None


def test_users_create_refuses_a_taken_name_in_any_case(cli, make_user, in_db):
    make_user("ann")
    for name in ("ann", "ANN"):
        result = cli("users", "create", name, "--password", "another passphrase")
        assert result.returncode != 0
        assert f"User {name!r} already exists" in result.stderr
        assert "Traceback" not in result.stderr
    assert user_names(in_db) == ["ann"]


@pytest.mark.parametrize("username", ["ann smith", ".ann", "a" * 65])
def test_users_create_refuses_a_bad_username(cli, in_db, username):
    result = cli("users", "create", username, "--password", "a long passphrase")
    assert result.returncode != 0
    assert "A username is 1 to 64 letters, digits" in result.stderr
    assert "Traceback" not in result.stderr
    assert user_names(in_db) == []


def test_users_create_refuses_a_short_password(cli, in_db):
    result = cli("users", "create", "ann", "--password", "short")
    assert result.returncode != 0
    assert "A password needs at least 8 characters (this one has 5); choose a longer one." in result.stderr
    assert "Traceback" not in result.stderr
    assert user_names(in_db) == []


def test_users_create_asks_for_the_password_twice_and_again_when_it_is_too_short(cli, in_db):
    typed = "short\na long passphrase\na long passphrase\n"
    result = cli("users", "create", "ann", input=typed)
    assert result.returncode == 0, result.stderr
    assert "at least 8 characters (this one has 5)" in result.stdout + result.stderr
    assert "short" not in result.stdout + result.stderr.replace("this one has", "")  # what was typed is not shown
    assert in_db(lambda s: user_service.check_password(s, "ann", "a long passphrase")) is not None


# --- users set-password ------------------------------------------------------------


def web_session_works(client) -> bool:
    """Whether the test client's session cookie still opens the library."""
    return client.get("/").status_code == 200


def test_set_password_replaces_it_and_signs_every_web_session_out(cli, ann, login, in_db, client):
    signed_in = login(ann)
    assert web_session_works(signed_in)

    result = cli("users", "set-password", "ANN", "--password", "a brand new passphrase")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Changed the password of ann; their web sessions are signed out."

    assert not web_session_works(signed_in)
    assert in_db(lambda s: user_service.check_password(s, "ann", ann.password)) is None
    ann.password = "a brand new passphrase"
    assert web_session_works(login(ann))
    # The API tokens (the extension's) keep working.
    assert me(client, ann.token).status_code == 200


def test_set_password_asks_twice_and_again_when_the_two_differ_or_it_is_too_short(cli, ann, in_db):
    typed = "tiny\nfirst passphrase\nsecond passphrase\nthe real passphrase\nthe real passphrase\n"
    result = cli("users", "set-password", "ann", input=typed)
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "New password for ann" in said
    assert "at least 8 characters (this one has 4)" in said
    assert "The two entered values do not match" in said
    for secret in ("tiny", "first passphrase", "second passphrase", "the real passphrase"):
        assert secret not in said
    assert in_db(lambda s: user_service.check_password(s, "ann", "the real passphrase")) is not None


def test_set_password_with_nothing_typed_gives_up_and_changes_nothing(cli, ann, in_db):
    result = cli("users", "set-password", "ann", input="")
    assert result.returncode != 0
    assert "Aborted" in result.stderr
    assert in_db(lambda s: user_service.check_password(s, "ann", ann.password)) is not None


def test_set_password_refuses_a_short_one_and_keeps_the_old_one_and_the_sessions(cli, ann, login, in_db):
    signed_in = login(ann)
    result = cli("users", "set-password", "ann", "--password", "short")
    assert result.returncode != 0
    assert "A password needs at least 8 characters (this one has 5)" in result.stderr
    assert "Traceback" not in result.stderr
    assert in_db(lambda s: user_service.check_password(s, "ann", ann.password)) is not None
    assert web_session_works(signed_in)


def test_set_password_for_nobody_says_so_before_asking_anything(cli, ann, login, in_db):
    signed_in = login(ann)
    result = cli("users", "set-password", "nobody")  # no input: a prompt would abort instead
    assert result.returncode != 0
    assert "No user 'nobody'" in result.stderr
    assert "password" not in (result.stdout + result.stderr).lower()
    assert web_session_works(signed_in)


def test_set_password_changes_only_that_users_password(cli, ann, bob, login, in_db):
    bobs_session = login(bob)
    cli("users", "set-password", "ann", "--password", "a brand new passphrase", check=True)
    assert in_db(lambda s: user_service.check_password(s, "bob", bob.password)) is not None
    assert web_session_works(bobs_session)


# --- users list ------------------------------------------------------------------


def give_tokens(in_db, username: str, count: int, revoked: int = 0) -> None:
    """Make tokens for a user in-process (quicker than the CLI), the first ``revoked`` of them revoked."""
    def make(s):
        user = user_service.find_user(s, username)
        for n in range(count):
            row, _ = token_service.create_token(s, user)
            if n < revoked:
                token_service.revoke_token(s, user, row.id)
        s.commit()

    in_db(make)


def test_users_list_shows_every_account_by_name_with_its_active_tokens(cli, make_user, in_db):
    ids = {name: make_user(name) for name in ("bob", "Ann", "carol")}
    give_tokens(in_db, "Ann", 2)
    give_tokens(in_db, "bob", 1, revoked=1)

    result = cli("users", "list")
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(int(row[0]), row[1], row[3]) for row in rows] == [
        (ids["Ann"], "Ann", "2 active tokens"), (ids["bob"], "bob", "0 active tokens"),
        (ids["carol"], "carol", "0 active tokens")]
    assert all(re.fullmatch(r"created \d{4}-\d\d-\d\d \d\d:\d\d", row[2]) for row in rows)
    assert "correct horse" not in result.stdout and "scrypt" not in result.stdout


def test_users_list_says_one_token_not_one_tokens(cli, make_user, in_db):
    make_user("ann")
    give_tokens(in_db, "ann", 1)
    assert cli("users", "list", check=True).stdout.endswith("\t1 active token\n")


def test_users_list_without_users_prints_nothing_and_says_how_to_make_one(cli):
    result = cli("users", "list")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert ".venv/bin/flask --app server users create NAME" in result.stderr


# --- tokens create -------------------------------------------------------------------


def test_tokens_create_prints_the_token_alone_and_it_works(cli, make_user, client):
    make_user("ann")
    result = cli("tokens", "create", "ann", "--name", "Firefox on my laptop")
    assert result.returncode == 0, result.stderr
    token = token_of(result)
    # Only the token on stdout, so TOKEN=$(flask --app server tokens create ann) works;
    # the explanation goes to stderr.
    assert result.stdout == token + "\n"
    assert "shown once" in result.stderr and "Firefox on my laptop" in result.stderr

    answer = me(client, token)
    assert answer.status_code == 200, answer.json
    assert answer.json["username"] == "ann"


def test_tokens_create_for_nobody_fails_clearly(cli):
    result = cli("tokens", "create", "nobody")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "No user 'nobody'" in result.stderr
    assert "users create nobody" in result.stderr


# --- tokens list -----------------------------------------------------------------------


def test_tokens_list_shows_name_hint_and_state_never_the_token(cli, make_user, client, in_db):
    make_user("ann")
    laptop = token_of(cli("tokens", "create", "ann", "--name", "laptop", check=True))
    phone = token_of(cli("tokens", "create", "ann", "--name", "phone", check=True))
    assert me(client, laptop).status_code == 200
    phone_id = next(row_id for row_id, name, _ in token_rows(in_db, "ann") if name == "phone")
    cli("tokens", "revoke", "ann", str(phone_id), check=True)

    result = cli("tokens", "list", "ann", check=True)
    rows = {line.split("\t")[1]: line for line in result.stdout.splitlines()}
    assert set(rows) == {"laptop", "phone"}
    assert rows["phone"].startswith(f"{phone_id}\t")
    assert laptop[:10] in rows["laptop"] and phone[:10] in rows["phone"]
    assert rows["laptop"].endswith("\tactive")
    assert re.search(r"\trevoked \d{4}-\d\d-\d\d \d\d:\d\d$", rows["phone"])
    assert re.search(r"\tlast used \d{4}-\d\d-\d\d \d\d:\d\d\t", rows["laptop"])
    assert "\tlast used never\t" in rows["phone"]
    assert laptop not in result.stdout and phone not in result.stdout
    assert laptop not in result.stderr and phone not in result.stderr


def test_tokens_list_of_a_user_without_tokens_is_empty(cli, make_user):
    make_user("ann")
    result = cli("tokens", "list", "ann")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


# --- tokens revoke ---------------------------------------------------------------------


def test_tokens_revoke_stops_the_token_at_once(cli, make_user, client, in_db):
    make_user("ann")
    doomed = token_of(cli("tokens", "create", "ann", "--name", "doomed", check=True))
    kept = token_of(cli("tokens", "create", "ann", "--name", "kept", check=True))
    assert me(client, doomed).status_code == 200
    doomed_id = next(row_id for row_id, name, _ in token_rows(in_db, "ann") if name == "doomed")

    result = cli("tokens", "revoke", "ann", str(doomed_id))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Revoked token {doomed_id} of ann."

    answer = me(client, doomed)
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthorized"
    assert me(client, kept).status_code == 200


def test_tokens_revoke_touches_only_the_named_users_tokens(cli, make_user, client, in_db):
    make_user("ann")
    make_user("bob")
    anns = token_of(cli("tokens", "create", "ann", check=True))
    (ann_token_id, _, _), = token_rows(in_db, "ann")

    result = cli("tokens", "revoke", "bob", str(ann_token_id))
    assert result.returncode != 0
    assert f"bob has no token {ann_token_id}" in result.stderr
    assert me(client, anns).status_code == 200
    assert token_rows(in_db, "ann") == [(ann_token_id, "API token", False)]


# --- setup -----------------------------------------------------------------------------


def test_setup_makes_a_first_user_and_token_then_nothing(cli, client, in_db, database_url):
    first = cli("setup")
    assert first.returncode == 0, first.stderr
    token = token_of(first)
    answer = me(client, token)
    assert answer.status_code == 200, answer.json
    assert answer.json["username"] == "me"
    password = re.search(r"Made user 'me' with password (\S+)", first.stdout).group(1)
    assert in_db(lambda s: user_service.check_password(s, "me", password)) is not None

    second = cli("setup")
    assert second.returncode == 0, second.stderr
    assert "already has users" in second.stdout
    assert not TOKEN.search(second.stdout)
    assert user_names(in_db) == ["me"]
    assert [name for _, name, _ in token_rows(in_db, "me")] == ["first token"]
    assert me(client, token).status_code == 200


def test_setup_does_nothing_when_someone_made_a_user_first(cli, make_user, in_db):
    make_user("ann")
    result = cli("setup", "--username", "admin")
    assert result.returncode == 0, result.stderr
    assert "already has users" in result.stdout
    assert user_names(in_db) == ["ann"]
    assert token_rows(in_db, "ann") == []
