"""Imports as background jobs: a file accepted at once, then stored in chunks, resumable.

:func:`create_job` parses and checks the whole file first (a malformed one
raises ImportFailed and nothing is queued) and keeps it in an ImportJob.
:func:`run_job` stores it :data:`CHUNK_ROWS` rows at a time, each chunk one
short transaction under the user's write lock that also records
``rows_done``, and pauses between chunks so other writers (the importing
user's own too) get the lock. A job whose runner died (a worker restarted)
stops beating: :func:`run_job` takes it over once its heartbeat is
:data:`STALE_AFTER` old, parses the kept file again and goes on after
``rows_done``. Storing is an upsert, so a chunk stored twice changes
nothing. Starting runners (a thread with its own app context) is the HTTP
faces' part: edge/import_jobs.py.
"""

import logging
import time
from datetime import timedelta

from sqlalchemy import or_, select, update

from ...db import write_intent
from ...models import ImportJob, utcnow
from ..changes import lock_user
from ..errors import NotFound, ServiceError
from ..owned import owned_row
from . import check_parsed, parse_file, store_tags
from .records import Parsed
from .store import Summary, chunked, rows_of, store_records

#: rows (highlights, or pages without any) stored in one transaction
CHUNK_ROWS = 1000
#: the lock is left free this long between chunks: longer than SQLite's busy handler sleeps
#: between tries (100 ms at most), so a waiting writer gets in
PAUSE_SECONDS = 0.1
#: a queued or running job whose heartbeat is this old has lost its runner
STALE_AFTER = timedelta(seconds=30)
#: the error a job reports when something other than its file stopped it
UNEXPECTED = "The import stopped on an unexpected error (logged on the server); what was stored so far stays. " \
             "Import the file again to finish it: what is already there is left as it is."

log = logging.getLogger(__name__)


def create_job(session, user_id: int, format_name: str, data: bytes, file_name: str = "") -> tuple[ImportJob, Parsed]:
    """Queue a file: parsed and checked now (raises ImportFailed), stored by :func:`run_job`; the caller commits."""
    parsed = parse_file(format_name, data)
    check_parsed(parsed)
    job = ImportJob(user_id=user_id, format=format_name, data=data, file_name=file_name[:255], state="queued",
                    rows_total=sum(map(rows_of, parsed.pages)), rows_done=0,
                    summary=Summary(skipped=list(parsed.skipped)).as_dict())
    session.add(job)
    session.flush()
    return job, parsed


def get_job(session, user_id: int, job_id: int) -> ImportJob:
    job = owned_row(session, ImportJob, user_id, job_id)
    if job is None:
        raise NotFound(f"You have no import {job_id}.")
    return job


def is_stale(job: ImportJob) -> bool:
    """True when the job should be running but no runner has beaten for :data:`STALE_AFTER`."""
    return job.state in ("queued", "running") and job.heartbeat_at < utcnow() - STALE_AFTER


def stale_jobs(session) -> list[int]:
    """Every user's jobs that lost their runner (a worker restarted), oldest first."""
    return list(session.scalars(select(ImportJob.id).where(
        ImportJob.state.in_(("queued", "running")), ImportJob.heartbeat_at < utcnow() - STALE_AFTER,
    ).order_by(ImportJob.id)))


def run_job(session, job_id: int, parsed: Parsed | None = None) -> None:
    """Store a job's file chunk by chunk, committing each; ``parsed``: the file as create_job read it.

    Does nothing when another runner has the job (or it has ended). A problem with a record
    fails the job naming it (what was stored before stays); any other error fails it too, and is raised.
    """
    intent = write_intent.set(True)  # SQLite: take the write lock first (BEGIN IMMEDIATE)
    try:
        if not _claim(session, job_id):
            return
        job = session.get(ImportJob, job_id)
        try:
            _store_chunks(session, job, parsed or parse_file(job.format, job.data))
        except ServiceError as error:
            _end(session, job, "failed", error.message)
        except Exception:
            _end(session, job, "failed", UNEXPECTED)
            raise
    finally:
        write_intent.reset(intent)


def _claim(session, job_id: int) -> bool:
    """Take the job: a queued one, or a running one whose runner stopped beating. One runner wins."""
    now = utcnow()
    taken = session.execute(update(ImportJob).where(
        ImportJob.id == job_id,
        or_(ImportJob.state == "queued",
            (ImportJob.state == "running") & (ImportJob.heartbeat_at < now - STALE_AFTER)),
    ).values(state="running", heartbeat_at=now, updated_at=now).execution_options(synchronize_session=False))
    session.commit()
    return taken.rowcount == 1


def _store_chunks(session, job: ImportJob, parsed: Parsed) -> None:
    summary = Summary(**job.summary)
    start = 0
    for number, chunk in enumerate(chunked(parsed.pages, CHUNK_ROWS) or [[]]):
        rows = sum(map(rows_of, chunk))
        if start < job.rows_done:  # stored before the runner was restarted
            start += rows
            continue
        if number:
            time.sleep(PAUSE_SECONDS)
        lock_user(session, job.user_id)
        if start == 0:
            store_tags(session, job.user_id, parsed.tags)
        summary.add(store_records(session, job.user_id, chunk, exact=parsed.exact))
        start += rows
        job.rows_done, job.summary = start, summary.as_dict()
        job.heartbeat_at = job.updated_at = utcnow()
        session.commit()
        _forget_all_but(session, job)
    _end(session, job, "done")


def _forget_all_but(session, job: ImportJob) -> None:
    """Empty the session of the chunk's rows: each flush walks all it holds, so they would slow every later chunk."""
    session.expunge_all()
    session.add(job)


def _end(session, job: ImportJob, state: str, error: str | None = None) -> None:
    """Record how the job ended and let go of its file (rolling back a chunk cut short first)."""
    session.rollback()
    if error is not None and state == "failed":
        log.warning("import job %s failed: %s", job.id, error)
    job.state, job.error, job.data = state, error, None
    job.heartbeat_at = job.updated_at = utcnow()
    session.commit()
