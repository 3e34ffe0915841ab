"""Export and import: files out (streamed) and files in (the body is the file, not JSON)."""

from flask import Response, g, request, stream_with_context
from marshmallow import Schema, fields, validate

from ..db import db
from ..models import COLORS
from ..services import exporting, importing
from ..services.owned import MAX_ID
from ..services.tags import MAX_TAG_LENGTH
from .auth import require_token
from .blueprint import Blueprint
from .fields import Text
from .schemas import MAX_DOMAIN, MAX_QUERY

blp = Blueprint("export_import", __name__, description="Export your highlights as files; import files from other tools.")
# Only the token: import bodies are files (text, CSV, JSON), so the JSON-body rule of the other routes is not applied.
blp.before_request(require_token)


class ExportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(exporting.FORMATS), metadata={
        "description": "; ".join(f"`{f.name}`: {f.description}" for f in exporting.FORMATS.values()),
    })
    tag = Text(validate=validate.Length(max=MAX_TAG_LENGTH), metadata={
        "description": "Highlights carrying the tag, or on a page carrying it."})
    color = fields.String(validate=validate.OneOf(COLORS))
    domain = Text(validate=validate.Length(max=MAX_DOMAIN),
                  metadata={"description": "Pages of this site (and subdomains)."})
    q = Text(validate=validate.Length(min=1, max=MAX_QUERY), metadata={
        "description": "Words in the quote or note, or in the page's title or URL."})
    page = fields.Integer(validate=validate.Range(min=1, max=MAX_ID), metadata={"description": "Only this page."})
    keep_formulas = fields.Boolean(load_default=False, metadata={
        "description": "CSV: write cells starting with = + - @, a tab or a carriage return as they are. By default "
                       "they get a leading ' so a spreadsheet shows them instead of running them as formulas."})


class ImportQuerySchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(importing.FORMATS), metadata={
        "description": "What the file is: " + ", ".join(f"`{name}`" for name in importing.FORMATS) + "."})


class ImportSummarySchema(Schema):
    pages_created = fields.Integer()
    highlights_created = fields.Integer()
    highlights_updated = fields.Integer()
    highlights_unchanged = fields.Integer(metadata={"description": "Already there as in the file (a re-import)."})
    skipped = fields.List(fields.String(), metadata={
        "description": "Entries of the file left out, each \"where: why\" (e.g. a Kindle entry it cannot read)."})


def selection_of(query: dict) -> exporting.Selection:
    return exporting.Selection(tag=query.get("tag"), color=query.get("color"), domain=query.get("domain"),
                               q=query.get("q"), page_id=query.get("page"))


def download(user_id: int, format_name: str, selection: exporting.Selection, keep_formulas: bool = False
             ) -> Response:
    """The export as a streamed attachment (shared with the web view's download)."""
    format = exporting.format_named(format_name)
    chunks = exporting.export(db.session, user_id, format_name, selection, keep_formulas=keep_formulas)
    return Response(stream_with_context(chunks), mimetype=format.media_type, headers={
        "Content-Disposition": f'attachment; filename="{format.filename}"'})


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
    return download(g.user_id, query["format"], selection_of(query), query["keep_formulas"])


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
