"""The web view shows a PDF highlight's pages, linked to the stored copy at that page when the file is kept."""

import re

from tests.api.test_highlights import highlight
from tests.pdf_files import text_pdf, upload_pdf

PDF_URL = "https://example.com/report.pdf"


def put_pdf_highlight(person, uuid: str, exact: str, first: int, last: int) -> int:
    answer = person.api.put(f"/highlights/{uuid}", highlight(url=PDF_URL, range=None, quote={"exact": exact},
                                                             pages={"first": first, "last": last}))
    assert answer.status_code == 201, answer.json
    return answer.json["page_id"]


def page_numbers(html: str) -> list[str]:
    return re.findall(r'class="pdf-page"(?: href="([^"]*)")?>([^<]*)<', html)


def test_pages_are_shown_unlinked_until_the_file_is_stored_then_open_it_at_the_page(ann, login):
    page_id = put_pdf_highlight(ann, "2a2b2c2d-0000-4000-8000-000000000001", "on one page", 2, 2)
    put_pdf_highlight(ann, "2a2b2c2d-0000-4000-8000-000000000002", "over a page break", 3, 4)
    web = login(ann)
    assert page_numbers(web.get(f"/pages/{page_id}").text) == [("", "p. 2"), ("", "pp. 3\u20134")]
    assert upload_pdf(ann.api, text_pdf(["one", "two", "three", "four"]), PDF_URL).status_code in (200, 201)
    shown = page_numbers(web.get(f"/pages/{page_id}").text)
    assert shown == [(f"/pages/{page_id}/pdf#page=2", "p. 2"), (f"/pages/{page_id}/pdf#page=3", "pp. 3\u20134")]
    assert web.get(f"/pages/{page_id}/pdf").status_code == 200


def test_a_web_page_highlight_shows_no_page_number(ann, login):
    answer = ann.api.put("/highlights/2a2b2c2d-0000-4000-8000-000000000003", highlight())
    assert page_numbers(login(ann).get(f"/pages/{answer.json['page_id']}").text) == []
