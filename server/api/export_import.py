"""Export and import: files out (streamed) and files in (the body is the file, not JSON)."""

from flask import g, request, url_for
from marshmallow import Schema, fields, validate

from ..edge import import_jobs
from ..edge.export_query import ExportQuerySchema, download
from ..models import JOB_STATES
from ..services import exporting, importing
from .auth import require_token
from .blueprint import Blueprint

blp = Blueprint("export_import", __name__, description="Export your highlights as files; import files from other tools.")
# Only the token: import bodies are files (text, CSV, JSON), so the JSON-body rule of the other routes is not applied.
blp.before_request(require_token)
# A worker's first request starts the runners of imports a restart cut short.
blp.before_app_request(import_jobs.resume_stale_jobs)


class ImportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(importing.NAMES), metadata={
        "description": "What the file is: " + ", ".join(f"`{name}`" for name in importing.FORMATS)
                       + " (what export `json` writes; `margins` is another name for it)."})


class ImportSummarySchema(Schema):
    pages_created = fields.Integer()
    highlights_created = fields.Integer()
    highlights_updated = fields.Integer()
    highlights_unchanged = fields.Integer(metadata={"description": "Already there as in the file (a re-import)."})
    skipped = fields.List(fields.String(), metadata={
        "description": "Entries of the file left out, each \"where: why\" (e.g. a Kindle entry it cannot read)."})


class ImportJobSchema(Schema):
    id = fields.Integer()
    state = fields.String(validate=validate.OneOf(JOB_STATES), metadata={
        "description": "`queued`, `running` (rows are being stored), `done` (see summary) or `failed` (see error)."})
    format = fields.String()
    file_name = fields.String(metadata={"description": "The uploaded file's name, when it had one."})
    rows_total = fields.Integer(metadata={"description": "Rows of the file to store: highlights, and pages "
                                                         "without any."})
    rows_done = fields.Integer(metadata={"description": "Rows stored so far."})
    summary = fields.Nested(ImportSummarySchema, allow_none=True, metadata={
        "description": "What was stored so far; the import's outcome once it is done."})
    error = fields.String(allow_none=True, metadata={
        "description": "Why a failed import stopped, naming the record; what was stored before it stays."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    status_url = fields.Function(lambda job: url_for("export_import.import_status", job_id=job.id), metadata={
        "description": "Where to ask how the import is going (GET)."})


class ImportAcceptedSchema(Schema):
    job = fields.Nested(ImportJobSchema)


#: An export's answer: the file, its type by format.
EXPORT_FILE = {"description": "The file, streamed; its type depends on the format.",
               "content": {format.media_type.split(";")[0]: {} for format in exporting.FORMATS.values()}}
#: An import's body: the file itself, or a multipart upload with one file in it.
IMPORT_BODY = {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}}}},
}}


@blp.route("/export")
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200)
@blp.doc(responses={"200": EXPORT_FILE})
def export(query):
    """Download your highlights as one file: Markdown, a zip of Markdown files, JSON, CSV, Web Annotation.

    Takes the same filters as the lists. Large exports stream as they are made.
    """
    return download(g.user_id, query)


@blp.route("/import", methods=["POST"])
@blp.arguments(ImportQuerySchema, location="query")
@blp.response(202, ImportAcceptedSchema, headers={"Location": {
    "description": "The job's status_url.", "schema": {"type": "string"}}})
@blp.doc(requestBody=IMPORT_BODY)
def import_file(query):
    """Import a file (the request body, or a multipart upload): Kindle, Readwise, Glasp, Hypothesis, Margins.

    The whole file is read and checked first: a problem is named by line or record (422) and
    nothing is stored. Then it is accepted (202) and stored in the background, in chunks, while
    you and others go on writing; follow `job.status_url` until `state` is `done` (with the
    summary) or `failed`. Importing the same file again changes nothing.
    """
    upload = next(iter(request.files.values()), None)
    data = upload.read() if upload is not None else request.get_data(cache=False)
    job = import_jobs.queue(g.user_id, query["format"], data, (upload.filename or "") if upload is not None else "")
    return {"job": job}, {"Location": url_for("export_import.import_status", job_id=job.id)}


@blp.route("/imports/<int:job_id>")
@blp.response(200, ImportJobSchema)
def import_status(job_id):
    """How an import is going: rows stored of the file's rows, and its summary once done (404: not yours)."""
    return import_jobs.status(g.user_id, job_id)
