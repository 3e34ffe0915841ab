"""Export and import: files out (streamed) and files in (the body is the file, not JSON)."""

from flask import g, request
from marshmallow import Schema, fields, validate

from ..db import db
from ..edge.export_query import ExportQuerySchema, download
from ..services import exporting, importing
from .auth import require_token
from .blueprint import Blueprint

blp = Blueprint("export_import", __name__, description="Export your highlights as files; import files from other tools.")
# Only the token: import bodies are files (text, CSV, JSON), so the JSON-body rule of the other routes is not applied.
blp.before_request(require_token)


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
@blp.response(200, ImportSummarySchema)
@blp.doc(requestBody=IMPORT_BODY)
def import_file(query):
    """Import a file (the request body, or a multipart upload): Kindle, Readwise, Glasp, Hypothesis, Margins.

    The whole file lands or nothing does; a problem is named by line or record.
    Importing the same file again changes nothing.
    """
    upload = next(iter(request.files.values()), None)
    data = upload.read() if upload is not None else request.get_data(cache=False)
    summary = importing.import_file(db.session, g.user_id, query["format"], data)
    db.session.commit()
    return summary
