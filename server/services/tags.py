"""Tags: case-insensitive per user, shared by pages and highlights."""

import re

from sqlalchemy import func, insert, select, union, update

from ..models import Highlight, Tag, highlight_tags, page_tags, utcnow
from .changes import lock_user, take_seqs
from .errors import Invalid, NotFound
from .owned import owned_row

MAX_TAG_LENGTH = 100
MAX_TAGS = 100
_SPACES = re.compile(r"\s+")


def tag_name(raw: str) -> str:
    """The name a tag is stored under: whitespace runs made one space, trimmed, leading "#"s
    (and spaces between them) dropped; "" when nothing is left. The rule of every write and
    every filter, and of the extension's tag input (tests/fixtures/rules/tag-names.json)."""
    return _SPACES.sub(" ", raw or "").lstrip("# ").rstrip()


def tag_key(raw: str) -> str:
    """What tags are matched by, in writes and filters alike: the name, case-folded."""
    return tag_name(raw).casefold()


def split_tags(text: str) -> list[str]:
    """Tags typed as "a, b, #c" (commas separate): their names in the order typed, empty
    ones dropped, a repeated name (any case) kept once, as first written."""
    names: dict[str, str] = {}
    for piece in (text or "").split(","):
        name = tag_name(piece)
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def clean_tag_name(name: str, field: str = "tags") -> str:
    """:func:`tag_name`, checked: raises Invalid (naming ``field``) when empty or too long."""
    cleaned = tag_name(name)
    if not cleaned:
        raise Invalid("A tag name cannot be empty (nor only '#').", {field: ["empty tag"]})
    if len(cleaned) > MAX_TAG_LENGTH:
        raise Invalid(f"A tag name is at most {MAX_TAG_LENGTH} characters.", {field: ["tag too long"]})
    return cleaned


def wanted_tags(names: list[str]) -> dict[str, str]:
    """{name key: name} of the tags asked for, in name-key order: cleaned, duplicates (any case) folded;
    Invalid past MAX_TAGS."""
    wanted: dict[str, str] = {}
    for name in names:
        cleaned = clean_tag_name(name)
        wanted.setdefault(cleaned.casefold(), cleaned)
    if len(wanted) > MAX_TAGS:
        raise Invalid(f"At most {MAX_TAGS} tags per item.", {"tags": ["too many tags"]})
    return dict(sorted(wanted.items()))


def resolve_tags(session, user_id: int, names: list[str]) -> list[Tag]:
    """The user's tags for these names, made when new; duplicates (any case) folded."""
    wanted = wanted_tags(names)
    if not wanted:
        return []
    existing = {
        tag.name_key: tag
        for tag in session.scalars(
            select(Tag).where(Tag.user_id == user_id, Tag.name_key.in_(list(wanted)))
        )
    }
    tags = []
    for key, name in wanted.items():  # name-key order: the order the relationships read them back in
        tag = existing.get(key)
        if tag is None:
            tag = Tag(user_id=user_id, name=name, name_key=key)
            session.add(tag)
        tags.append(tag)
    session.flush()
    return tags


def list_tags(session, user_id: int, only: int | None = None) -> list[dict]:
    """Every tag of the user (or ``only`` the one with that id) with how many live
    highlights carry it, and how many pages (tagged themselves or through a live highlight)."""
    tags = select(Tag.id).where(Tag.user_id == user_id)
    if only is not None:
        tags = tags.where(Tag.id == only)
    highlight_counts = dict(session.execute(
        select(highlight_tags.c.tag_id, func.count())
        .join(Highlight, Highlight.id == highlight_tags.c.highlight_id)
        .where(highlight_tags.c.tag_id.in_(tags), Highlight.deleted_at.is_(None))
        .group_by(highlight_tags.c.tag_id)
    ).all())
    # A page carries a tag when it has the tag itself or one of its live highlights has it.
    carriers = union(
        select(page_tags.c.tag_id, page_tags.c.page_id.label("page_id")).where(page_tags.c.tag_id.in_(tags)),
        select(highlight_tags.c.tag_id, Highlight.page_id.label("page_id"))
        .join(Highlight, Highlight.id == highlight_tags.c.highlight_id)
        .where(highlight_tags.c.tag_id.in_(tags), Highlight.deleted_at.is_(None), Highlight.page_id.is_not(None)),
    ).subquery()
    page_counts = dict(session.execute(
        select(carriers.c.tag_id, func.count()).group_by(carriers.c.tag_id)
    ).all())
    tags = session.scalars(select(Tag).where(Tag.id.in_(tags)).order_by(Tag.name_key))
    return [
        {"id": tag.id, "name": tag.name,
         "highlight_count": highlight_counts.get(tag.id, 0), "page_count": page_counts.get(tag.id, 0)}
        for tag in tags
    ]


def get_tag(session, user_id: int, tag_id: int) -> Tag:
    tag = owned_row(session, Tag, user_id, tag_id)
    if tag is None:
        raise NotFound(f"No tag {tag_id}; GET /api/v1/tags lists yours.")
    return tag


def rename_tag(session, user_id: int, tag_id: int, new_name: str) -> tuple[Tag, bool]:
    """Rename a tag; when another tag already has the name, merge into it.

    Returns the surviving tag and whether a merge happened. Highlights that
    carried the tag get a new change number, so syncing clients see the new name.
    """
    lock_user(session, user_id)
    tag = get_tag(session, user_id, tag_id)
    new_name = clean_tag_name(new_name, field="name")
    target = session.scalar(
        select(Tag).where(Tag.user_id == user_id, Tag.name_key == new_name.casefold(), Tag.id != tag.id)
    )
    _touch_highlights_tagged(session, user_id, tag.id)
    if target is None:
        tag.name, tag.name_key = new_name, new_name.casefold()
        session.flush()
        return tag, False
    for link, owner in ((highlight_tags, highlight_tags.c.highlight_id), (page_tags, page_tags.c.page_id)):
        already = select(owner).where(link.c.tag_id == target.id)
        session.execute(
            insert(link).from_select(
                [owner, link.c.tag_id],
                select(owner, target.id).where(link.c.tag_id == tag.id, owner.not_in(already)),
            )
        )
    session.delete(tag)
    session.flush()
    session.expire_all()
    return target, True


def _touch_highlights_tagged(session, user_id: int, tag_id: int) -> None:
    ids = session.scalars(
        select(highlight_tags.c.highlight_id).where(highlight_tags.c.tag_id == tag_id)
        .order_by(highlight_tags.c.highlight_id)
    ).all()
    if not ids:
        return
    now = utcnow()
    for highlight_id, seq in zip(ids, take_seqs(session, user_id, len(ids)), strict=True):
        session.execute(
            update(Highlight).where(Highlight.id == highlight_id).values(seq=seq, updated_at=now)
            .execution_options(synchronize_session=False)
        )
