"""The daily review: a handful a day, least recently reviewed first, favorites more often."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from server.services import review
from server.services.errors import NotFound

DAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def kept(ann):
    """Eight highlights of ann's, oldest first; returns their uuids."""
    uuids = []
    for n in range(8):
        highlight_id = str(uuid.uuid4())
        answer = ann.api.put(f"/highlights/{highlight_id}", {
            "url": f"https://example.com/{n}", "quote": {"exact": f"passage {n}", "prefix": "", "suffix": ""},
            "color": "yellow", "note": "", "tags": [],
            "created_at": (DAY - timedelta(days=30 - n)).isoformat()})
        assert answer.status_code == 201
        uuids.append(highlight_id)
    return uuids


def uuids_of(highlights):
    return [h.uuid for h in highlights]


def plan(s, user_id, when):
    """A day's review as uuids: (done, pending)."""
    today = review.day(s, user_id, when)
    return uuids_of(today.done), uuids_of(today.pending)


def test_a_day_offers_a_handful_never_reviewed_first_oldest_first(ann, kept, in_db):
    assert in_db(lambda s: plan(s, ann.id, DAY)) == ([], kept[:review.DAILY])


def test_reviewed_highlights_stay_in_the_day_and_the_rest_comes_next(ann, kept, in_db):
    def review_two(s):
        for highlight_id in kept[:2]:
            review.mark_reviewed(s, ann.id, highlight_id, DAY)
        return plan(s, ann.id, DAY + timedelta(hours=1))

    assert in_db(review_two) == (kept[:2], kept[2:5])


def test_tomorrow_brings_the_least_recently_reviewed(ann, kept, in_db):
    def two_days(s):
        for highlight_id in kept[:5]:
            review.mark_reviewed(s, ann.id, highlight_id, DAY)
        return plan(s, ann.id, DAY + timedelta(hours=2)), plan(s, ann.id, DAY + timedelta(days=1))

    today, tomorrow = in_db(two_days)
    assert today == (kept[:5], [])
    # Three never reviewed, then the two reviewed longest ago.
    assert tomorrow == ([], kept[5:] + kept[:2])


def test_a_favorite_gets_a_place_every_day(ann, kept, in_db):
    def favorite_then_days(s):
        review.set_favorite(s, ann.id, kept[7], True)
        _, first = plan(s, ann.id, DAY)
        for highlight_id in first:
            review.mark_reviewed(s, ann.id, highlight_id, DAY)
        return first, plan(s, ann.id, DAY + timedelta(days=1))[1]

    first, second = in_db(favorite_then_days)
    assert first == [kept[7], *kept[:4]]
    # The next day the favorite, reviewed yesterday, comes first again; the rest go on in turn.
    assert second == [kept[7], kept[4], kept[5], kept[6], kept[0]]


def test_deleted_and_other_peoples_highlights_are_not_reviewed(ann, bob, kept, in_db):
    assert ann.api.delete(f"/highlights/{kept[0]}").status_code == 204
    assert kept[0] not in in_db(lambda s: plan(s, ann.id, DAY))[1]
    assert in_db(lambda s: plan(s, bob.id, DAY)) == ([], [])
    with pytest.raises(NotFound):
        in_db(lambda s: review.mark_reviewed(s, bob.id, kept[1], DAY))
