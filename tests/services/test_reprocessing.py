"""Reprocessing: stored snapshots cleaned again by the current extractor, one commit each."""

from sqlalchemy import func, select, update

from server.models import Snapshot
from server.services import reprocessing
from server.services.extraction import EXTRACTOR_VERSION

from .factories import make_user
from .test_snapshots import capture


def make_stale(session, *snapshot_ids: int) -> None:
    """Make snapshots look as an older extractor left them."""
    session.execute(update(Snapshot).where(Snapshot.id.in_(snapshot_ids)).values(
        extractor_version="0", text="old text", word_count=2))
    session.commit()


def test_only_snapshots_of_another_extractor_are_due_unless_asked_for_all(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    current, stale = (capture(session, ann, url=f"https://example.com/{n}").snapshots[0].id for n in (1, 2))
    bobs = capture(session, bob).snapshots[0].id
    make_stale(session, stale, bobs)
    assert reprocessing.snapshots_to_reprocess(session) == [stale, bobs]
    assert reprocessing.snapshots_to_reprocess(session, user_id=ann.id) == [stale]
    assert reprocessing.snapshots_to_reprocess(session, user_id=ann.id, everything=True) == [current, stale]


def test_reprocessing_cleans_again_counts_what_it_did_and_commits_each(session):
    ann = make_user(session)
    ids = [capture(session, ann, url=f"https://example.com/{n}").snapshots[0].id for n in range(3)]
    make_stale(session, *ids)
    session.execute(update(Snapshot).where(Snapshot.id == ids[1]).values(raw_html=b"damaged"))
    session.commit()
    done = []
    report = reprocessing.reprocess(session, [*ids, 10**6], progress=done.append)
    assert (report.cleaned, report.unreadable, report.vanished) == (2, [ids[1]], 1)
    assert done == [1, 1, 1, 1]
    session.rollback()  # nothing was left for the caller to commit
    versions = dict(session.execute(select(Snapshot.id, Snapshot.extractor_version)).all())
    assert versions == {ids[0]: EXTRACTOR_VERSION, ids[1]: "0", ids[2]: EXTRACTOR_VERSION}
    assert session.scalar(select(func.count()).where(Snapshot.text == "old text")) == 1
