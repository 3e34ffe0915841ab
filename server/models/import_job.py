from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .types import UTCDateTime, utcnow

#: what a job is doing: waiting for its runner, storing chunks, finished, given up (``error`` says why)
JOB_STATES = ("queued", "running", "done", "failed")


class ImportJob(db.Model):
    """A file being imported in the background (services/importing/jobs.py).

    The uploaded file is kept until the job ends, so a job cut short (a worker restarted)
    is parsed again and resumed after its ``rows_done``; ``heartbeat_at`` says its runner is alive.
    """

    __tablename__ = "import_jobs"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    #: the file as uploaded; emptied (None) once the job is done or failed
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    #: the Summary's counts so far (and its skipped entries)
    summary: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
