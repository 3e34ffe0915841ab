"""PDFs kept as pages' files: stored once per content hash per user, their text the page's snapshot.

A PDF's page is found by its document fingerprint (the /ID PDF.js reports as
``fingerprints[0]``) or its content hash first, then by the URL key: the same
file reached from two URLs is one page, and the second URL becomes another key
of it. (A URL that already leads to another page keeps leading there.)
"""

import hashlib
import json
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from sqlalchemy import or_, select

from ..models import PdfFile, utcnow
from . import pages, snapshots
from .changes import lock_user
from .errors import Invalid, NotFound
from .owned import owned_row
from .pdf_text import EXTRACTOR, PdfText, looks_like_pdf, read_pdf, readable_html


def store_pdf(session, user_id: int, url: str, data: bytes, *, seconds: float) -> tuple[PdfFile, bool]:
    """Keep ``data`` as the file of the page for ``url`` (or of the page that already has this document).

    Its text is read (in a subprocess, within ``seconds``) before the database
    is touched, so no lock is held meanwhile. Returns the stored file and
    whether it is new: the same file sent again is stored once, and its URL
    becomes another key of its page.
    """
    if not looks_like_pdf(data):
        raise Invalid("The body is not a PDF (no %PDF- header in its first 1024 bytes); send the file's bytes "
                      "with Content-Type: application/pdf.", {"_body": ["not a PDF"]})
    key = pages.key_of(url)
    read = read_pdf(data, seconds=seconds)
    digest = hashlib.sha256(data).hexdigest()
    lock_user(session, user_id)
    known = _by_hash(session, user_id, digest)
    if known is not None:
        pages.add_aliases(session, user_id, known.page, [key])
        return known, False
    page = _page_of_document(session, user_id, read.fingerprint)
    if page is None:
        page = pages.page_for_url(session, user_id, url)
    else:
        pages.add_aliases(session, user_id, page, [key])
    pdf = _new_pdf(session, user_id, page, data, digest, read)
    _describe_page(page, read, url)
    session.flush()
    return pdf, True


def _by_hash(session, user_id: int, digest: str) -> PdfFile | None:
    return session.scalar(select(PdfFile).where(PdfFile.user_id == user_id, PdfFile.sha256 == digest))


def _page_of_document(session, user_id: int, fingerprint: str | None):
    if fingerprint is None:
        return None
    pdf = session.scalar(select(PdfFile).where(PdfFile.user_id == user_id, PdfFile.fingerprint == fingerprint)
                         .order_by(PdfFile.id.desc()).limit(1))
    return pdf.page if pdf else None


def _new_pdf(session, user_id: int, page, data: bytes, digest: str, read: PdfText) -> PdfFile:
    text, html = read.text, readable_html(read.pages)
    snapshot = snapshots.new_snapshot(page, html, digest, extractor_version=EXTRACTOR, content_html=html,
                                      text=text, word_count=len(text.split()))
    pdf = PdfFile(user_id=user_id, page=page, snapshot=snapshot, sha256=digest, fingerprint=read.fingerprint,
                  data=data, size=len(data), page_count=read.page_count, title=read.title, author=read.author,
                  page_offsets=json.dumps(read.offsets), text_error=read.error)
    session.add_all([snapshot, pdf])
    return pdf


def _describe_page(page, read: PdfText, url: str) -> None:
    """The page takes the PDF's metadata; a title the user renamed is kept; no title at all: the file's name."""
    if not page.title_edited and (read.title or not page.title):
        page.title = read.title or file_name(url)
    if read.author:
        page.author = read.author
    page.word_count = len(read.text.split())
    page.updated_at = utcnow()


def file_name(url: str) -> str:
    """The last part of the URL's path, decoded ("paper.pdf"), or "document.pdf"."""
    name = unquote(PurePosixPath(urlsplit(url).path).name).strip()
    return name or "document.pdf"


def page_offsets(pdf: PdfFile) -> list[int]:
    return json.loads(pdf.page_offsets)


def get_pdf(session, user_id: int, pdf_id: int) -> PdfFile:
    pdf = owned_row(session, PdfFile, user_id, pdf_id)  # an id beyond an integer column is no one's
    if pdf is None:
        raise NotFound(f"No PDF {pdf_id}; GET /api/v1/pdfs?page_id=… finds a page's.")
    return pdf


def find_pdfs(session, user_id: int, *, fingerprint: str | None = None, sha256: str | None = None,
              page_id: int | None = None) -> list[PdfFile]:
    """The user's PDFs with this fingerprint or content hash, or of this page; newest first."""
    matches = []
    if fingerprint:
        matches.append(PdfFile.fingerprint == fingerprint.lower())
    if sha256:
        matches.append(PdfFile.sha256 == sha256.lower())
    if page_id is not None:
        matches.append(PdfFile.page_id == page_id)
    if not matches:
        return []
    return list(session.scalars(
        select(PdfFile).where(PdfFile.user_id == user_id, or_(*matches)).order_by(PdfFile.id.desc())))
