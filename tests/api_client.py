"""A thin API client over Flask's test client, so tests read like uses of the API."""

import gzip
import json


class ApiClient:
    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get("/api/v1" + path, headers=self.headers, query_string=params)

    def put(self, path: str, body=None, **kwargs):
        return self.client.put("/api/v1" + path, headers=self.headers, json=body, **kwargs)

    def patch(self, path: str, body=None):
        return self.client.patch("/api/v1" + path, headers=self.headers, json=body)

    def delete(self, path: str):
        return self.client.delete("/api/v1" + path, headers=self.headers)

    def put_gzip(self, path: str, body):
        return self.client.put(
            "/api/v1" + path,
            headers={**self.headers, "Content-Encoding": "gzip"},
            data=gzip.compress(json.dumps(body).encode()),
            content_type="application/json",
        )

    def feed(self, **params) -> list[dict]:
        """Every item of the change feed, following cursors to the end."""
        items, cursor = [], None
        while True:
            answer = self.get("/highlights", **params, **({"cursor": cursor} if cursor else {}))
            assert answer.status_code == 200, answer.json
            items += answer.json["items"]
            cursor = answer.json["next_cursor"]
            if cursor is None:
                return items
