"""Change numbers: every write to a user's highlights takes the next one, per user, never reused."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from server.db import SQLITE_BUSY_TIMEOUT_MS, db
from server.models import User
from server.services import changes, highlights, pages, tags
from server.services.cursors import decode_cursor

from .factories import last_change, make_user, put


def test_numbers_are_reserved_in_consecutive_runs_per_user(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    assert changes.take_seq(session, ann.id) == 1
    assert changes.take_seqs(session, ann.id, 3) == range(2, 5)
    assert changes.take_seq(session, bob.id) == 1  # bob's numbers are his own
    assert changes.take_seq(session, ann.id) == 5
    assert (last_change(session, ann), last_change(session, bob)) == (5, 1)


def test_each_write_that_changes_a_highlight_takes_the_next_number_and_no_other_does(session):
    ann = make_user(session)
    one = put(session, ann, "one", tags=["t"])  # 1
    two = put(session, ann, "two", url="https://example.com/other")  # 2
    put(session, ann, "one", uuid=one.uuid, tags=["t"])  # the same again: none
    highlights.patch_highlight(session, ann.id, two.uuid, color="blue")  # 3
    tags.rename_tag(session, ann.id, one.tags[0].id, "renamed")  # 4: the one highlight tagged
    highlights.delete_highlight(session, ann.id, one.uuid)  # 5
    highlights.delete_highlight(session, ann.id, one.uuid)  # already a tombstone: none
    pages.upsert_page(session, ann.id, "https://example.com/other", tags=["page tag"])  # pages: none
    pages.delete_page(session, ann.id, two.page_id)  # 6: two is buried
    assert [(h.uuid, h.seq) for h in highlights.feed(session, ann.id).items] == [(one.uuid, 5), (two.uuid, 6)]
    assert last_change(session, ann) == 6


def test_the_feeds_sync_cursor_is_the_users_last_change_number(session):
    ann = make_user(session)
    for n in range(3):
        put(session, ann, f"passage {n}")
    changes.take_seq(session, ann.id)  # a number taken by a write that changed no highlight of this feed
    sync = highlights.feed(session, ann.id).sync_cursor
    assert decode_cursor(sync, (int,)) == [4]
    assert highlights.feed(session, ann.id, cursor=sync).items == []


def test_while_one_transaction_writes_for_a_user_no_other_can(session):
    """PostgreSQL: the lock is the user's row, so other users' writers go on. SQLite: one writer at a time."""
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    session.commit()
    changes.lock_user(session, ann.id)  # every write service takes it first
    changes.lock_user(session, ann.id)  # again in the same transaction: no deadlock with itself
    bump = update(User).values(change_seq=User.change_seq + 1)
    with db.engine.connect() as other:
        if other.dialect.name == "sqlite":
            put(session, ann)  # no row locks: the first write takes the database's write lock
            other.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                with pytest.raises(OperationalError, match="locked"):
                    other.execute(bump.where(User.id == bob.id))
            finally:
                other.rollback()
                other.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        else:
            with pytest.raises(OperationalError, match="lock"):
                other.execute(select(User.id).where(User.id == ann.id).with_for_update(nowait=True))
            other.rollback()
            other.execute(bump.where(User.id == bob.id))
        other.rollback()
        before = last_change(session, ann)
        session.commit()
        other.execute(bump.where(User.id == ann.id))  # once the first commits, the next writer goes
        other.commit()
    assert last_change(session, ann) == before + 1
