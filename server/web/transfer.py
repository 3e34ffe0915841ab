"""Web view: download an export, upload a file to import (signed-in users only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import EXCLUDE, ValidationError

from ..api.transfer import ExportQuerySchema, download, selection_of
from ..db import db
from ..services import exporting, importing
from ..services.errors import Invalid, ServiceError
from .blueprint import render_error

blueprint = Blueprint("transfer", __name__)


@blueprint.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    return render_error(error.status, error.message)


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
    return download(current_user.id, query["format"], selection_of(query), query.get("keep_formulas", False))


@blueprint.route("/import", methods=["GET", "POST"])
@login_required
def import_form():
    """Upload a file from another tool (or a Margins JSON export) and import it."""
    chosen = request.form.get("format", "")
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise Invalid("Choose a file to import.")
            summary = importing.import_file(db.session, current_user.id, chosen, upload.read())
        except ServiceError as error:
            db.session.rollback()
            return _form(chosen, error.message), error.status
        db.session.commit()
        flash(f"Imported {upload.filename}: {summary}.")
        return redirect(url_for("transfer.import_form"))
    return _form(chosen)


def _form(chosen: str, error: str | None = None):
    return render_template("transfer/import.html", import_formats=importing.FORMATS.values(),
                           export_formats=exporting.FORMATS.values(), chosen=chosen, error=error)
