"""GET /api/v1/export with the Markdown options: article=true, raw_notes=true, and a bad value refused."""

import pytest

from tests.services.exporting.seeding import seed

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def ann_page(ann, in_db):
    in_db(lambda session: seed(session, ann.id, [
        {"url": "https://example.com/a", "title": "Tides", "snapshot": "Tides follow the moon.",
         "snapshot_html": "<h2>Tables</h2><ul><li>high water</li></ul>",
         "highlights": [{"exact": "Tides follow the moon", "note": HOSTILE}]}]))
    return ann


def _markdown(person, **params) -> str:
    answer = person.api.get("/export", format="markdown", **params)
    assert answer.status_code == 200, answer.data
    return answer.data.decode()


def test_by_default_no_article_and_the_note_is_sanitized(ann_page):
    text = _markdown(ann_page)
    assert "high water" not in text
    assert HOSTILE not in text and "\\<img src\\=x onerror\\=alert(1)\\>" in text


def test_article_and_raw_notes_on_request(ann_page):
    text = _markdown(ann_page, article="true", raw_notes="true")
    assert "### Article\n\n## Tables\n\n* high water" in text
    assert f"> {HOSTILE}\n" in text


@pytest.mark.parametrize("name", ["article", "raw_notes"])
def test_a_value_that_is_no_boolean_is_refused_by_name(ann_page, name):
    answer = ann_page.api.get("/export", format="markdown", **{name: "maybe"})
    assert answer.status_code == 422
    assert name in answer.json["error"]["fields"]
