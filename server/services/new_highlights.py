"""A new highlight stored in a few prepared Core statements: the lean half of ``highlights.put_highlight``.

A PUT of a UUID the user has not used yet (what the extension sends for
every highlight it makes) needs no ORM unit of work: nothing is loaded,
compared or replaced. It takes the change number, finds or makes the page
and the tags, inserts the highlight and its tag links, touches the page,
and fills the search index, each a statement compiled once per process.
The caller holds the user's lock (``changes.lock_user``) and has checked
that the UUID is new; the same transaction as every other write, which
the caller commits.

The rows it wrote come back as ORM objects the session knows, as if it had
loaded them (no SELECT): callers read them and may change them further.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from ..models import Highlight, Page, PageURL, Tag, User, highlight_tags, utcnow
from . import search
from .pages import _domain, key_hash, key_of
from .tags import wanted_tags

HIGHLIGHTS, PAGES, PAGE_URLS, TAGS, USERS = (model.__table__ for model in (Highlight, Page, PageURL, Tag, User))

_TAKE_SEQ = (update(USERS).where(USERS.c.id == bindparam("user_id"))
             .values(change_seq=USERS.c.change_seq + 1).returning(USERS.c.change_seq))
#: The page the URL key leads to, its activity time now: found and touched in one statement.
_TOUCH_PAGE = (update(PAGES)
               .where(PAGES.c.id == select(PAGE_URLS.c.page_id).where(
                   PAGE_URLS.c.user_id == bindparam("owner"), PAGE_URLS.c.key_hash == bindparam("hash"))
                   .scalar_subquery())
               .values(updated_at=bindparam("now")).returning(PAGES.c.id, PAGES.c.url, PAGES.c.title))
_TITLE_PAGE = update(PAGES).where(PAGES.c.id == bindparam("page_id")).values(title=bindparam("new_title"))
_NEW_PAGE = insert(PAGES).returning(PAGES.c.id)
_NEW_PAGE_URL = insert(PAGE_URLS)
_FIND_TAGS = (select(TAGS.c.id, TAGS.c.name, TAGS.c.name_key)
              .where(TAGS.c.user_id == bindparam("user_id"), TAGS.c.name_key.in_(bindparam("keys", expanding=True))))
_NEW_TAG = insert(TAGS).returning(TAGS.c.id)
_NEW_HIGHLIGHT = insert(HIGHLIGHTS).returning(HIGHLIGHTS.c.id)
_LINK_TAGS = insert(highlight_tags)
_LIVE_ON_PAGE = select(HIGHLIGHTS.c.id).where(HIGHLIGHTS.c.page_id == bindparam("page_id"),
                                               HIGHLIGHTS.c.deleted_at.is_(None))


#: session.info key: {highlight id: user id} of new highlights waiting to be indexed (``indexed_at_end``)
_UNINDEXED = "margins.unindexed_highlights"


@contextmanager
def indexed_at_end(session) -> Iterator[None]:
    """Within it, the new highlights are put in the search index together when it ends (a batch's, in
    one statement pair), not one by one; still in the same transaction. Reindexing only makes the rows
    match the highlights, so a highlight changed again meanwhile (by the ORM) comes out right too."""
    unindexed = session.info[_UNINDEXED] = {}
    try:
        yield
        search.reindex_highlights(session.connection(), unindexed)
    finally:
        del session.info[_UNINDEXED]


def create(session, user_id: int, uuid: str, *, url: str, fields: dict, tags: list[str],
           title: str | None, created_at: datetime | None) -> Highlight:
    """Store a new highlight (its UUID unused by the user, the user locked) and return it."""
    key = key_of(url)
    wanted = wanted_tags(tags)  # everything checked before the first write
    connection = session.connection()
    now = utcnow()
    seq = connection.execute(_TAKE_SEQ, {"user_id": user_id}).scalar_one()
    page = _page(session, connection, user_id, url, key, title, now)
    tag_rows = _tags(session, connection, user_id, wanted)
    values = {"uuid": uuid, "user_id": user_id, "page_id": page.id, **fields,
              "created_at": created_at or now, "updated_at": now, "deleted_at": None, "seq": seq}
    values["id"] = connection.execute(_NEW_HIGHLIGHT, values).scalar_one()
    if tag_rows:
        connection.execute(_LINK_TAGS, [{"highlight_id": values["id"], "tag_id": tag.id} for tag in tag_rows])
    if _UNINDEXED in session.info:
        session.info[_UNINDEXED][values["id"]] = user_id
    else:
        search.index_new_highlights(connection, [values["id"]])
    highlight = _known(session, Highlight, values)
    set_committed_value(highlight, "page", page)
    set_committed_value(highlight, "tags", tag_rows)
    set_committed_value(highlight, "history", [])
    return highlight


def _page(session, connection, user_id: int, url: str, key: str, title: str | None, now: datetime) -> Page:
    """The user's page for the URL key, made when there is none, its activity time now."""
    found = connection.execute(_TOUCH_PAGE, {"owner": user_id, "hash": key_hash(key), "now": now}).first()
    if found is None:
        values = {"user_id": user_id, "url": url, "url_key": key, "domain": _domain(key), "title": title or None,
                  "title_edited": False, "note": "", "created_at": now, "updated_at": now}
        values["id"] = connection.execute(_NEW_PAGE, values).scalar_one()
        connection.execute(_NEW_PAGE_URL, {"user_id": user_id, "page_id": values["id"], "key_hash": key_hash(key)})
        search.reindex_pages(connection, {values["id"]: user_id})
        return _known(session, Page, values)
    values = {"id": found.id, "url": found.url, "title": found.title, "updated_at": now}
    if title and not found.title:  # a title fills an untitled page, which is found by it from now on
        values["title"] = title
        connection.execute(_TITLE_PAGE, {"page_id": found.id, "new_title": title})
        search.reindex_pages(connection, {found.id: user_id})
        live = connection.execute(_LIVE_ON_PAGE, {"page_id": found.id}).scalars()
        search.reindex_highlights(connection, dict.fromkeys(live, user_id))
    return _known(session, Page, values)


def _tags(session, connection, user_id: int, wanted: dict[str, str]) -> list[Tag]:
    """The user's tags for these {name key: name}, made when new, in name-key order."""
    if not wanted:
        return []
    found = {row.name_key: row for row in connection.execute(_FIND_TAGS, {"user_id": user_id, "keys": list(wanted)})}
    tags = []
    for name_key, name in wanted.items():
        row = found.get(name_key)
        values = {"user_id": user_id, "name": row.name if row else name, "name_key": name_key}
        values["id"] = row.id if row else connection.execute(_NEW_TAG, values).scalar_one()
        tags.append(_known(session, Tag, values))
    return tags


def _known(session, model, values: dict):
    """The session's object for this row as just written: the one it holds, brought up to date, or a new one
    it takes as loaded (columns not in ``values`` load when read)."""
    held = session.identity_map.get(session.identity_key(model, values["id"]))
    if held is not None:
        for name, value in values.items():
            set_committed_value(held, name, value)
        return held
    made = inspect(model).class_manager.new_instance()  # as a query's loading makes it: no attribute events
    state = instance_state(made)
    state.dict.update(values)
    state.key = session.identity_key(model, values["id"])
    session.add(made)
    return made
