"""POST /api/v1/import accepts a file as a job (202, Location) and GET /api/v1/imports/<id> follows it;
a 100,000-row file through the live server while another user writes every second."""

import io
import json
import threading
import time
import urllib.request
import uuid
from datetime import timedelta

from server.db import db
from server.models import ImportJob, utcnow
from server.services.importing import jobs
from tests.import_jobs import finished, followed
from tests.live_server import ApiConnection, LiveServer
from tests.services.importing.large_files import readwise_csv

KINDLE = b"Book (A. Writer)\n- Your Highlight on Location 3 | Added on Monday, March 5, 2018 10:15:02 PM\n\nx\n" \
         b"==========\n"


def test_an_import_is_accepted_as_a_job_that_says_how_it_went(ann):
    answer = ann.api.client.post("/api/v1/import?format=kindle", headers=ann.api.headers, data=KINDLE,
                                 content_type="text/plain")

    assert answer.status_code == 202
    job = answer.json["job"]
    assert answer.headers["Location"] == job["status_url"] == f"/api/v1/imports/{job['id']}"
    assert job["format"] == "kindle" and job["rows_total"] == 1 and job["state"] in ("queued", "running", "done")
    done = finished(ann.api.client, answer, ann.api.headers)
    assert (done["state"], done["rows_done"], done["error"]) == ("done", 1, None)
    assert done["summary"] == {"pages_created": 1, "highlights_created": 1, "highlights_updated": 0,
                               "highlights_unchanged": 0, "skipped": []}
    assert [item["quote"]["exact"] for item in ann.api.feed()] == ["x"]


def test_a_multipart_upload_keeps_its_file_name(ann):
    answer = ann.api.client.post("/api/v1/import?format=kindle", headers=ann.api.headers,
                                 data={"file": (io.BytesIO(KINDLE), "My Clippings.txt")})
    assert finished(ann.api.client, answer, ann.api.headers)["file_name"] == "My Clippings.txt"


def test_someone_elses_import_and_one_that_never_was_are_not_found(ann, bob):
    answer = ann.api.client.post("/api/v1/import?format=kindle", headers=ann.api.headers, data=KINDLE)
    job = finished(ann.api.client, answer, ann.api.headers)

    for path in (job["status_url"], f"/api/v1/imports/{job['id'] + 1}", "/api/v1/imports/99999999999999999999"):
        refused = bob.api.client.get(path, headers=bob.api.headers)
        assert refused.status_code == 404 and refused.json["error"]["code"] == "not_found", path
    assert bob.api.feed() == []
    assert ann.api.client.get(job["status_url"]).status_code == 401


def test_a_file_that_cannot_be_read_is_refused_and_no_job_is_made(ann):
    answer = ann.api.client.post("/api/v1/import?format=readwise-csv", headers=ann.api.headers,
                                 data="Highlight,Title,Location\nx,Book,²\n".encode())
    assert answer.status_code == 422 and answer.json["error"]["message"].startswith("line 2: ")
    assert ann.api.client.get("/api/v1/imports/1", headers=ann.api.headers).status_code == 404


ROWS = 100_000


def test_100000_rows_import_through_the_live_api_while_another_user_writes_every_second(app, database_url,
                                                                                          make_person):
    ann, bob = make_person("ann"), make_person("bob")
    data = readwise_csv(ROWS)
    with LiveServer(database_url, workers=2, threads=4, env={"MARGINS_RATELIMIT_WRITES": "1000000 per minute"}) \
            as server:
        importing = threading.Event()
        importing.set()
        writes: list[int] = []
        writer = threading.Thread(target=_write_every_second, args=(server.url, bob.token, importing, writes))
        writer.start()
        try:
            accepted = _post(server.url, ann.token, data)
            assert accepted["job"]["rows_total"] == ROWS
            answers, job = _follow(server.url, ann.token, accepted["job"]["status_url"])
        finally:
            importing.clear()
            writer.join()
        assert server.log_tail(200).count("Traceback") == 0, server.log_tail(200)

    assert (job["state"], job["rows_done"], job["error"]) == ("done", ROWS, None), job
    assert job["summary"]["highlights_created"] == ROWS and job["summary"]["pages_created"] == 100
    assert all(status < 500 for status in answers), answers  # the importer's own calls, a write among them
    assert len(writes) >= 5 and set(writes) == {201}, writes  # Bob's, one a second all along
    assert len(bob.api.feed()) == len(writes)


def _post(url: str, token: str, data: bytes) -> dict:
    request = urllib.request.Request(f"{url}/api/v1/import?format=readwise-csv", data=data, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 202
        return json.loads(answer.read())


def _follow(url: str, token: str, status_url: str) -> tuple[list[int], dict]:
    """Ask how the job goes every second, writing a highlight of the importer's own on the way;
    every status answered, and the job once ended."""
    connection = ApiConnection(url, token)
    answers = []
    try:
        while True:
            status, job = connection.call("GET", status_url.removeprefix("/api/v1"))
            answers.append(status)
            if status != 200 or job["state"] in ("done", "failed"):
                return answers, job
            if len(answers) == 3:
                status, _ = connection.call("PUT", f"/highlights/{uuid.uuid4()}", _highlight("ann's own"))
                answers.append(status)
            time.sleep(1)
    finally:
        connection.close()


def _write_every_second(url: str, token: str, going: threading.Event, statuses: list[int]) -> None:
    connection = ApiConnection(url, token)
    try:
        while going.is_set():
            status, _ = connection.call("PUT", f"/highlights/{uuid.uuid4()}", _highlight(f"bob's {len(statuses)}"))
            statuses.append(status)
            time.sleep(1)
    finally:
        connection.close()


def _highlight(exact: str) -> dict:
    return {"url": "https://example.com/elsewhere", "quote": {"exact": exact, "prefix": "", "suffix": ""}}


def _stale_job(app, person) -> int:
    """A job whose runner died with its worker: queued with its file, its heartbeat long gone."""
    with app.app_context():
        job, _ = jobs.create_job(db.session, person.id, "kindle", KINDLE, "clippings.txt")
        job.heartbeat_at = utcnow() - jobs.STALE_AFTER - timedelta(seconds=1)
        db.session.commit()
        return job.id


def test_a_job_left_without_a_runner_resumes_when_it_is_asked_for(app, ann):
    ann.api.get("/me")  # not the app's first request: only the question starts it again
    job_id = _stale_job(app, ann)

    job = followed(ann.api.client, f"/api/v1/imports/{job_id}", ann.api.headers)

    assert (job["state"], job["rows_done"], job["summary"]["highlights_created"]) == ("done", 1, 1)


def test_a_restarted_worker_resumes_the_jobs_left_without_a_runner_on_its_first_request(app, make_app, ann):
    job_id = _stale_job(app, ann)
    restarted = make_app()

    assert restarted.test_client().get("/healthz").status_code == 200

    with app.app_context():
        deadline = time.monotonic() + 60
        while (state := db.session.get(ImportJob, job_id).state) != "done":
            assert time.monotonic() < deadline, state
            db.session.rollback()
            time.sleep(0.02)
    assert [item["quote"]["exact"] for item in ann.api.feed()] == ["x"]
