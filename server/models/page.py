from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .tag import Tag, page_tags
from .types import UTCDateTime, utcnow


class Page(db.Model):
    """A web page a user highlighted or saved, found by its URL key."""

    __tablename__ = "pages"
    # AUTOINCREMENT: an id is never handed out again, so an old /pages/<id> link never opens another page.
    __table_args__ = (Index("ix_pages_user_activity", "user_id", "updated_at", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    url_key: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    #: host without "www.", for the domain filter
    domain: Mapped[str] = mapped_column(String(255), index=True)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    #: set once a person renames the page; later snapshots then keep their title
    title_edited: Mapped[bool] = mapped_column(default=False)
    author: Mapped[str | None] = mapped_column(Text)
    site_name: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    published: Mapped[str | None] = mapped_column(String(64))
    favicon: Mapped[str | None] = mapped_column(Text)
    lead_image: Mapped[str | None] = mapped_column(Text)
    word_count: Mapped[int | None] = mapped_column(Integer)
    #: the reader's note on the whole page (Markdown), e.g. Readwise's document note, Glasp's thoughts
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: last activity on the page or its highlights (the library's order)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    tags: Mapped[list[Tag]] = relationship(secondary=page_tags, order_by=Tag.name_key)
    snapshots: Mapped[list["Snapshot"]] = relationship(
        back_populates="page", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Snapshot.id",
    )


class PageURL(db.Model):
    """Every URL key that leads to a page: the URL as seen and its canonical."""

    __tablename__ = "page_urls"
    __table_args__ = (UniqueConstraint("user_id", "key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    #: sha256 of the URL key: keys can be longer than an index entry may be
    key_hash: Mapped[str] = mapped_column(String(64))


class Snapshot(db.Model):
    """A captured copy of a page: the raw HTML (zlib) and its cleaned article."""

    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("page_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sha256: Mapped[str] = mapped_column(String(64))
    raw_html: Mapped[bytes] = mapped_column(LargeBinary)
    raw_size: Mapped[int] = mapped_column(Integer)
    content_html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    extractor_version: Mapped[str] = mapped_column(String(20))

    page: Mapped[Page] = relationship(back_populates="snapshots")
