"""Web view: download an export, upload a file to import and follow its progress (signed-in users only)."""

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import EXCLUDE, ValidationError

from ..db import db
from ..edge import import_jobs
from ..edge.export_query import ExportQuerySchema, download
from ..models import ImportJob
from ..services import exporting, importing
from ..services.errors import Invalid, ServiceError

blueprint = Blueprint("transfer", __name__)


@blueprint.get("/export")
@login_required
def export():
    """Download the signed-in user's highlights: ``?format=`` and the library's filters
    (``tag``, ``color``, ``site`` or ``domain``, ``q``, ``page``), checked as the API checks them."""
    given = {name: value for name, value in request.args.items() if value}
    if "site" in given:
        given["domain"] = given.pop("site")
    try:
        query = ExportQuerySchema().load(given, unknown=EXCLUDE)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in error.messages.items())
        raise Invalid(f"This export cannot be made ({problems}).", error.messages) from None
    return download(current_user.id, query)


@blueprint.route("/import", methods=["GET", "POST"])
@login_required
def import_form():
    """Upload a file from another tool (or a Margins JSON export): checked at once, then imported
    in the background while /imports/<id> shows its progress."""
    chosen = request.form.get("format", "")
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise Invalid("Choose a file to import.")
            job = import_jobs.queue(current_user.id, chosen, upload.read(), upload.filename)
        except ServiceError as error:
            db.session.rollback()
            return _form(chosen, error.message), error.status
        return redirect(url_for("transfer.import_progress", job_id=job.id))
    return _form(chosen)


@blueprint.get("/imports/<int:job_id>")
@login_required
def import_progress(job_id):
    """An import's progress bar (static/import-progress.js follows it), and its summary once done."""
    job = import_jobs.status(current_user.id, job_id)
    return render_template("transfer/import_job.html", job=job, status=_status(job))


@blueprint.get("/imports/<int:job_id>/status")
@login_required
def import_status(job_id):
    """What the progress bar reads: the job's state, rows and what to say of it."""
    return jsonify(_status(import_jobs.status(current_user.id, job_id)))


def _status(job: ImportJob) -> dict:
    return {"state": job.state, "rows_done": job.rows_done, "rows_total": job.rows_total, "message": _message(job)}


def _message(job: ImportJob) -> str:
    name = job.file_name or "the file"
    if job.state == "done":
        return f"Imported {name}: {importing.Summary(**job.summary)}."
    if job.state == "failed":
        return f"Importing {name} stopped: {job.error}"
    return f"Importing {name}: {job.rows_done:,} of {job.rows_total:,} rows stored."


def _form(chosen: str, error: str | None = None):
    return render_template("transfer/import.html", import_formats=importing.FORMATS.values(),
                           export_formats=exporting.FORMATS.values(), chosen=chosen, error=error)
