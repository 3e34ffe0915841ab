import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .page import Page
from .tag import Tag, highlight_tags
from .types import UTCDateTime, utcnow

#: the highlight colors' names, from palette.json (the one palette; tests/fixtures/rules/palette.json
#: holds the extension's and the web view's copies to it)
PALETTE = json.loads((Path(__file__).parent / "palette.json").read_text(encoding="utf-8"))["colors"]
COLORS = tuple(PALETTE)


class Highlight(db.Model):
    """A kept passage with its W3C-style selectors.

    ``uuid`` is made by the client, so retries and offline replays never
    duplicate; it is unique per user, not globally, so one user's ids say
    nothing about another's. A deleted highlight stays as a tombstone
    (``deleted_at`` set, content cleared) for the change feed.
    """

    __tablename__ = "highlights"
    __table_args__ = (
        UniqueConstraint("user_id", "uuid"),
        Index("ix_highlights_user_seq", "user_id", "seq"),
        {"sqlite_autoincrement": True},  # ids never handed out again (as PostgreSQL's sequences never do)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"), index=True)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    position_start: Mapped[int | None] = mapped_column(Integer)
    position_end: Mapped[int | None] = mapped_column(Integer)
    range_selector: Mapped[dict | None] = mapped_column(JSON)
    #: on a PDF, the 1-based numbers of the PDF pages the passage starts and ends on
    pdf_page_first: Mapped[int | None] = mapped_column(Integer)
    pdf_page_last: Mapped[int | None] = mapped_column(Integer)
    color: Mapped[str] = mapped_column(String(16), default="yellow")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the user's change number of the last write; orders the change feed
    seq: Mapped[int] = mapped_column(BigInteger)

    page: Mapped[Page | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=highlight_tags, order_by=Tag.name_key)
    #: the quotes it had before it was attached to other text, oldest first
    history: Mapped[list["QuoteHistory"]] = relationship(
        order_by="QuoteHistory.id", cascade="all, delete-orphan", back_populates="highlight")

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def selectors(self) -> dict:
        """The anchoring selectors (quote, position, range, and on a PDF its pages) as the API and
        exports spell them."""
        has_position = self.position_start is not None
        return {
            "quote": {"exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
            "position": {"start": self.position_start, "end": self.position_end} if has_position else None,
            "range": self.range_selector,
            "pages": self.pdf_pages,
        }

    @property
    def pdf_pages(self) -> dict | None:
        """``{"first": N, "last": M}`` on a PDF (1-based page numbers), else None."""
        if self.pdf_page_first is None:
            return None
        return {"first": self.pdf_page_first, "last": self.pdf_page_last}

    @property
    def pages_label(self) -> str:
        """On a PDF "p. 3" or "pp. 3\u20134", as the web view and the Markdown export show it; else ""."""
        if self.pdf_page_first is None:
            return ""
        if self.pdf_page_first == self.pdf_page_last:
            return f"p. {self.pdf_page_first}"
        return f"pp. {self.pdf_page_first}\u2013{self.pdf_page_last}"

    @staticmethod
    def selector_columns(quote: dict, position: dict | None, range_selector: dict | None,
                         pages: dict | None = None) -> dict:
        """The columns that hold selectors spelled as ``selectors()`` spells them (its inverse)."""
        return {
            "exact": quote["exact"], "prefix": quote.get("prefix", ""), "suffix": quote.get("suffix", ""),
            "position_start": (position or {}).get("start"), "position_end": (position or {}).get("end"),
            "range_selector": range_selector,
            "pdf_page_first": (pages or {}).get("first"), "pdf_page_last": (pages or {}).get("last"),
        }

    def bury(self, seq: int, now: datetime) -> None:
        """Make this highlight a tombstone: content cleared, deletion kept for the feed."""
        self.exact = self.prefix = self.suffix = self.note = ""
        self.position_start = self.position_end = None
        self.range_selector = None
        self.pdf_page_first = self.pdf_page_last = None
        self.tags = []
        self.history = []
        self.deleted_at = self.updated_at = now
        self.seq = seq


class QuoteHistory(db.Model):
    """A quote a highlight had before it was attached to other text (orphan repair)."""

    __tablename__ = "quote_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    highlight_id: Mapped[int] = mapped_column(ForeignKey("highlights.id", ondelete="CASCADE"), index=True)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    highlight: Mapped[Highlight] = relationship(back_populates="history")
