"""/api/v2/openapi.json: valid, public, and covering every /api/v2 route; /api/v1's document unchanged."""

import re

from openapi_spec_validator import validate


def test_the_v2_document_is_valid_and_documents_every_route(app, client):
    answer = client.get("/api/v2/openapi.json")
    assert answer.status_code == 200
    spec = answer.json
    validate(spec)
    documented = {(path, method.upper()) for path, operations in spec["paths"].items() for method in operations}
    routes = {
        (re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v2/") and not rule.rule.endswith("openapi.json")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes and routes <= documented, routes - documented
    assert spec["components"]["securitySchemes"]["token"]["name"] == "Authorization"
    assert "413" in spec["paths"]["/api/v2/highlights/"]["post"]["responses"]


def test_the_two_documents_stay_apart(client):
    v1 = client.get("/api/v1/openapi.json").json
    assert not [path for path in v1["paths"] if path.startswith("/api/v2")]
    assert client.get("/api/v1/nothing-here").json["error"]["code"] == "not_found"
