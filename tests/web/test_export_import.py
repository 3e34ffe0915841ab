"""The web view's export download and import form (Flask's test client, signed in by session)."""

import io
import json
import re
import time

import pytest

from tests.services.exporting.seeding import seed


def _sign_in(client, person):
    form = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post("/login", data={"username": person.username, "password": person.password,
                                         "csrf_token": csrf})
    assert answer.status_code == 302


def _csrf(client) -> str:
    page = client.get("/import")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def _imported(client, form) -> str:
    """Send the import form, follow its job to the end; the job's page as it then reads."""
    answer = client.post("/import", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    progress = answer.headers["Location"]
    assert re.fullmatch(r"/imports/\d+", progress)
    deadline = time.monotonic() + 60
    while client.get(progress + "/status").json["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return client.get(progress).get_data(as_text=True)


@pytest.fixture
def signed_in_ann(app, ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "highlights": [
            {"exact": "The tide came in", "color": "blue"}, {"exact": "and went out", "color": "pink"}]}]))
    client = app.test_client()
    _sign_in(client, ann)
    return client


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/export?format=json", "/import"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_export_downloads_with_the_librarys_filters(signed_in_ann):
    answer = signed_in_ann.get("/export?format=csv&color=pink&site=example.com")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="margins-csv.csv"'
    text = answer.get_data(as_text=True)
    assert "and went out" in text and "The tide came in" not in text
    assert signed_in_ann.get("/export?format=docx").status_code == 422


def test_the_import_form_imports_a_file_once_and_says_what_happened(signed_in_ann, app, bob):
    exported = signed_in_ann.get("/export?format=json").data
    bobs = app.test_client()
    _sign_in(bobs, bob)
    form_page = bobs.get("/import").get_data(as_text=True)
    assert 'name="format" value="json"' in form_page  # the name the export has
    form = {"csrf_token": _csrf(bobs), "format": "json", "file": (io.BytesIO(exported), "margins.json")}
    assert "Imported margins.json: 1 new page, 2 new highlights" in _imported(bobs, form)
    again = _imported(bobs, {**form, "file": (io.BytesIO(exported), "margins.json")})
    assert "0 new pages, 0 new highlights, 0 updated, 2 unchanged" in again


def test_a_broken_file_shows_the_problem_and_stores_nothing(signed_in_ann, app, bob):
    bobs = app.test_client()
    _sign_in(bobs, bob)
    form = {"csrf_token": _csrf(bobs), "format": "margins", "file": (io.BytesIO(b'{"format": "margins", "pages": [1]}'),
                                                                      "broken.json")}
    answer = bobs.post("/import", data=form)
    assert answer.status_code == 422
    assert "pages[0]" in answer.get_data(as_text=True)
    assert bobs.get("/export?format=json").json["pages"] == []


def test_the_form_needs_its_csrf_token(signed_in_ann):
    answer = signed_in_ann.post("/import", data={"format": "margins", "file": (io.BytesIO(b"{}"), "x.json")})
    assert answer.status_code == 400


def test_an_imported_page_note_is_shown_on_its_page_sanitized(signed_in_ann, app):
    note = "Thoughts: **slow** reading <script>alert(1)</script>"
    data = json.dumps({"results": [{"title": "On Slow Reading", "url": "https://slow.example/r",
                                    "document_note": note, "highlights": [{"id": "g1", "text": "Listen."}]}]})
    form = {"csrf_token": _csrf(signed_in_ann), "format": "glasp", "file": (io.BytesIO(data.encode()), "glasp.json")}
    _imported(signed_in_ann, form)
    library = signed_in_ann.get("/").get_data(as_text=True)
    page_id = re.search(r'href="/pages/(\d+)"[^>]*>On Slow Reading', library).group(1)
    html = signed_in_ann.get(f"/pages/{page_id}").get_data(as_text=True)
    assert '<div class="note page-note" aria-label="Your note on this page"><p>Thoughts: <strong>slow</strong>' in html
    assert "<script>alert(1)" not in html


def test_someone_elses_import_is_not_found(signed_in_ann, app, bob):
    form = {"csrf_token": _csrf(signed_in_ann), "format": "kindle",
            "file": (io.BytesIO(b"Book (A)\n- Your Highlight on Location 3 | Added on Monday, March 5, 2018\n\nx\n"
                                b"==========\n"), "clippings.txt")}
    page = _imported(signed_in_ann, form)
    job = re.search(r'data-status-url="/imports/(\d+)/status"', page).group(1)
    bobs = app.test_client()
    _sign_in(bobs, bob)
    assert bobs.get(f"/imports/{job}").status_code == 404
    assert bobs.get(f"/imports/{job}/status").status_code == 404
