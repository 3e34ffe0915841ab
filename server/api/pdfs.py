"""PDFs: a page's file uploaded (the body is the PDF, not JSON), found by fingerprint, downloaded."""

import re

from flask import Response, current_app, g, request
from marshmallow import Schema, fields, validate

from ..db import db
from ..edge.fields import Text, Timestamp
from ..errors import json_error, pdf_too_large_message
from ..paths import API_PREFIX, PDF_UPLOAD_PATH
from ..services import pages, pdfs
from ..services.errors import TooLarge
from ..services.limits import MAX_INTEGER, MAX_URL
from .auth import require_token
from .blueprint import Blueprint
from .schemas import WEB_URL, PageSchema

blp = Blueprint("pdfs", __name__, description="PDFs kept as pages' files: upload, find, download.")
# Only the token: upload bodies are PDFs, so the JSON-body rule of the other routes is not applied.
blp.before_request(require_token)

PDF_BODY = {"required": True, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
PDF_FILE = {"description": "The PDF as uploaded.", "content": {"application/pdf": {}}}


class PdfUploadQuerySchema(Schema):
    url = Text(required=True, validate=validate.Length(max=MAX_URL), metadata={
        "description": "Where the PDF was opened: its page is found by this URL's key (or by the file).",
        **WEB_URL})


class PdfFindQuerySchema(Schema):
    fingerprint = Text(validate=validate.Length(max=128), metadata={
        "description": "The document's fingerprint as PDF.js gives it (`fingerprints[0]`, the /ID in hex)."})
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-fA-F]{64}$"), metadata={
        "description": "The file's content hash."})
    page_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INTEGER))


class PdfSchema(Schema):
    id = fields.Integer()
    page_id = fields.Integer()
    sha256 = fields.String(metadata={"description": "Of the file's bytes."})
    fingerprint = fields.String(allow_none=True, metadata={"description": "The document's /ID in hex, or null."})
    size = fields.Integer(metadata={"description": "Bytes."})
    page_count = fields.Integer(allow_none=True, metadata={"description": "Null when the file could not be read."})
    title = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    text_pages = fields.Function(lambda pdf: len(pdfs.page_offsets(pdf)), metadata={
        "description": "How many pages' text was read (from the first on)."})
    page_offsets = fields.Function(pdfs.page_offsets, metadata={
        "description": "Where each page read starts in the page's snapshot text (pages are joined with a form feed)."})
    text_error = fields.String(allow_none=True, metadata={
        "description": "Why the text is partial or missing (the file is kept all the same); null when complete."})
    uploaded_at = Timestamp()


class PdfUploadSchema(PdfSchema):
    page = fields.Function(lambda pdf: PageSchema().dump(
        {"page": pdf.page, "highlight_count": pages.highlight_counts(db.session, [pdf.page_id]).get(pdf.page_id, 0)}))


class PdfListSchema(Schema):
    items = fields.List(fields.Nested(PdfSchema))


@blp.route(PDF_UPLOAD_PATH.removeprefix(API_PREFIX), methods=["POST"])
@blp.arguments(PdfUploadQuerySchema, location="query")
@blp.response(200, PdfUploadSchema, description="This file was stored already.")
@blp.alt_response(201, schema=PdfUploadSchema, description="The file is new and stored.")
@blp.doc(requestBody=PDF_BODY)
def upload_pdf(query):
    """Keep a PDF (the body, plain or gzip) as its page's file; its text becomes the page's snapshot.

    The page is the one that has this document already (same file, or same
    /ID fingerprint), else the one for `url`. The text is read with limits:
    a damaged or hostile file is stored with `text_error` saying what was
    kept. A file larger than MARGINS_MAX_PDF_BYTES gets 413; nothing else
    of the page changes.
    """
    if request.mimetype != "application/pdf":
        return _unsupported()
    limit = current_app.config["MARGINS_MAX_PDF_BYTES"]
    if (request.content_length or 0) > limit:
        raise TooLarge(pdf_too_large_message(limit))
    request.max_content_length = limit
    pdf, created = pdfs.store_pdf(db.session, g.user_id, query["url"], request.get_data(cache=False),
                                  seconds=current_app.config["MARGINS_PDF_TEXT_SECONDS"])
    db.session.commit()
    return pdf, 201 if created else 200


def _unsupported():
    return json_error(415, "unsupported_media_type", "Send the PDF's bytes with 'Content-Type: application/pdf'.")


@blp.route("/pdfs")
@blp.arguments(PdfFindQuerySchema, location="query")
@blp.response(200, PdfListSchema)
def find_pdfs(query):
    """Your PDFs with this fingerprint or content hash, or of this page, newest first (none: empty)."""
    return {"items": pdfs.find_pdfs(db.session, g.user_id, **query)}


@blp.route("/pdfs/<int:pdf_id>")
@blp.response(200, PdfSchema)
def get_pdf(pdf_id):
    """What is known of a stored PDF: size, pages, metadata, how much text was read."""
    return pdfs.get_pdf(db.session, g.user_id, pdf_id)


@blp.route("/pdfs/<int:pdf_id>/file")
@blp.response(200)
@blp.doc(responses={"200": PDF_FILE})
def download_pdf(pdf_id):
    """The stored PDF itself, as a download (for a viewer to open)."""
    pdf = pdfs.get_pdf(db.session, g.user_id, pdf_id)
    return Response(pdf.data, mimetype="application/pdf", headers={
        "Content-Disposition": _attachment(pdfs.file_name(pdf.page.url)),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


def _attachment(name: str) -> str:
    """A download named after the file, in the characters every browser reads the same."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "document"
    return f'attachment; filename="{safe if safe.lower().endswith(".pdf") else safe + ".pdf"}"'
