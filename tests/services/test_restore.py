"""Undo for deletions: what a highlight held is kept aside before deleting, and puts it back."""

import json
from datetime import datetime, timezone

import pytest

from server.services import highlights, pages, restore
from server.services.errors import NotFound

from .factories import make_user, put

MADE_AT = datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=timezone.utc)


def content(highlight) -> tuple:
    return (highlight.exact, highlight.prefix, highlight.suffix, highlight.position_start, highlight.position_end,
            highlight.range_selector, highlight.color, highlight.note, [tag.name for tag in highlight.tags],
            highlight.created_at, highlight.page_id)


@pytest.fixture
def kept_and_deleted(session):
    """ann's highlight, kept aside the way the web view signs it into its Undo form, then deleted."""
    ann = make_user(session)
    highlight = put(session, ann, "the quick brown fox", prefix="Once ", suffix=" jumped", position_start=5,
                    position_end=24, range_selector={"startContainer": "/p[2]", "startOffset": 5},
                    color="green", note="**classic**", tags=["Animals", "typing"], created_at=MADE_AT)
    before = content(highlight)
    kept = json.loads(json.dumps(restore.keepsake(highlight)))  # plain JSON: it travels in a form
    highlights.delete_highlight(session, ann.id, highlight.uuid)
    return ann, highlight.uuid, kept, before


def test_undo_puts_back_everything_the_highlight_held(session, kept_and_deleted):
    ann, uuid, kept, before = kept_and_deleted
    back = restore.restore(session, ann.id, kept)
    assert back.uuid == uuid and not back.deleted
    assert content(back) == before


def test_undo_is_a_change_syncing_clients_see_after_the_deletion(session, kept_and_deleted):
    ann, uuid, kept, _ = kept_and_deleted
    (tombstone,) = highlights.feed(session, ann.id).items
    deleted_seq = tombstone.seq
    back = restore.restore(session, ann.id, kept)
    assert back.seq > deleted_seq
    assert [(h.uuid, h.deleted) for h in highlights.feed(session, ann.id).items] == [(uuid, False)]


def test_undoing_twice_changes_nothing_the_second_time(session, kept_and_deleted):
    ann, _, kept, _ = kept_and_deleted
    seq = restore.restore(session, ann.id, kept).seq
    assert restore.restore(session, ann.id, kept).seq == seq


def test_undo_after_the_page_was_deleted_is_not_found_and_makes_nothing(session, kept_and_deleted):
    ann, uuid, kept, _ = kept_and_deleted
    pages.delete_page(session, ann.id, kept["page_id"])
    with pytest.raises(NotFound):
        restore.restore(session, ann.id, kept)
    assert [(h.uuid, h.deleted) for h in highlights.feed(session, ann.id).items] == [(uuid, True)]
    assert pages.list_pages(session, ann.id)[0] == []


def test_another_users_keepsake_restores_nothing_for_them(session, kept_and_deleted):
    ann, uuid, kept, _ = kept_and_deleted
    bob = make_user(session, "bob")
    with pytest.raises(NotFound):
        restore.restore(session, bob.id, kept)
    assert highlights.feed(session, bob.id).items == []
    with pytest.raises(NotFound):
        highlights.get_highlight(session, ann.id, uuid)
