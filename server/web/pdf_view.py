"""A PDF page's stored file in the web view: /pages/<id>/pdf opens it in the
extension's own PDF.js viewer modules (built to extension/build/web/, served
at /static/pdf/) with the page's highlights drawn, read-only; ``#page=N``
opens at a page. Owner only. It needs nothing from where the PDF came from.
"""

from pathlib import Path

from flask import Response, g, render_template, send_from_directory, url_for
from flask_login import login_required

from ..db import db
from ..services import pages, pdfs
from ..services.errors import NotFound
from .blueprint import bp, user_id

BUILT = Path(__file__).resolve().parents[2] / "extension" / "build" / "web"


def _stored_pdf(page_id: int):
    page = pages.get_page(db.session, user_id(), page_id)  # another user's page is 404
    found = pdfs.find_pdfs(db.session, user_id(), page_id=page.id)
    if not found:
        raise NotFound("This page has no stored PDF: it is kept with the page's first highlight in Margins' PDF viewer.")
    return page, found[0]


@bp.app_template_global()
def stored_pdf(page) -> bool:
    """Whether the page has a stored PDF to open (for the links to it), asked once a page a request."""
    known = g.setdefault("stored_pdfs", {})
    if page.id not in known:
        known[page.id] = bool(pdfs.find_pdfs(db.session, page.user_id, page_id=page.id))
    return known[page.id]


@bp.get("/pages/<int:page_id>/pdf")
@login_required
def pdf_page(page_id: int):
    page, pdf = _stored_pdf(page_id)
    highlights = [{"id": h.uuid, "color": h.color, "note": h.note, "created_at": h.created_at.isoformat(), **h.selectors()}
                  for h in pages.page_highlights(db.session, page)]
    data = {"file": url_for("web.pdf_file", page_id=page.id), "worker": url_for("web.pdf_static", filename="pdf.worker.mjs"),
            "highlights": highlights}
    return render_template("pdf.html", page=page, pdf=pdf, data=data)


@bp.get("/pages/<int:page_id>/pdf/file")
@login_required
def pdf_file(page_id: int):
    _, pdf = _stored_pdf(page_id)
    return Response(pdf.data, mimetype="application/pdf",
                    headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


@bp.get("/static/pdf/<path:filename>")
def pdf_static(filename: str):
    response = send_from_directory(BUILT, filename, max_age=300)
    if filename.endswith((".js", ".mjs")):
        response.mimetype = "text/javascript"
    return response
