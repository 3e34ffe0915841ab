"""Highlights as the services keep them: one per client UUID, replaced whole, buried as
tombstones, brought back, and listed in the change feed."""

import uuid as uuids
from datetime import datetime, timezone

import pytest

from server.services import highlights
from server.services.errors import NotFound

from .factories import fields, last_change, make_user, put

ID = "3f2b5e1c-8d4a-4e6b-9c1d-2a3b4c5d6e7f"


def feed_uuids(session, user, **filters) -> list[str]:
    return [h.uuid for h in highlights.feed(session, user.id, **filters).items]


def test_the_same_put_again_changes_nothing_not_even_the_change_number(session):
    ann = make_user(session)
    made, created = highlights.put_highlight(session, ann.id, ID, url="https://example.com/a",
                                             fields=fields("the fox", color="blue"), tags=["animals"])
    seen = (made.seq, made.updated_at, made.page.updated_at)
    again, created_again = highlights.put_highlight(session, ann.id, ID, url="https://example.com/a",
                                                    fields=fields("the fox", color="blue"), tags=["Animals"])
    assert (created, created_again) == (True, False)
    assert again is made
    assert (again.seq, again.updated_at, again.page.updated_at) == seen
    assert last_change(session, ann) == 1


def test_a_put_with_changes_replaces_the_content_but_keeps_when_it_was_made(session):
    ann = make_user(session)
    made_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    first = put(session, ann, "the fox", uuid=ID, tags=["animals"], note="old note", created_at=made_at)
    second = put(session, ann, "the quick fox", uuid=ID, tags=["foxes"], position_start=4, position_end=17)
    assert second.id == first.id
    assert (second.exact, second.note, second.position_start) == ("the quick fox", "", 4)
    assert [tag.name for tag in second.tags] == ["foxes"]
    assert second.created_at == made_at
    assert second.seq == 2


def test_a_put_may_move_a_highlight_to_another_page(session):
    ann = make_user(session)
    first = put(session, ann, uuid=ID, url="https://example.com/a")
    moved = put(session, ann, uuid=ID, url="https://example.com/b")
    assert moved.page.url == "https://example.com/b"
    assert first.id == moved.id
    assert feed_uuids(session, ann, url="https://example.com/a") == []
    assert feed_uuids(session, ann, url="https://example.com/b") == [ID]


def test_one_uuid_names_a_highlight_of_each_user(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    anns = put(session, ann, "ann's passage", uuid=ID)
    bobs = put(session, bob, "bob's passage", uuid=ID)
    assert anns.id != bobs.id and anns.page_id != bobs.page_id
    assert highlights.get_highlight(session, ann.id, ID).exact == "ann's passage"
    assert highlights.get_highlight(session, bob.id, ID).exact == "bob's passage"


def test_a_patch_changes_only_what_it_names(session):
    ann = make_user(session)
    put(session, ann, "the fox", uuid=ID, color="green", note="a note", tags=["animals"])
    patched = highlights.patch_highlight(session, ann.id, ID, color="pink")
    assert (patched.color, patched.note, [t.name for t in patched.tags]) == ("pink", "a note", ["animals"])
    patched = highlights.patch_highlight(session, ann.id, ID, note="", tags=[])
    assert (patched.color, patched.note, patched.tags) == ("pink", "", [])
    assert patched.seq == 3


def test_a_change_to_a_highlight_brings_its_page_to_the_top_of_the_library(session):
    ann = make_user(session)
    older = put(session, ann, url="https://example.com/older", uuid=ID)
    newer = put(session, ann, url="https://example.com/newer")
    assert newer.page.updated_at > older.page.updated_at
    highlights.patch_highlight(session, ann.id, ID, note="read again")
    assert older.page.updated_at > newer.page.updated_at


def test_deleting_leaves_a_tombstone_with_nothing_of_the_content(session):
    ann = make_user(session)
    put(session, ann, "a secret passage", uuid=ID, prefix="before ", suffix=" after", note="private",
        position_start=1, position_end=17, range_selector={"startContainer": "/p[1]"}, tags=["t"])
    highlights.delete_highlight(session, ann.id, ID)
    with pytest.raises(NotFound):
        highlights.get_highlight(session, ann.id, ID)
    (tombstone,) = highlights.feed(session, ann.id).items
    assert tombstone.uuid == ID and tombstone.deleted and tombstone.seq == 2
    assert (tombstone.exact, tombstone.prefix, tombstone.suffix, tombstone.note) == ("", "", "", "")
    assert (tombstone.position_start, tombstone.range_selector, tombstone.tags) == (None, None, [])


def test_deleting_a_tombstone_again_is_fine_and_takes_no_number(session):
    ann = make_user(session)
    put(session, ann, uuid=ID)
    highlights.delete_highlight(session, ann.id, ID)
    highlights.delete_highlight(session, ann.id, ID)  # a replay from an offline queue
    assert last_change(session, ann) == 2


def test_nobody_deletes_or_patches_another_users_highlight(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    put(session, ann, "ann's", uuid=ID)
    with pytest.raises(NotFound):
        highlights.delete_highlight(session, bob.id, ID)
    with pytest.raises(NotFound):
        highlights.patch_highlight(session, bob.id, ID, note="bob was here")
    kept = highlights.get_highlight(session, ann.id, ID)
    assert (kept.exact, kept.note, kept.seq) == ("ann's", "", 1)
    assert last_change(session, bob) == 0


def test_a_tombstone_cannot_be_patched_but_a_put_brings_it_back(session):
    ann = make_user(session)
    put(session, ann, "the fox", uuid=ID, tags=["animals"])
    highlights.delete_highlight(session, ann.id, ID)
    with pytest.raises(NotFound):
        highlights.patch_highlight(session, ann.id, ID, color="blue")
    back, created = highlights.put_highlight(session, ann.id, ID, url="https://example.com/essay",
                                             fields=fields("the fox"), tags=["animals"])
    assert not created and not back.deleted
    assert (back.exact, [t.name for t in back.tags], back.seq) == ("the fox", ["animals"], 3)
    assert highlights.get_highlight(session, ann.id, ID) is back


def test_the_feed_lists_changes_in_the_order_they_were_made_tombstones_included(session):
    ann = make_user(session)
    a, b, c = (put(session, ann, text).uuid for text in ("a", "b", "c"))
    highlights.patch_highlight(session, ann.id, a, note="edited")
    highlights.delete_highlight(session, ann.id, b)
    listed = highlights.feed(session, ann.id).items
    assert [(h.uuid, h.deleted) for h in listed] == [(c, False), (a, False), (b, True)]
    assert [h.seq for h in listed] == [3, 4, 5]


def test_the_feed_filters_on_content_only_match_live_highlights(session):
    ann = make_user(session)
    keep = put(session, ann, "the fox", color="blue", tags=["Animals"]).uuid
    gone = put(session, ann, "the fox again", color="blue", tags=["animals"]).uuid
    dog = put(session, ann, "a dog", color="green", note="no fox here either").uuid
    highlights.delete_highlight(session, ann.id, gone)
    assert feed_uuids(session, ann, tag="  ANIMALS ") == [keep]
    assert feed_uuids(session, ann, color="blue") == [keep]
    assert len(feed_uuids(session, ann, q="FOX")) == 2  # the live passage and the note
    # The page filter still shows the tombstone: a client syncing that page must learn of it.
    assert feed_uuids(session, ann, url="https://example.com/essay") == [keep, dog, gone]


def test_the_text_filter_takes_wildcards_literally(session):
    ann = make_user(session)
    hundred = put(session, ann, "grew 100% in a year").uuid
    put(session, ann, "grew 1000 in a year")
    put(session, ann, "snake_case names")
    assert feed_uuids(session, ann, q="100%") == [hundred]
    assert feed_uuids(session, ann, q="e_c") == feed_uuids(session, ann, q="snake_case")


def test_the_feed_of_a_page_knows_it_by_any_spelling_of_its_url(session):
    ann = make_user(session)
    made = put(session, ann, url="https://example.com/essay?utm_source=newsletter").uuid
    assert feed_uuids(session, ann, url="https://EXAMPLE.com/essay#part-2") == [made]
    assert feed_uuids(session, ann, url="https://example.com/another") == []


def test_a_users_feed_holds_only_their_highlights(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    anns = put(session, ann, "ann's", tags=["shared"]).uuid
    put(session, bob, "bob's", tags=["shared"])
    assert feed_uuids(session, ann) == [anns]
    assert feed_uuids(session, ann, tag="shared") == [anns]
    assert feed_uuids(session, ann, url="https://example.com/essay") == [anns]


def test_following_the_next_cursor_gives_every_change_once(session):
    ann = make_user(session)
    made = [put(session, ann, f"passage {n}").uuid for n in range(7)]
    seen, cursor = [], None
    while True:
        batch = highlights.feed(session, ann.id, cursor=cursor, limit=3)
        seen += [h.uuid for h in batch.items]
        if batch.next_cursor is None:
            break
        assert batch.sync_cursor == batch.next_cursor
        cursor = batch.next_cursor
    assert seen == made
    # Kept for later, the last sync cursor gives exactly what changed since.
    highlights.patch_highlight(session, ann.id, made[2], color="green")
    assert [h.uuid for h in highlights.feed(session, ann.id, cursor=batch.sync_cursor).items] == [made[2]]


def test_highlight_ids_are_matched_as_the_client_sent_them(session):
    ann = make_user(session)
    put(session, ann, uuid=str(uuids.UUID(ID)))
    assert highlights.get_highlight(session, ann.id, ID).uuid == ID


def test_a_pdf_highlights_pages_are_kept_replaced_and_cleared_by_delete_and_attach(session):
    ann = make_user(session)
    made = put(session, ann, "across the break", uuid=ID, pdf_page_first=3, pdf_page_last=4)
    assert made.selectors()["pages"] == {"first": 3, "last": 4}
    moved = put(session, ann, "across the break", uuid=ID, pdf_page_first=5, pdf_page_last=5)
    assert moved.selectors()["pages"] == {"first": 5, "last": 5}
    highlights.attach_highlight(session, ann.id, ID, exact="other words", prefix="", suffix="")
    assert moved.selectors()["pages"] is None
    put(session, ann, "again", uuid=ID, pdf_page_first=2, pdf_page_last=2)
    highlights.delete_highlight(session, ann.id, ID)
    assert (moved.pdf_page_first, moved.pdf_page_last) == (None, None)


def test_a_web_page_highlight_has_no_pages(session):
    assert put(session, make_user(session), "the fox").selectors()["pages"] is None
