"""Tags: listed with counts, renamed, and merged by renaming onto an existing name."""

import uuid


def tag_highlight(person, *tags, url="https://example.com/a"):
    highlight_id = str(uuid.uuid4())
    person.api.put(f"/highlights/{highlight_id}", {"url": url, "quote": {"exact": "words"}, "tags": list(tags)})
    return highlight_id


def tags_of(person) -> dict:
    return {tag["name"]: (tag["highlight_count"], tag["page_count"]) for tag in person.api.get("/tags").json["items"]}


def test_tags_are_listed_with_highlight_and_page_counts(ann):
    tag_highlight(ann, "ai", "policy")
    tag_highlight(ann, "AI")
    page = ann.api.put("/pages", {"url": "https://example.com/b", "tags": ["reading"]}).json
    assert page["tags"] == ["reading"]
    assert tags_of(ann) == {"ai": (2, 1), "policy": (1, 1), "reading": (0, 1)}


def test_deleted_highlights_do_not_count(ann):
    highlight_id = tag_highlight(ann, "ai")
    ann.api.delete(f"/highlights/{highlight_id}")
    assert tags_of(ann) == {"ai": (0, 0)}


def test_rename_changes_the_name_everywhere_and_shows_in_the_feed(ann):
    highlight_id = tag_highlight(ann, "ml")
    before = ann.api.feed()[-1]["updated_at"]
    tag_id = ann.api.get("/tags").json["items"][0]["id"]
    answer = ann.api.patch(f"/tags/{tag_id}", {"name": "Machine learning"})
    assert answer.status_code == 200
    assert answer.json == {"id": tag_id, "name": "Machine learning", "highlight_count": 1, "page_count": 1,
                           "merged": False}
    (changed,) = ann.api.feed(updated_after=before)
    assert changed["id"] == highlight_id
    assert changed["tags"] == ["Machine learning"]


def test_renaming_onto_an_existing_tag_merges_them(ann):
    both = tag_highlight(ann, "ml", "machine-learning")
    tag_highlight(ann, "ml")
    tag_highlight(ann, "machine-learning")
    ann.api.put("/pages", {"url": "https://example.com/p", "tags": ["ml"]})
    ids = {tag["name"]: tag["id"] for tag in ann.api.get("/tags").json["items"]}
    answer = ann.api.patch(f"/tags/{ids['ml']}", {"name": "Machine-Learning"})
    assert answer.json["merged"] is True
    assert answer.json["id"] == ids["machine-learning"]
    assert tags_of(ann) == {"machine-learning": (3, 2)}  # its highlights' page and the tagged page
    assert ann.api.get(f"/highlights/{both}").json["tags"] == ["machine-learning"]


def test_renaming_to_another_case_of_itself_is_a_rename(ann):
    tag_highlight(ann, "ai")
    tag_id = ann.api.get("/tags").json["items"][0]["id"]
    answer = ann.api.patch(f"/tags/{tag_id}", {"name": "AI"})
    assert (answer.json["name"], answer.json["merged"]) == ("AI", False)


def test_rename_errors(ann):
    tag_highlight(ann, "ai")
    tag_id = ann.api.get("/tags").json["items"][0]["id"]
    assert ann.api.patch("/tags/987654", {"name": "x"}).status_code == 404
    blank = ann.api.patch(f"/tags/{tag_id}", {"name": "   "})
    assert blank.status_code == 422
    assert "empty" in blank.json["error"]["message"]
    assert ann.api.patch(f"/tags/{tag_id}", {}).status_code == 422
