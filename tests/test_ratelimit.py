"""The per-token write limit of the API (server.ratelimit): 429 with Retry-After, reads untouched.

Each test makes an app of its own with a small limit (``MARGINS_RATELIMIT_WRITES``),
so its counts start from nothing; the last ones run the real server under gunicorn.
"""

import http.client
import json
import threading
import time
import uuid

import pytest

from server.services import tokens, users
from tests.api_client import ApiClient
from tests.live_server import LiveServer

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def limited(make_app):
    """An app whose API takes ``limit`` writes per token: ``limited(limit, **config)`` -> its test client."""
    return lambda limit, **config: make_app(MARGINS_RATELIMIT_WRITES=limit, **config).test_client()


def page(api: ApiClient, n: int):
    return api.put("/pages", {"url": f"https://example.com/articles/{n}"})


def assert_refused(answer, limit: str):
    assert answer.status_code == 429, answer.json
    seconds = int(answer.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert answer.json["error"]["code"] == "too_many_requests"
    message = answer.json["error"]["message"]
    assert limit in message and f"try again in {seconds} seconds" in message.lower(), message
    return seconds


def test_past_the_limit_a_write_gets_429_with_retry_after_and_changes_nothing(limited, ann):
    api = ApiClient(limited("3 per minute"), ann.token)
    assert [page(api, n).status_code for n in range(3)] == [201, 201, 201]
    assert_refused(page(api, 3), "3 per 1 minute")
    assert [p["url"] for p in api.get("/pages").json["items"]] == [
        f"https://example.com/articles/{n}" for n in (2, 1, 0)], "the refused page was not made"


def test_counting_in_memory_starts_no_thread_per_write(limited, ann, monkeypatch):
    """limits' own memory storage started a threading.Timer on nearly every write (docs/performance.md)."""
    api = ApiClient(limited("1000 per minute", RATELIMIT_STORAGE_URI="memory://"), ann.token)
    page(api, 0)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    assert [page(api, n).status_code for n in range(1, 21)] == [201] * 20
    assert started == []


def test_reads_are_not_limited(limited, ann):
    api = ApiClient(limited("1 per minute"), ann.token)
    page(api, 0)
    assert page(api, 1).status_code == 429
    for _ in range(20):
        assert api.get("/pages").status_code == 200
        assert api.get("/highlights").status_code == 200


def test_every_write_method_and_the_import_share_one_count(limited, ann):
    api = ApiClient(limited("3 per minute"), ann.token)
    page_id = page(api, 0).json["id"]
    assert api.patch(f"/pages/{page_id}", {"title": "Renamed"}).status_code == 200
    assert api.delete(f"/pages/{page_id}").status_code == 204
    imported = api.client.post("/api/v1/import?format=kindle", headers=api.headers, data=b"",
                               content_type="text/plain")
    assert_refused(imported, "3 per 1 minute")


def test_the_limit_is_per_token(limited, make_person, in_db):
    client = limited("2 per minute")
    ann, bob = make_person("ann"), make_person("bob")
    laptop = ApiClient(client, ann.token)

    def second_token(session):
        _, token = tokens.create_token(session, users.find_user(session, "ann"), "phone")
        session.commit()
        return token

    phone = ApiClient(client, in_db(second_token))
    page(laptop, 0), page(laptop, 1)
    assert page(laptop, 2).status_code == 429
    assert page(phone, 3).status_code == 201, "another token of the same person has its own count"
    assert page(ApiClient(client, bob.token), 4).status_code == 201, "another person is not affected"


def test_after_retry_after_seconds_writes_go_through_again(limited, ann):
    api = ApiClient(limited("2 per 3 second"), ann.token)
    page(api, 0), page(api, 1)
    time.sleep(assert_refused(page(api, 2), "2 per 3 second"))
    assert page(api, 2).status_code == 201


def test_requests_with_no_or_an_unknown_token_do_not_use_up_a_real_tokens_count(limited, ann):
    client = limited("2 per minute")
    for token in (None, "mrg_not-a-real-token"):
        assert [page(ApiClient(client, token), n).status_code for n in range(3)] == [401, 401, 429]
    api = ApiClient(client, ann.token)
    assert [page(api, n).status_code for n in range(2)] == [201, 201]


def test_off_turns_the_limit_off_and_the_document_says_so(limited):
    spec = limited("off").get("/api/v1/openapi.json").json
    assert "429" not in spec["paths"]["/api/v1/pages"]["put"]["responses"]
    assert "TOO_MANY_WRITES" not in spec["components"]["responses"]


def test_the_openapi_document_gives_every_write_a_429_with_retry_after(limited):
    spec = limited("600 per minute").get("/api/v1/openapi.json").json
    writes = reads = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("put", "patch", "post", "delete") and operation.get("security") == []:
                # No token to count by (POST /api/v1/connect): its 429 is its own limit's.
                assert "TOO_MANY_WRITES" not in str(operation["responses"]["429"]), path
            elif method in ("put", "patch", "post", "delete"):
                writes += 1
                assert operation["responses"]["429"] == {"$ref": "#/components/responses/TOO_MANY_WRITES"}, path
            elif method == "get":
                reads += 1
                assert "429" not in operation["responses"], path
    assert writes >= 7 and reads >= 6
    refusal = spec["components"]["responses"]["TOO_MANY_WRITES"]
    assert "600 per minute" in refusal["description"]
    assert refusal["headers"]["Retry-After"]["schema"]["type"] == "integer"
    assert refusal["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_storage_that_does_not_answer_neither_fails_nor_frees_writes(limited, ann):
    pytest.importorskip("redis")
    api = ApiClient(limited("2 per minute", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1"), ann.token)
    assert [page(api, n).status_code for n in range(3)] == [201, 201, 429], "counted in memory meanwhile"


# --- over HTTP, under gunicorn ---------------------------------------------------------------------

def call(server: LiveServer, token: str, method: str, path: str, body=None) -> http.client.HTTPResponse:
    """One request on a connection of its own; the answer's bytes in ``.body``."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = connection.getresponse()
    answer.body = answer.read()
    connection.close()
    return answer


def highlight(server: LiveServer, token: str, n: int) -> int:
    return call(server, token, "PUT", f"/highlights/{uuid.uuid4()}", {
        "url": f"https://example.com/live/{n}", "quote": {"exact": f"passage {n}"}}).status


def test_a_live_server_answers_429_with_retry_after_over_http(database_url, ann):
    with LiveServer(database_url, workers=1, env={"MARGINS_RATELIMIT_WRITES": "4 per minute"}) as server:
        statuses = [highlight(server, ann.token, n) for n in range(4)]
        refused = call(server, ann.token, "PUT", f"/highlights/{uuid.uuid4()}", {
            "url": "https://example.com/live/4", "quote": {"exact": "one too many"}})
        read = call(server, ann.token, "GET", "/highlights")
    assert statuses == [201] * 4
    assert refused.status == 429 and refused.getheader("Content-Type") == "application/json"
    assert 1 <= int(refused.getheader("Retry-After")) <= 60
    assert "4 per 1 minute" in json.loads(refused.body)["error"]["message"]
    assert read.status == 200 and len(json.loads(read.body)["items"]) == 4


def redis_answers() -> bool:
    redis = pytest.importorskip("redis")
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_with_redis_app_servers_share_one_count(database_url, ann):
    if not redis_answers():
        pytest.skip(f"no redis answers at {REDIS_URL}")
    env = {"MARGINS_RATELIMIT_WRITES": "6 per minute", "MARGINS_RATELIMIT_STORAGE_URI": REDIS_URL}
    with LiveServer(database_url, workers=1, env=env) as first, LiveServer(database_url, workers=1, env=env) as second:
        statuses = [highlight(server, ann.token, n) for n, server in enumerate([first, second] * 5)]
    # In each server's memory, each would have taken 6: all 10 would have landed.
    assert statuses == [201] * 6 + [429] * 4
