"""The access log (server/access_log.py, deploy/gunicorn.conf.py) never holds a token sent in a query
string: its value is written as [redacted], the rest of the line as sent."""

import time
import urllib.error
import urllib.request

import pytest

from server.access_log import REDACTED, redact_query, redact_url

from .live_server import LiveServer


@pytest.mark.parametrize(("query", "logged"), [
    ("access_token=s3cret&format=json", f"access_token={REDACTED}&format=json"),
    ("q=tides&TOKEN=s3cret", f"q=tides&TOKEN={REDACTED}"),
    ("access%5Ftoken=s3cret", f"access%5Ftoken={REDACTED}"),
    ("tokens=2&token_type=bearer&token", "tokens=2&token_type=bearer&token"),
    ("", ""),
])
def test_secret_query_parameters_are_redacted(query, logged):
    assert redact_query(query) == logged


def test_urls_keep_their_path_and_fragment():
    assert redact_url("https://m.example/settings?token=s3cret#new") == f"https://m.example/settings?token={REDACTED}#new"
    assert redact_url("/api/v1/me") == "/api/v1/me"


def written_log(server: LiveServer, last: str) -> str:
    """The server's log once the line of the request to ``last`` is in it (written after the answer)."""
    deadline = time.monotonic() + 10
    while last not in (log := server.log_tail(200)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return log


def test_a_token_in_a_query_string_is_not_written_to_the_access_log(app, database_url, ann):
    with LiveServer(database_url, workers=1) as server:
        request = urllib.request.Request(
            f"{server.url}/api/v1/me?access_token={ann.token}&fields=id",
            headers={"Referer": f"{server.url}/settings?token={ann.token}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 401
        urllib.request.urlopen(f"{server.url}/api/v1/openapi.json?token={ann.token}", timeout=10).close()
        log = written_log(server, "/openapi.json?token=")
    assert ann.token not in log
    assert f"GET /api/v1/me?access_token={REDACTED}&fields=id HTTP/1.1" in log
    assert f"/openapi.json?token={REDACTED}" in log
