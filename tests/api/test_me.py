def test_me_names_the_tokens_user(ann):
    answer = ann.api.get("/me")
    assert answer.status_code == 200
    assert answer.json["username"] == "ann"
    assert answer.json["id"] == ann.id
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_me_without_token_is_401_with_a_hint(client):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["error"]["code"] == "unauthorized"
    assert "Authorization: Bearer" in answer.json["error"]["message"]


def test_me_with_unknown_token_is_401(client, ann):
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer mrg_not-a-real-token"})
    assert answer.status_code == 401
    assert "unknown or revoked" in answer.json["error"]["message"]
