"""The OpenAPI document is valid, public, and describes every API route."""

import re

from openapi_spec_validator import validate


def spec_of(client) -> dict:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return answer.json


def test_the_document_is_valid_openapi_3(client):
    spec = spec_of(client)
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_api_route_is_documented(app, client):
    documented = {
        (path, method.upper())
        for path, operations in spec_of(client)["paths"].items()
        for method in operations
    }
    routes = {
        (re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes and routes <= documented, routes - documented


def test_bearer_auth_and_the_error_shape_are_declared(client):
    spec = spec_of(client)
    assert spec["security"] == [{"bearerAuth": []}]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = spec["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(error) == {"code", "message", "fields"}


def test_request_schemas_are_the_ones_that_validate(client):
    schemas = spec_of(client)["components"]["schemas"]
    assert set(schemas["HighlightPut"]["required"]) == {"url", "quote"}
    assert schemas["HighlightPut"]["properties"]["color"]["enum"] == [
        "yellow", "green", "blue", "pink", "purple", "orange"]
    assert schemas["Quote"]["required"] == ["exact"]
