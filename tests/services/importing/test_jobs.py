"""Import jobs (services/importing/jobs.py): stored in chunks, each committed; a job cut short resumes
where it stopped; re-storing a chunk or the whole file changes nothing; one user's job is theirs."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from server.db import db, write_intent
from server.models import Highlight, ImportJob, utcnow
from server.services import exporting, users
from server.services.errors import NotFound
from server.services.importing import ImportFailed, jobs

from .large_files import readwise_csv

ROWS = 11  # over 5 books, in chunks of 3 rows: 4 chunks, the last one short
FILE = readwise_csv(ROWS, books=5)


class Crash(BaseException):
    """The worker dying mid-job: nothing in the runner catches it (as nothing catches a SIGKILL)."""


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 3)
    monkeypatch.setattr(jobs, "PAUSE_SECONDS", 0)


@pytest.fixture
def people(session):
    ann = users.create_user(session, "ann", "correct horse battery")
    bob = users.create_user(session, "bob", "correct horse battery")
    session.commit()
    return ann.id, bob.id


def _queued(session, user_id: int, data: bytes = FILE) -> int:
    job, _ = jobs.create_job(session, user_id, "readwise-csv", data, "highlights.csv")
    session.commit()
    return job.id


def _job(job_id: int) -> ImportJob:
    """The job as another connection sees it: only what was committed (read as a reader, not a writer)."""
    intent = write_intent.set(False)
    try:
        with db.engine.connect() as connection:
            return connection.execute(select(ImportJob).where(ImportJob.id == job_id)).one()
    finally:
        write_intent.reset(intent)


def _highlights(session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Highlight).where(Highlight.user_id == user_id))


def _crash_on_chunk(monkeypatch, number: int) -> None:
    real, calls = jobs.store_records, []

    def store_records(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            raise Crash
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "store_records", store_records)


def _restart(session, monkeypatch) -> None:
    """What a new worker has: a fresh session, the real code, and the dead runner's heartbeat gone stale."""
    session.rollback()
    monkeypatch.undo()
    monkeypatch.setattr(jobs, "CHUNK_ROWS", 3)
    monkeypatch.setattr(jobs, "PAUSE_SECONDS", 0)
    session.execute(update(ImportJob).values(heartbeat_at=utcnow() - jobs.STALE_AFTER - timedelta(seconds=1)))
    session.commit()


def test_each_chunk_is_committed_with_the_rows_done_so_far(session, people, small_chunks, monkeypatch):
    ann, _ = people
    job_id = _queued(session, ann)
    seen = []
    real = jobs.store_records

    def store_records(session, user_id, records, **kwargs):
        seen.append((_job(job_id).rows_done, sum(map(len, (record.highlights for record in records)))))
        return real(session, user_id, records, **kwargs)

    monkeypatch.setattr(jobs, "store_records", store_records)

    jobs.run_job(session, job_id)

    assert seen == [(0, 3), (3, 3), (6, 3), (9, 2)]
    done = _job(job_id)
    assert (done.state, done.rows_done, done.rows_total, done.data, done.error) == ("done", ROWS, ROWS, None, None)
    assert done.summary == {"pages_created": 5, "highlights_created": ROWS, "highlights_updated": 0,
                            "highlights_unchanged": 0, "skipped": []}
    assert _highlights(session, ann) == ROWS


def test_a_job_cut_short_resumes_after_its_last_chunk_once_its_runner_is_gone(session, people, small_chunks,
                                                                               monkeypatch):
    ann, _ = people
    job_id = _queued(session, ann)
    _crash_on_chunk(monkeypatch, 3)

    with pytest.raises(Crash):
        jobs.run_job(session, job_id)

    session.rollback()
    cut = _job(job_id)
    assert (cut.state, cut.rows_done) == ("running", 6) and _highlights(session, ann) == 6
    jobs.run_job(session, job_id)  # its runner may still be alive: nobody takes the job over yet
    assert _job(job_id).rows_done == 6 and not jobs.is_stale(session.get(ImportJob, job_id))

    _restart(session, monkeypatch)
    assert jobs.stale_jobs(session) == [job_id]
    jobs.run_job(session, job_id)

    done = _job(job_id)
    assert (done.state, done.rows_done) == ("done", ROWS)
    assert done.summary["highlights_created"] == ROWS and done.summary["highlights_unchanged"] == 0
    assert _highlights(session, ann) == ROWS
    assert jobs.stale_jobs(session) == []


def test_a_chunk_stored_again_changes_nothing(session, people, small_chunks, monkeypatch):
    """As when a runner stored a chunk and died before its progress was known: the upsert makes it harmless."""
    ann, bob = people
    job_id = _queued(session, ann)
    _crash_on_chunk(monkeypatch, 3)
    with pytest.raises(Crash):
        jobs.run_job(session, job_id)
    _restart(session, monkeypatch)
    session.execute(update(ImportJob).where(ImportJob.id == job_id).values(rows_done=3))  # one chunk back
    session.commit()

    jobs.run_job(session, job_id)

    done = _job(job_id)
    assert done.summary["highlights_unchanged"] == 3 and done.summary["highlights_created"] == ROWS
    assert _highlights(session, ann) == ROWS
    clean = _queued(session, bob)
    jobs.run_job(session, clean)
    assert _export(session, ann) == _export(session, bob)


def _export(session, user_id: int) -> list:
    """The user's highlights as a JSON export gives them, without what differs between two users' copies."""
    text = b"".join(exporting.export(session, user_id, "csv", exporting.Selection()))
    return sorted(line.split(b",")[1:3] for line in text.splitlines()[1:])


def test_importing_the_same_file_again_changes_nothing(session, people, small_chunks):
    ann, _ = people
    jobs.run_job(session, _queued(session, ann))
    before = session.execute(select(Highlight.uuid, Highlight.seq, Highlight.updated_at)
                             .where(Highlight.user_id == ann).order_by(Highlight.uuid)).all()

    again = _queued(session, ann)
    jobs.run_job(session, again)

    assert _job(again).summary == {"pages_created": 0, "highlights_created": 0, "highlights_updated": 0,
                                   "highlights_unchanged": ROWS, "skipped": []}
    assert session.execute(select(Highlight.uuid, Highlight.seq, Highlight.updated_at)
                           .where(Highlight.user_id == ann).order_by(Highlight.uuid)).all() == before


def test_a_malformed_file_is_refused_before_anything_is_queued(session, people):
    ann, _ = people
    with pytest.raises(ImportFailed, match="^line 3: "):
        jobs.create_job(session, ann, "readwise-csv", b"Highlight,Title,Location\nfine,Book,1\nbad,Book,\xc2\xb2\n")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_a_job_is_only_its_owners(session, people, small_chunks):
    ann, bob = people
    job_id = _queued(session, ann)
    jobs.run_job(session, job_id)

    assert jobs.get_job(session, ann, job_id).state == "done"
    with pytest.raises(NotFound):
        jobs.get_job(session, bob, job_id)
    assert _highlights(session, bob) == 0


def test_a_highlight_changed_in_the_file_is_updated_and_the_rest_left_alone(session, people, small_chunks):
    ann, _ = people
    jobs.run_job(session, _queued(session, ann))
    changed = FILE.replace(b",note 5,", b",a note rewritten,", 1)
    assert changed != FILE

    again = _queued(session, ann, changed)
    jobs.run_job(session, again)

    assert _job(again).summary == {"pages_created": 0, "highlights_created": 0, "highlights_updated": 1,
                                   "highlights_unchanged": ROWS - 1, "skipped": []}
    notes = session.scalars(select(Highlight.note).where(Highlight.user_id == ann, Highlight.note != "")).all()
    assert sorted(notes) == ["a note rewritten", "note 0", "note 10"]
