"""Import jobs for both HTTP faces: queue an uploaded file and run it in a thread of this worker.

The runner is a daemon thread with an app context (and so a database session)
of its own; the request answers at once. A job whose runner died with its
worker (services/importing/jobs.py: its heartbeat goes stale) is started
again when its status is asked for, and on a worker's first request.
"""

import threading

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from ..db import db
from ..models import ImportJob
from ..services.importing import jobs
from ..services.importing.records import Parsed


def queue(user_id: int, format_name: str, data: bytes, file_name: str = "") -> ImportJob:
    """Check and keep the file (raises ImportFailed, nothing queued), commit, start its runner;
    returns the job as it is after the start."""
    job, parsed = jobs.create_job(db.session, user_id, format_name, data, file_name)
    db.session.commit()
    _start(job.id, parsed)
    db.session.refresh(job)
    return job


def status(user_id: int, job_id: int) -> ImportJob:
    """The user's job (NotFound for anyone else's), its runner started again if it had died."""
    job = jobs.get_job(db.session, user_id, job_id)
    if jobs.is_stale(job):
        _start(job.id)
    return job


def resume_stale_jobs() -> None:
    """Start the runners of every job left without one (a restart); once per app, on its first request
    that finds the schema in place (until then health.py answers 503, and this tries again next time)."""
    app = current_app._get_current_object()
    if app.extensions.get(_RESUMED):  # every request but the first: no lock to take
        return
    with _resumed_lock:
        if app.extensions.get(_RESUMED):
            return
        try:
            stale = jobs.stale_jobs(db.session)
        except SQLAlchemyError:
            return
        finally:
            # Ended here, not left open for the request: on SQLite a write cannot grow from a read
            # transaction once another connection has written (the token check's use record may have).
            db.session.rollback()
        app.extensions[_RESUMED] = True
    for job_id in stale:
        _start(job_id)


_RESUMED = "margins.import_jobs_resumed"
_resumed_lock = threading.Lock()


def _start(job_id: int, parsed: Parsed | None = None) -> None:
    app = current_app._get_current_object()
    threading.Thread(target=_run, args=(app, job_id, parsed), name=f"import-job-{job_id}", daemon=True).start()


def _run(app: Flask, job_id: int, parsed: Parsed | None) -> None:
    with app.app_context():
        try:
            jobs.run_job(db.session, job_id, parsed)
        except Exception:
            app.logger.exception("import job %s stopped on an unexpected error", job_id)
        finally:
            db.session.remove()
