"""Following an import job to its end, as a client of ``POST /api/v1/import`` (202 and a status URL) does,
or the web view's progress page (``/imports/<id>/status``)."""

import time

#: long enough for any file a test imports; a job not done by then fails the test instead of hanging it
WAIT_SECONDS = 120


def followed(client, status_url: str, headers: dict | None = None) -> dict:
    """What the status URL says once the job is done or failed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        job = client.get(status_url, headers=headers or {}).json
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"the import is still {job['state']}: {job}"
        time.sleep(0.02)


def finished(client, answer, headers: dict | None = None) -> dict:
    """The job an accepted import answered with, once it is done or failed (asked at its status URL)."""
    assert answer.status_code == 202, answer.get_data(as_text=True)[:500]
    return followed(client, answer.headers["Location"], headers)


def imported(api, format_name: str, data: bytes, **post) -> dict:
    """Import a file through the API (an ApiClient) and wait for it: the summary of the done job."""
    answer = api.client.post(f"/api/v1/import?format={format_name}", headers=api.headers, data=data, **post)
    job = finished(api.client, answer, api.headers)
    assert job["state"] == "done", job
    return job["summary"]
