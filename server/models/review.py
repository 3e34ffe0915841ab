from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .types import UTCDateTime


class HighlightReview(db.Model):
    """How a highlight fares in the daily review: favorite or not, when last reviewed, how often."""

    __tablename__ = "highlight_reviews"
    __table_args__ = (Index("ix_highlight_reviews_user_reviewed", "user_id", "last_reviewed_at"),)

    highlight_id: Mapped[int] = mapped_column(ForeignKey("highlights.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    favorite: Mapped[bool] = mapped_column(default=False)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
