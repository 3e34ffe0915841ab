"""Highlights: idempotent PUT by client UUID, PATCH, DELETE tombstones, and the change feed."""

import time
import uuid

import pytest

ID = "3f2b5e1c-8d4a-4e6b-9c1d-2a3b4c5d6e7f"


def highlight(**changes) -> dict:
    body = {
        "url": "https://example.com/essay?utm_source=newsletter",
        "title": "An essay",
        "quote": {"exact": "the quick brown fox", "prefix": "Once upon a time ", "suffix": " jumped over"},
        "position": {"start": 120, "end": 139},
        "range": {"startContainer": "/p[3]", "startOffset": 4, "endContainer": "/p[3]", "endOffset": 23},
        "color": "yellow",
        "note": "A *classic*.",
        "tags": ["animals", "Typing"],
    }
    body.update(changes)
    return body


def test_put_creates_a_highlight_with_every_selector(ann):
    answer = ann.api.put(f"/highlights/{ID}", highlight(created_at="2026-11-23T10:00:00Z"))
    assert answer.status_code == 201
    made = answer.json
    assert made["id"] == ID
    assert made["quote"] == highlight()["quote"]
    assert made["position"] == {"start": 120, "end": 139}
    assert made["range"] == highlight()["range"]
    assert made["color"] == "yellow"
    assert made["note"] == "A *classic*."
    assert made["tags"] == ["animals", "Typing"]
    assert made["created_at"] == "2026-11-23T10:00:00.000000Z"
    assert made["updated_at"].endswith("Z")
    assert isinstance(made["page_id"], int)


def test_put_makes_the_page_by_url_key(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    pages = ann.api.get("/pages").json["items"]
    assert len(pages) == 1
    assert pages[0]["url_key"] == "https://example.com/essay"
    assert pages[0]["title"] == "An essay"
    assert pages[0]["highlight_count"] == 1


def test_replaying_the_same_put_five_times_keeps_one_unchanged_highlight(ann):
    first = ann.api.put(f"/highlights/{ID}", highlight())
    replies = [ann.api.put(f"/highlights/{ID}", highlight()) for _ in range(4)]
    assert [reply.status_code for reply in replies] == [200] * 4
    assert all(reply.json == first.json for reply in replies)
    assert len(ann.api.feed()) == 1
    assert ann.api.get("/pages").json["items"][0]["highlight_count"] == 1


def test_put_with_changes_replaces_the_highlight(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    answer = ann.api.put(f"/highlights/{ID}", highlight(color="blue", note="", tags=["fox"], position=None))
    assert answer.status_code == 200
    assert answer.json["color"] == "blue"
    assert answer.json["note"] == ""
    assert answer.json["tags"] == ["fox"]
    assert answer.json["position"] is None


def test_two_urls_of_one_article_share_a_page(ann):
    ann.api.put(f"/highlights/{ID}", highlight(url="https://EXAMPLE.com:443/essay?fbclid=abc#section-2"))
    other = str(uuid.uuid4())
    ann.api.put(f"/highlights/{other}", highlight(url="https://example.com/essay"))
    pages = ann.api.get("/pages").json["items"]
    assert len(pages) == 1
    assert pages[0]["highlight_count"] == 2


def test_tags_are_case_insensitive_and_deduplicated(ann):
    answer = ann.api.put(f"/highlights/{ID}", highlight(tags=["AI", "ai", " Ai ", "policy"]))
    assert answer.json["tags"] == ["AI", "policy"]
    other = ann.api.put(f"/highlights/{uuid.uuid4()}", highlight(tags=["ai"]))
    assert other.json["tags"] == ["AI"]


def test_patch_changes_color_note_and_tags_only(ann):
    made = ann.api.put(f"/highlights/{ID}", highlight()).json
    answer = ann.api.patch(f"/highlights/{ID}", {"color": "green", "note": "**Changed**", "tags": ["new"]})
    assert answer.status_code == 200
    assert answer.json["color"] == "green"
    assert answer.json["note"] == "**Changed**"
    assert answer.json["tags"] == ["new"]
    assert answer.json["quote"] == made["quote"]
    assert answer.json["updated_at"] > made["updated_at"]


def test_patch_needs_at_least_one_field(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    answer = ann.api.patch(f"/highlights/{ID}", {})
    assert answer.status_code == 422
    assert "at least one" in answer.json["error"]["fields"]["_schema"][0]


def test_patch_of_an_unknown_highlight_is_404(ann):
    answer = ann.api.patch(f"/highlights/{ID}", {"color": "green"})
    assert answer.status_code == 404
    assert answer.json["error"]["code"] == "not_found"


def test_get_returns_one_live_highlight(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    assert ann.api.get(f"/highlights/{ID}").json["quote"]["exact"] == "the quick brown fox"
    assert ann.api.get(f"/highlights/{uuid.uuid4()}").status_code == 404


def test_delete_leaves_a_tombstone_in_the_feed(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    assert ann.api.delete(f"/highlights/{ID}").status_code == 204
    (item,) = ann.api.feed()
    assert item == {"id": ID, "deleted": True, "updated_at": item["updated_at"]}
    assert ann.api.get(f"/highlights/{ID}").status_code == 404
    assert ann.api.get("/pages").json["items"][0]["highlight_count"] == 0


def test_deleted_content_is_gone_from_storage(ann, in_db):
    from server.models import Highlight

    ann.api.put(f"/highlights/{ID}", highlight(note="private thought"))
    ann.api.delete(f"/highlights/{ID}")
    stored = in_db(lambda session: session.query(Highlight.exact, Highlight.note, Highlight.prefix).one())
    assert tuple(stored) == ("", "", "")


def test_deleting_twice_is_fine_and_deleting_nothing_is_404(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    assert ann.api.delete(f"/highlights/{ID}").status_code == 204
    assert ann.api.delete(f"/highlights/{ID}").status_code == 204
    assert ann.api.delete(f"/highlights/{uuid.uuid4()}").status_code == 404


def test_put_on_a_tombstone_brings_the_highlight_back(ann):
    ann.api.put(f"/highlights/{ID}", highlight())
    ann.api.delete(f"/highlights/{ID}")
    answer = ann.api.put(f"/highlights/{ID}", highlight())
    assert answer.status_code == 200
    assert answer.json["deleted"] is False
    assert ann.api.feed()[-1]["quote"]["exact"] == "the quick brown fox"


def test_feed_lists_changes_in_order_and_updated_after_returns_exactly_what_changed(ann):
    ids = [str(uuid.uuid4()) for _ in range(5)]
    for highlight_id in ids:
        ann.api.put(f"/highlights/{highlight_id}", highlight())
    assert [item["id"] for item in ann.api.feed()] == ids
    mark = ann.api.feed()[-1]["updated_at"]
    time.sleep(0.01)
    ann.api.patch(f"/highlights/{ids[1]}", {"note": "again"})
    ann.api.delete(f"/highlights/{ids[3]}")
    changed = ann.api.feed(updated_after=mark)
    assert [(item["id"], item["deleted"]) for item in changed] == [(ids[1], False), (ids[3], True)]
    assert [item["id"] for item in ann.api.feed()] == [ids[0], ids[2], ids[4], ids[1], ids[3]]


def test_feed_pages_with_cursors_without_gaps_or_repeats(ann):
    ids = [str(uuid.uuid4()) for _ in range(7)]
    for highlight_id in ids:
        ann.api.put(f"/highlights/{highlight_id}", highlight())
    first = ann.api.get("/highlights", limit=3).json
    assert len(first["items"]) == 3 and first["next_cursor"]
    assert [item["id"] for item in ann.api.feed(limit=3)] == ids


def test_the_sync_cursor_gives_exactly_what_changed_since(ann):
    empty = ann.api.get("/highlights").json
    assert (empty["items"], empty["next_cursor"]) == ([], None)
    ann.api.put(f"/highlights/{ID}", highlight())
    first = ann.api.get("/highlights", cursor=empty["sync_cursor"]).json
    assert ([item["id"] for item in first["items"]], first["next_cursor"]) == ([ID], None)
    later = str(uuid.uuid4())
    ann.api.put(f"/highlights/{later}", highlight())
    ann.api.patch(f"/highlights/{ID}", {"note": "edited"})
    again = ann.api.get("/highlights", cursor=first["sync_cursor"]).json
    assert [item["id"] for item in again["items"]] == [later, ID]
    assert ann.api.get("/highlights", cursor=again["sync_cursor"]).json["items"] == []


def test_while_more_remains_the_sync_cursor_is_the_next_cursor(ann):
    for _ in range(3):
        ann.api.put(f"/highlights/{uuid.uuid4()}", highlight())
    batch = ann.api.get("/highlights", limit=2).json
    assert batch["next_cursor"] == batch["sync_cursor"]
    assert len(ann.api.get("/highlights", cursor=batch["sync_cursor"]).json["items"]) == 1


@pytest.mark.parametrize(("params", "expected"), [
    ({"color": "green"}, ["green-one"]),
    ({"tag": "SHARED"}, ["yellow-one", "green-one"]),
    ({"tag": "only-yellow"}, ["yellow-one"]),
    ({"q": "BROWN"}, ["yellow-one"]),
    ({"q": "lazy dog"}, ["green-one"]),
    ({"q": "a note"}, ["green-one"]),
    ({"url": "https://example.com/other?utm_medium=x"}, ["green-one"]),
    ({"url": "https://example.com/never-seen"}, []),
])
def test_feed_filters(ann, params, expected):
    names = {
        "yellow-one": "11111111-1111-4111-8111-111111111111",
        "green-one": "22222222-2222-4222-8222-222222222222",
    }
    ann.api.put(f"/highlights/{names['yellow-one']}", highlight(tags=["shared", "only-yellow"]))
    ann.api.put(f"/highlights/{names['green-one']}", highlight(
        url="https://example.com/other", color="green", note="with a note", tags=["Shared"],
        quote={"exact": "the lazy dog"},
    ))
    found = [item["id"] for item in ann.api.feed(**params)]
    assert found == [names[name] for name in expected]


def test_feed_by_page_id(ann):
    made = ann.api.put(f"/highlights/{ID}", highlight()).json
    ann.api.put(f"/highlights/{uuid.uuid4()}", highlight(url="https://example.com/other"))
    assert [item["id"] for item in ann.api.feed(page=made["page_id"])] == [ID]


def test_uuid_in_any_case_names_one_highlight(ann):
    ann.api.put(f"/highlights/{ID.upper()}", highlight())
    assert ann.api.get(f"/highlights/{ID}").status_code == 200
    assert ann.api.put(f"/highlights/{ID}", highlight()).status_code == 200


def test_fields_from_a_newer_client_are_ignored_not_refused(ann):
    """A queued PUT from a newer extension must land on an older server, not be refused forever."""
    answer = ann.api.put(f"/highlights/{ID}", {
        **highlight(), "reading_progress": 0.4, "quote": {**highlight()["quote"], "xpath_hint": "/p[2]"},
    })
    assert answer.status_code == 201
    assert "reading_progress" not in answer.json
