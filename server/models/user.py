from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .types import UTCDateTime, utcnow


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    #: casefolded username; unique, so "Ann" and "ann" are one account
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: last change number handed out to this user's highlights (see services.changes)
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: part of every web session's id: raising it ends all of the user's sessions (sign-out)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
