"""Fuzzing: schemathesis sends the API what its OpenAPI document allows, and what it does not.

Every operation of /api/v1/openapi.json gets generated requests, valid and
invalid (schemathesis' examples, coverage and fuzzing phases, positive and
negative), over real HTTP to Margins under gunicorn, with Ann's token. Ann
owns a page with a snapshot, highlights, a tombstone and tags, and about half
the ids in paths are pointed at those rows (``aim_at_stored``): schemathesis
cannot know them, and without that every read, patch and delete would be a
404.

Each answer must be: not a 5xx; a status the operation documents itself (the
catch-all ``default`` does not count); of a documented content type; and
shaped as documented (the response schemas refuse unknown properties). The
rest of schemathesis' checks run too: invalid input refused, requests without
a token refused, undeclared methods answered 405 with ``Allow``. Not its
check that schema-valid input is accepted: a cursor is opaque and a URL
needs a real host, which the document cannot fully say, so valid-looking
input is rightly refused at times.

Bounded and reproducible: a fixed number of examples per operation,
derandomized, no example database.
"""

import json
import tempfile
import urllib.request
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from server import create_app
from tests.api.test_bad_input import Stored, _quick_password_hashes  # noqa: F401 (autouse: quick to make people)
from tests.live_server import LiveServer
from tests.pdf_files import text_pdf, upload_pdf

EXAMPLES_PER_OPERATION = 60
WRITE_LIMIT = "1000000 per minute"  # never reached: the fuzzer is not the abuse test


def openapi_document() -> dict:
    """The document as the server below serves it, from an app of its own: collecting needs no server."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/spec.db",
                          "MARGINS_RATELIMIT_WRITES": WRITE_LIMIT})
        return app.test_client().get("/api/v1/openapi.json").json


schemathesis.serializer.alias("application/pdf", "application/octet-stream")  # PDF uploads: bytes as generated
schema = schemathesis.openapi.from_dict(openapi_document())
# The API ignores parameters and fields it does not know (see schemas.Body), and the token is sent
# with every request (``ignored_auth`` checks requests without one).
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)


@pytest.fixture(scope="module")
def server(database_url, app):
    # ``app`` first: it has brought the database up to date.
    # No limit on the request line: gunicorn's own (4094 bytes) would answer the longer generated
    # queries with its HTML 414 before the app sees them (test_bad_input_sweep covers that limit).
    with LiveServer(database_url, env={"MARGINS_RATELIMIT_WRITES": WRITE_LIMIT},
                    args=["--limit-request-line", "0"]) as live:
        yield live


@pytest.fixture
def stored_ids(ann, in_db) -> dict[str, list]:
    """Ann's rows (see test_bad_input.Stored), by the name of the path parameter that addresses them."""
    stored = Stored(ann, in_db)
    pdf = upload_pdf(ann.api, text_pdf(["A page to fuzz."]), "https://papers.example/fuzz.pdf")
    return {"page_id": [stored.page_id], "tag_id": [tag["id"] for tag in ann.api.get("/tags").json["items"]],
            "highlight_id": [stored.ids()["highlight"], stored.ids()["tombstone"]], "pdf_id": [pdf.json["id"]]}


def aim_at_stored(case, ids: dict[str, list]) -> None:
    """Point about half of the well-formed ids in the path at Ann's rows, chosen by the generated value."""
    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            number = value
        else:
            try:
                number = uuid.UUID(str(value)).int
            except ValueError:
                continue  # a malformed id: leave it to be refused
        if name in ids and number % 2 == 0:
            case.path_parameters[name] = ids[name][number // 2 % len(ids[name])]


def documented_status(ctx, response, case):
    """Stricter than schemathesis' status_code_conformance, which lets the document's ``default`` cover any."""
    if response.request.method != case.operation.method.upper():
        return  # schemathesis' probe of a method the operation does not take (its 405 is checked apart)
    documented = [code for code in case.operation.responses.status_codes if code != "default"]
    if str(response.status_code) not in documented:
        raise UndefinedStatusCode(
            operation=case.operation.label, status_code=response.status_code,
            defined_status_codes=documented, allowed_status_codes=[int(code) for code in documented],
            message=f"Received: {response.status_code}\nDocumented: {', '.join(documented)}",
        )


def test_the_server_serves_the_document_the_tests_are_made_from(server):
    with urllib.request.urlopen(server.url + "/api/v1/openapi.json", timeout=10) as answer:
        assert json.load(answer) == schema.raw_schema


# One test per operation. (Under pytest 9 their node ids lose the operation, "[GET /api/v1/me]";
# a failure's title and report still name it.)
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, server, ann, stored_ids):
    aim_at_stored(case, stored_ids)
    case.call_and_validate(base_url=server.url, headers={"Authorization": f"Bearer {ann.token}"}, timeout=30,
                           additional_checks=[documented_status], excluded_checks=[positive_data_acceptance])
