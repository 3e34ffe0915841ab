"""An export's query (format and filters), checked the same way for the API and the web view,
and the streamed download it makes."""

from flask import Response, request, stream_with_context
from marshmallow import Schema, fields, validate

from ..db import db
from ..models import COLORS
from ..services import exporting
from ..services.limits import MAX_DOMAIN, MAX_INTEGER, MAX_QUERY
from ..services.tags import MAX_TAG_LENGTH
from .fields import Text


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
    page = fields.Integer(validate=validate.Range(min=1, max=MAX_INTEGER), metadata={"description": "Only this page."})
    keep_formulas = fields.Boolean(load_default=False, metadata={
        "description": "CSV: write cells starting with = + - @, a tab or a carriage return as they are. By default "
                       "they get a leading ' so a spreadsheet shows them instead of running them as formulas."})
    article = fields.Boolean(load_default=False, metadata={
        "description": "markdown, obsidian: add each page's readable copy (its stored article) as Markdown, under "
                       "an Article heading at the end of the part Margins manages. Pages without one get none."})
    raw_notes = fields.Boolean(load_default=False, metadata={
        "description": "markdown, obsidian: write notes as they were typed. By default they pass through the web "
                       "view's policy: Markdown formatting and http(s) links kept, raw HTML and other links as text."})


def _selection(query: dict) -> exporting.Selection:
    return exporting.Selection(tag=query.get("tag"), color=query.get("color"), domain=query.get("domain"),
                               q=query.get("q"), page_id=query.get("page"))


def download(user_id: int, query: dict) -> Response:
    """The export a checked query asks for, as a streamed attachment."""
    format = exporting.format_named(query["format"])
    chunks = exporting.export(db.session, user_id, query["format"], _selection(query),
                              keep_formulas=query.get("keep_formulas", False),
                              server_url=request.url_root.rstrip("/"),
                              options=exporting.MarkdownOptions(article=query["article"],
                                                                raw_notes=query["raw_notes"]))
    return Response(stream_with_context(chunks), mimetype=format.media_type, headers={
        "Content-Disposition": f'attachment; filename="{format.filename}"'})
