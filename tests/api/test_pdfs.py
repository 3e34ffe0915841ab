"""PDFs through the API: uploaded as a page's file (plain or gzip), found by file and fingerprint,
downloaded by their owner only, their text searchable; hostile files get clear answers."""

import gzip
import uuid

import pytest

from server.db import db
from server.services import search
from tests.pdf_files import encrypted, repeated_pages, text_pdf, upload_pdf, with_javascript

PAGES = ["Chapter one: the keeper.", "Chapter two: the ships.", "Chapter three: a marmalade lighthouse."]
URL = "https://papers.example/lamp.pdf"


def upload(person, data: bytes, url: str = URL, **headers):
    return upload_pdf(person.api, data, url, **headers)


@pytest.fixture
def paper() -> bytes:
    return text_pdf(PAGES, title="The lamp papers", author="Ann Keeper")


def test_an_uploaded_pdf_becomes_the_pages_file_and_snapshot(ann, paper):
    answer = upload(ann, paper)
    assert answer.status_code == 201, answer.json
    pdf = answer.json
    assert (pdf["page_count"], pdf["text_pages"], pdf["text_error"], pdf["size"]) == (3, 3, None, len(paper))
    assert pdf["page"]["title"] == "The lamp papers" and pdf["page"]["author"] == "Ann Keeper"
    text = ann.api.get(f"/pages/{pdf['page_id']}/snapshot").json["text"]
    assert [text[start:].split("\f")[0] for start in pdf["page_offsets"]] == PAGES


def test_the_same_file_sent_again_gzip_is_stored_once(ann, paper):
    first = upload(ann, paper).json
    again = upload(ann, gzip.compress(paper), **{"Content-Encoding": "gzip"})
    assert again.status_code == 200
    assert again.json["id"] == first["id"]


def test_the_same_file_from_two_urls_is_one_page_found_by_either(ann, paper):
    first = upload(ann, paper).json
    second = upload(ann, paper, url="https://mirror.example/copies/lamp.pdf")
    assert second.json["page_id"] == first["page_id"]
    via_mirror = ann.api.put("/pages", {"url": "https://mirror.example/copies/lamp.pdf"})
    assert via_mirror.status_code == 200 and via_mirror.json["id"] == first["page_id"]


def test_another_file_of_the_same_document_joins_its_page_by_fingerprint(ann, paper):
    first = upload(ann, paper).json
    revised = with_javascript(paper, "app.alert('revised')")  # same /ID, other bytes
    answer = upload(ann, revised, url="https://elsewhere.example/lamp-v2.pdf")
    assert answer.status_code == 201
    assert answer.json["page_id"] == first["page_id"] and answer.json["sha256"] != first["sha256"]
    found = ann.api.get("/pdfs", fingerprint=first["fingerprint"]).json["items"]
    assert [item["id"] for item in found] == [answer.json["id"], first["id"]]


def test_the_page_made_by_a_highlight_first_takes_the_file(ann, paper):
    highlight = ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": URL, "quote": {"exact": "the ships"}})
    assert highlight.status_code == 201
    assert upload(ann, paper).json["page_id"] == highlight.json["page_id"]


def test_the_owner_downloads_the_file_as_it_was_sent(ann, paper):
    pdf = upload(ann, paper).json
    answer = ann.api.client.get(f"/api/v1/pdfs/{pdf['id']}/file", headers=ann.api.headers)
    assert answer.status_code == 200 and answer.data == paper
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="lamp.pdf"'
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_another_user_can_neither_fetch_nor_find_nor_join_it(ann, bob, paper):
    pdf = upload(ann, paper).json
    for path in (f"/pdfs/{pdf['id']}", f"/pdfs/{pdf['id']}/file"):
        assert bob.api.get(path).status_code == 404
    assert bob.api.get("/pdfs", fingerprint=pdf["fingerprint"], sha256=pdf["sha256"]).json["items"] == []
    bobs = upload(bob, paper)
    assert bobs.status_code == 201 and bobs.json["page_id"] != pdf["page_id"] and bobs.json["id"] != pdf["id"]
    assert ann.api.get(f"/pages/{pdf['page_id']}").json["highlight_count"] == 0
    assert [item["id"] for item in ann.api.get("/pdfs", sha256=pdf["sha256"]).json["items"]] == [pdf["id"]]


def test_search_finds_a_word_from_page_three(app, ann, paper):
    page_id = upload(ann, paper).json["page_id"]
    with app.app_context():
        results = search.search(db.session, ann.id, "marmalade")
    assert [result.page_id for result in results] == [page_id]
    assert "<mark>marmalade</mark>" in results[0].body


def test_a_pdf_larger_than_the_limit_is_refused_and_the_highlights_stay(make_app, ann, paper):
    small = make_app(MARGINS_MAX_PDF_BYTES=len(paper) - 1).test_client()
    highlight = ann.api.put(f"/highlights/{uuid.uuid4()}", {"url": URL, "quote": {"exact": "the ships"}})
    for body, headers in ((paper, {}), (gzip.compress(paper), {"Content-Encoding": "gzip"})):
        answer = small.post("/api/v1/pdfs", query_string={"url": URL}, data=body, headers={
            **ann.api.headers, "Content-Type": "application/pdf", **headers})
        assert answer.status_code == 413
        assert "the file was not stored; its page and highlights are kept" in answer.json["error"]["message"]
        assert "MARGINS_MAX_PDF_BYTES" in answer.json["error"]["message"]
    assert ann.api.get(f"/pages/{highlight.json['page_id']}").json["highlight_count"] == 1
    assert ann.api.get("/pdfs", page_id=highlight.json["page_id"]).json["items"] == []


def test_a_pdf_above_the_general_body_limit_but_within_its_own_is_kept(make_app, ann, paper):
    client = make_app(MAX_CONTENT_LENGTH=len(paper) // 2).test_client()
    answer = client.post("/api/v1/pdfs", query_string={"url": URL}, data=paper,
                         headers={**ann.api.headers, "Content-Type": "application/pdf"})
    assert answer.status_code == 201, answer.json


def test_a_body_that_is_not_a_pdf_or_not_sent_as_one_is_refused(ann, paper):
    assert upload(ann, b"<html>hello</html>").status_code == 422
    wrong_type = ann.api.client.post("/api/v1/pdfs", query_string={"url": URL}, data=paper,
                                     headers={**ann.api.headers, "Content-Type": "application/octet-stream"})
    assert wrong_type.status_code == 415
    assert upload(ann, paper, url="ftp://papers.example/lamp.pdf").status_code == 422
    assert ann.api.get("/pages").json["items"] == []


def test_an_encrypted_pdf_is_kept_and_says_its_text_could_not_be_read(ann, paper):
    answer = upload(ann, encrypted(paper, "secret"))
    assert answer.status_code == 201
    assert "encrypted with a password" in answer.json["text_error"] and answer.json["text_pages"] == 0


def test_a_truncated_pdf_is_kept_with_a_clear_error(ann, paper):
    answer = upload(ann, paper[:-300])
    assert answer.status_code == 201
    assert answer.json["text_error"].startswith("The file could not be read as a PDF")


def test_ten_thousand_pages_are_read_until_the_time_limit(make_app, ann):
    client = make_app(MARGINS_PDF_TEXT_SECONDS=3).test_client()
    answer = client.post("/api/v1/pdfs", query_string={"url": URL}, data=repeated_pages("Again.", 10_000),
                         headers={**ann.api.headers, "Content-Type": "application/pdf"})
    assert answer.status_code == 201
    assert answer.json["text_error"].startswith("Reading the text took longer than 3 seconds and was stopped")
    assert ann.api.get("/me").status_code == 200


def test_deleting_the_page_deletes_its_file(ann, paper):
    pdf = upload(ann, paper).json
    assert ann.api.delete(f"/pages/{pdf['page_id']}").status_code == 204
    assert ann.api.get(f"/pdfs/{pdf['id']}/file").status_code == 404
    assert upload(ann, paper).status_code == 201
