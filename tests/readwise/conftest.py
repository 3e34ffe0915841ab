"""A Readwise-style client over Flask's test client: ``Token`` auth, paths under /api/v2."""

import pytest

from ..paths import REPO

KINDLE_CLIPPINGS = REPO / "tests" / "fixtures" / "imports" / "kindle" / "english.txt"


class ReadwiseClient:
    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get("/api/v2" + path, headers=self.headers, query_string=params)

    def post(self, path: str, body=None, **kwargs):
        return self.client.post("/api/v2" + path, headers=self.headers, json=body, **kwargs)

    def patch(self, path: str, body=None):
        return self.client.patch("/api/v2" + path, headers=self.headers, json=body)

    def delete(self, path: str):
        return self.client.delete("/api/v2" + path, headers=self.headers)

    def push(self, *highlights: dict):
        return self.post("/highlights/", {"highlights": list(highlights)})


@pytest.fixture
def readwise(client):
    """``readwise(person)``: a Readwise client with the person's token."""
    return lambda person: ReadwiseClient(client, person.token)


BOOK = {"title": "The Art of War", "author": "Sun Tzu", "category": "books", "source_type": "koreader"}
ARTICLE = {"title": "On Margins", "source_url": "https://example.com/essays/margins", "category": "articles"}
