"""The daily review: a handful of highlights a day, least recently reviewed first.

A day (UTC) has ``size`` highlights: those already reviewed that day, then
the ones still to see. One place each day goes to the favorite seen least
recently, so favorites come back more often than the rest. The others come
never-reviewed first, then by how long ago they were last reviewed.
"""

from dataclasses import dataclass
from datetime import datetime, time, timezone

from sqlalchemy import select

from ..models import Highlight, HighlightReview, utcnow
from .changes import lock_user
from .highlights import get_highlight
from .pages import HIGHLIGHT_TAGS_AND_PAGE

DAILY = 5


@dataclass
class Day:
    done: list[Highlight]
    pending: list[Highlight]

    @property
    def current(self) -> Highlight | None:
        return self.pending[0] if self.pending else None


def _start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(timezone.utc).date(), time(), tzinfo=timezone.utc)


def _live_with_state(user_id: int):
    return (
        select(Highlight).outerjoin(HighlightReview, HighlightReview.highlight_id == Highlight.id)
        .where(Highlight.user_id == user_id, Highlight.deleted_at.is_(None)).options(*HIGHLIGHT_TAGS_AND_PAGE)
    )


def day(session, user_id: int, now: datetime | None = None, size: int = DAILY) -> Day:
    """Today's review: what was seen today and what is left to see."""
    midnight = _start_of_day(now or utcnow())
    done = list(session.scalars(
        _live_with_state(user_id).where(HighlightReview.last_reviewed_at >= midnight)
        .order_by(HighlightReview.last_reviewed_at, Highlight.id)
    ))
    left = size - len(done)
    if left <= 0:
        return Day(done, [])
    not_today = _live_with_state(user_id).where(
        (HighlightReview.last_reviewed_at.is_(None)) | (HighlightReview.last_reviewed_at < midnight))
    least_recent = (HighlightReview.last_reviewed_at.is_not(None), HighlightReview.last_reviewed_at,
                    Highlight.created_at, Highlight.id)
    favorite = None
    if not favorites(session, [h.id for h in done]):
        favorite = session.scalar(not_today.where(HighlightReview.favorite.is_(True)).order_by(*least_recent).limit(1))
    others = session.scalars(not_today.order_by(*least_recent).limit(left))
    pending = [h for h in others if h is not favorite]
    if favorite is not None:
        pending = [favorite, *pending]
    return Day(done, pending[:left])


def _state(session, user_id: int, uuid: str) -> HighlightReview:
    lock_user(session, user_id)
    highlight = get_highlight(session, user_id, uuid)
    state = session.get(HighlightReview, highlight.id)
    if state is None:
        state = HighlightReview(highlight_id=highlight.id, user_id=user_id, favorite=False, review_count=0)
        session.add(state)
    return state


def mark_reviewed(session, user_id: int, uuid: str, now: datetime | None = None) -> HighlightReview:
    state = _state(session, user_id, uuid)
    state.last_reviewed_at = now or utcnow()
    state.review_count += 1
    session.flush()
    return state


def set_favorite(session, user_id: int, uuid: str, favorite: bool) -> HighlightReview:
    state = _state(session, user_id, uuid)
    state.favorite = favorite
    session.flush()
    return state


def favorites(session, highlight_ids: list[int]) -> set[int]:
    """Which of these highlights are favorites."""
    if not highlight_ids:
        return set()
    return set(session.scalars(select(HighlightReview.highlight_id).where(
        HighlightReview.highlight_id.in_(highlight_ids), HighlightReview.favorite.is_(True))))
