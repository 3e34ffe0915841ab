from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .page import Page, Snapshot
from .types import UTCDateTime, utcnow


class PdfFile(db.Model):
    """A PDF kept as a page's file, once per content hash per user, and what reading its text found.

    Its text is the snapshot it points to; ``page_offsets`` (JSON) says where each page starts there.
    """

    __tablename__ = "pdf_files"
    __table_args__ = (
        UniqueConstraint("user_id", "sha256"),
        Index("ix_pdf_files_user_fingerprint", "user_id", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"), unique=True)
    #: of the file's bytes
    sha256: Mapped[str] = mapped_column(String(64))
    #: the document's permanent id (first half of /ID) in hex, as PDF.js gives it; None when it has none
    fingerprint: Mapped[str | None] = mapped_column(String(128))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    page_offsets: Mapped[str] = mapped_column(Text)
    #: why the text is partial or missing; None when every page was read
    text_error: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    page: Mapped[Page] = relationship()
    snapshot: Mapped[Snapshot] = relationship()
