"""A PDF highlight's pages in every export, and back through the imports that read them."""

import csv
import io
import json

import pytest

from tests.api.test_highlights import highlight
from tests.import_jobs import imported as imported_through
from tests.pdf_files import text_pdf, upload_pdf

PDF_URL = "https://example.com/paper.pdf"
ON_TWO = "1f1e2d3c-0000-4000-8000-000000000001"
ON_THREE_AND_FOUR = "1f1e2d3c-0000-4000-8000-000000000002"
WEB = "1f1e2d3c-0000-4000-8000-000000000003"


@pytest.fixture
def pdf_page(ann) -> int:
    """Ann's PDF with a highlight on page 2, one from page 3 to 4, and its file stored; a web page's highlight."""
    for uuid, exact, pages in ((ON_TWO, "the second page", {"first": 2, "last": 2}),
                               (ON_THREE_AND_FOUR, "across the break", {"first": 3, "last": 4})):
        answer = ann.api.put(f"/highlights/{uuid}", highlight(url=PDF_URL, range=None, pages=pages,
                                                              quote={"exact": exact}))
        assert answer.status_code == 201, answer.json
    assert ann.api.put(f"/highlights/{WEB}", highlight(url="https://example.org/essay")).status_code == 201
    assert upload_pdf(ann.api, text_pdf(["one", "two", "three", "four"]), PDF_URL).status_code in (200, 201)
    return answer.json["page_id"]


def exported(person, format_name: str) -> bytes:
    answer = person.api.get("/export", format=format_name)
    assert answer.status_code == 200
    return answer.data


def imported(person, format_name: str, data: bytes) -> dict:
    return imported_through(person.api, format_name, data)


def pages_of(person) -> dict[str, dict | None]:
    return {item["quote"]["exact"]: item["pages"] for item in person.api.feed()}


def test_markdown_names_the_pages_with_links_to_the_pdf_and_to_its_stored_copy(ann, pdf_page):
    text = exported(ann, "markdown").decode()
    server = "http://localhost"  # the test client's address: the export links to the server it came from
    assert f"· [p. 2](https://example.com/paper.pdf#page=2) ([stored copy]({server}/pages/{pdf_page}/pdf#page=2))" in text
    assert f"· [pp. 3\u20134](https://example.com/paper.pdf#page=3) ([stored copy]({server}/pages/{pdf_page}/pdf#page=3))" in text
    # A web page keeps its text-fragment link, and no page numbers.
    assert "[Open on the page](https://example.org/essay#:~:text=" in text


def test_csv_has_the_first_page_as_its_location_and_its_import_keeps_every_page(ann, bob, pdf_page):
    data = exported(ann, "csv")
    rows = {row["Highlight"]: row for row in csv.DictReader(io.StringIO(data.decode()))}
    assert (rows["the second page"]["Location"], rows["the second page"]["Location Type"]) == ("2", "page")
    assert (rows["across the break"]["Location"], rows["across the break"]["Location Type"]) == ("3", "page")
    assert rows[next(quote for quote in rows if quote not in ("the second page", "across the break"))][
        "Location Type"] == ""
    # Re-imported where they are stored, nothing changes: the last page is kept, not cut to the first.
    assert imported(ann, "readwise-csv", data)["highlights_unchanged"] == 3
    assert pages_of(ann)["across the break"] == {"first": 3, "last": 4}
    # Into another account, a page row carries its first page.
    imported(bob, "readwise-csv", data)
    assert pages_of(bob)["the second page"] == {"first": 2, "last": 2}
    assert pages_of(bob)["across the break"] == {"first": 3, "last": 3}


def test_a_csv_page_location_of_zero_is_refused_naming_the_row(bob):
    data = b"Highlight,Title,URL,Location,Location Type\r\nsome words,A paper,https://example.com/p.pdf,0,page\r\n"
    answer = bob.api.client.post("/api/v1/import?format=readwise-csv", headers=bob.api.headers, data=data)
    assert answer.status_code == 422 and "1 or more" in json.dumps(answer.json)


def test_w3c_gives_the_page_as_a_fragment_selector_and_a_span_as_a_range_and_reads_both_back(ann, bob, pdf_page):
    data = exported(ann, "w3c")
    items = {item["target"]["selector"][0]["exact"]: item["target"]["selector"]
             for item in json.loads(data)["first"]["items"]}
    fragment = {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778"}
    assert {**fragment, "value": "page=2"} in items["the second page"]
    assert {"type": "RangeSelector", "startSelector": {**fragment, "value": "page=3"},
            "endSelector": {**fragment, "value": "page=4"}} in items["across the break"]
    imported(bob, "w3c", data)
    assert pages_of(bob) == pages_of(ann)


def test_hypothesis_gives_the_first_page_as_its_page_selector_and_reads_it_back(ann, bob, pdf_page):
    data = exported(ann, "hypothesis")
    selectors = {next(s["exact"] for s in row["target"][0]["selector"] if s["type"] == "TextQuoteSelector"):
                 row["target"][0]["selector"] for row in json.loads(data)["annotations"] if row["target"][0].get("selector")}
    assert {"type": "PageSelector", "index": 1, "label": "2"} in selectors["the second page"]
    assert not any(s["type"] == "PageSelector" for quote, found in selectors.items()
                   if quote not in ("the second page", "across the break") for s in found)
    imported(bob, "hypothesis", data)
    assert pages_of(bob)["the second page"] == {"first": 2, "last": 2}
    assert pages_of(bob)["across the break"] == {"first": 3, "last": 3}  # Hypothesis has one page a passage
