"""A live server for the reliability tests: 2 gunicorn workers of 4 threads each.

Threads (gunicorn's gthread worker) put several requests of one process in
flight at once, sharing its connection pool, besides the two processes
racing each other; they also keep connections alive, as clients expect.
The write rate limit is raised out of reach: it runs, but never refuses.
"""

import pytest

from tests.live_server import LiveServer

UNLIMITED_WRITES = {"MARGINS_RATELIMIT_WRITES": "1000000 per minute"}


@pytest.fixture
def live_server(app, database_url):
    # ``app`` first: the schema exists before the server starts.
    with LiveServer(database_url, workers=2, threads=4, env=UNLIMITED_WRITES) as server:
        yield server
