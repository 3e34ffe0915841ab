"""Every write path keeps the search index current, in a process that imports nothing but the app.

The index follows the ORM through a listener that ``create_app`` registers
(``services.search.keep_index_current``). Each test here prepares data in
this process, then makes one kind of write in a fresh Python process that
only runs ``from server import create_app`` (so no import made elsewhere
can be what registers the listener), then checks that the index holds
exactly what rebuilding it from the data would make.
"""

import json
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text, update

from server.db import db
from server.models import Snapshot
from server.services import search
from tests.paths import REPO

#: Runs one write through the app in its own process: argv = instance path, database URL, JSON job.
WRITER = r'''
import json, sys
from server import create_app

app = create_app({"INSTANCE_PATH": sys.argv[1], "SQLALCHEMY_DATABASE_URI": sys.argv[2], "TESTING": True})
job = json.loads(sys.argv[3])
client = app.test_client()
api = {"Authorization": "Bearer " + job.get("token", "")}


def signed_in():
    form = client.get("/login").text
    csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": job["username"], "password": job["password"],
                                         "csrf_token": csrf})
    assert answer.status_code == 302, answer.text
    return csrf


if job["path"] == "api put":
    answer = client.put(f"/api/v1/highlights/{job['uuid']}", headers=api, json=job["body"])
elif job["path"] == "api import":
    answer = client.post("/api/v1/import?format=json", headers=api, data=job["file"].encode())
    import time  # the import is stored in the background: wait for it before this process ends
    while client.get(answer.headers["Location"], headers=api).json["state"] not in ("done", "failed"):
        time.sleep(0.05)
elif job["path"] == "web edit":
    csrf = signed_in()
    answer = client.post(f"/highlights/{job['uuid']}/edit", data={"note": job["note"], "csrf_token": csrf})
elif job["path"] == "web undo":
    csrf = signed_in()
    answer = client.post(f"/highlights/{job['uuid']}/restore", data={"kept": job["kept"], "csrf_token": csrf})
elif job["path"] == "cli reprocess":
    answer = app.test_cli_runner().invoke(args=["snapshots", "reprocess"])
    assert answer.exit_code == 0, answer.output
    sys.exit(0)
assert answer.status_code in (200, 201, 202, 302), (answer.status_code, answer.text)
'''

ARTICLE = ("<html><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1>"
           + "".join(f"<p>Paragraph {n} on how the moon pulls the sea into tides twice a day.</p>" for n in range(6))
           + "</article></body></html>")


def highlight_body(exact: str, note: str = "") -> dict:
    return {"url": "https://example.org/tides", "title": "Tide tables", "note": note,
            "quote": {"exact": exact, "prefix": "", "suffix": ""}}


@pytest.fixture
def write_in_fresh_process(database_url, instance_path):
    def run(**job):
        result = subprocess.run([sys.executable, "-c", WRITER, str(instance_path), database_url, json.dumps(job)],
                                cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]

    return run


@pytest.fixture
def index_rows(app):
    """The index's rows, and the rows rebuilding it would make (rolled back)."""

    def rows(connection):
        key = "rowid" if connection.dialect.name == "sqlite" else "id"
        return sorted(map(tuple, connection.execute(text(
            f"SELECT {key}, title, body, note, user_id, page_id, highlight_id FROM {search.INDEX}"))))

    def read() -> tuple[list, list]:
        with app.app_context(), db.engine.connect() as connection:
            kept = rows(connection)
            search.reindex(connection)
            rebuilt = rows(connection)
            connection.rollback()
        return kept, rebuilt

    return read


def assert_current(index_rows, *words):
    kept, rebuilt = index_rows()
    assert kept == rebuilt
    for word in words:
        assert any(word in " ".join(map(str, row)) for row in kept), word


def test_an_api_put(ann, write_in_fresh_process, index_rows):
    write_in_fresh_process(path="api put", token=ann.token, uuid=str(uuid.uuid4()),
                           body=highlight_body("the moon pulls the sea"))
    assert_current(index_rows, "the moon pulls the sea")


def test_a_web_view_edit(ann, write_in_fresh_process, index_rows):
    highlight_id = str(uuid.uuid4())
    assert ann.api.put(f"/highlights/{highlight_id}", highlight_body("twice a day")).status_code == 201
    write_in_fresh_process(path="web edit", username=ann.username, password=ann.password, uuid=highlight_id,
                           note="spring tides")
    assert_current(index_rows, "spring tides")


def test_an_import(ann, bob, write_in_fresh_process, index_rows):
    assert ann.api.put(f"/highlights/{uuid.uuid4()}", highlight_body("into tides")).status_code == 201
    exported = ann.api.get("/export", format="json").text
    write_in_fresh_process(path="api import", token=bob.token, file=exported)
    kept, _ = index_rows()
    assert {row[4] for row in kept if row[6] is not None} == {ann.id, bob.id}  # bob's highlight is indexed
    assert_current(index_rows, "into tides")


def test_a_snapshot_reprocess(ann, write_in_fresh_process, index_rows, in_db, app):
    assert ann.api.put("/pages", {"url": "https://example.org/tides", "html": ARTICLE}).status_code == 201

    def make_stale(session):
        session.execute(update(Snapshot).values(text="stale words", extractor_version="0"))
        page_ids = {page_id: ann.id for page_id in session.scalars(text("SELECT page_id FROM snapshots"))}
        search.reindex_pages(session.connection(), page_ids)  # as an older cleaner had left it
        session.commit()

    in_db(make_stale)
    assert "stale words" in str(index_rows()[0])
    write_in_fresh_process(path="cli reprocess")
    assert_current(index_rows, "moon pulls the sea")


def test_a_web_view_undo(ann, login, write_in_fresh_process, index_rows):
    highlight_id = str(uuid.uuid4())
    assert ann.api.put(f"/highlights/{highlight_id}", highlight_body("the sea into tides")).status_code == 201
    browser = login(ann)
    page = browser.get(f"/pages/{ann.api.get('/pages').json['items'][0]['id']}").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    deleted = browser.post(f"/highlights/{highlight_id}/delete", data={"csrf_token": csrf})
    kept = deleted.text.split('name="kept" value="', 1)[1].split('"', 1)[0]
    assert "the sea into tides" not in str(index_rows()[0])
    write_in_fresh_process(path="web undo", username=ann.username, password=ann.password, uuid=highlight_id,
                           kept=kept)
    assert_current(index_rows, "the sea into tides")
