"""Small factories for the service tests: users, highlights and pages made through the services.

Each takes the session first, as the services do, and fills in what a test
does not care about::

    ann = make_user(session, "ann")
    first = put(session, ann, "the quick brown fox", tags=["animals"], position_start=10)
    page = first.page
"""

import uuid as uuids

from sqlalchemy import select

from server.models import Highlight, User
from server.services import highlights, users

PASSWORD = "correct horse battery"
URL = "https://example.com/essay"


def make_user(session, username: str = "ann", password: str = PASSWORD) -> User:
    return users.create_user(session, username, password)


def fields(exact: str = "a passage", **changes) -> dict:
    """A highlight's content (``highlights.CONTENT_FIELDS``): unplaced, yellow, no note, unless changed."""
    content = {"exact": exact, "prefix": "", "suffix": "", "position_start": None, "position_end": None,
               "range_selector": None, "pdf_page_first": None, "pdf_page_last": None, "color": "yellow", "note": ""}
    unknown = set(changes) - set(content)
    assert not unknown, f"not highlight content: {unknown}"
    return {**content, **changes}


def put(session, user: User, exact: str = "a passage", *, url: str = URL, tags=(), uuid: str | None = None,
        title: str | None = None, created_at=None, **changes) -> Highlight:
    """Create (or replace, given its ``uuid``) one of the user's highlights, as a PUT does."""
    highlight, _ = highlights.put_highlight(
        session, user.id, uuid or str(uuids.uuid4()), url=url, fields=fields(exact, **changes),
        tags=list(tags), title=title, created_at=created_at,
    )
    return highlight


def article_html(title: str, *paragraphs: str, canonical: str | None = None, author: str | None = None) -> str:
    """A small article page the cleaner keeps whole: a title, optional canonical link and author, paragraphs."""
    head = f"<title>{title}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if author:
        head += f'<meta name="author" content="{author}">'
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return f"<!doctype html><html><head>{head}</head><body><article><h1>{title}</h1>{body}</article></body></html>"


def last_change(session, user: User) -> int:
    """The user's last change number as stored (the ORM's copy of the row is not refreshed by writes)."""
    return session.scalar(select(User.change_seq).where(User.id == user.id))
