"""PDFs for the tests, made with fpdf2 (text pages) and pypdf (encrypted, scripted, huge, nested)."""

import io

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript


def text_pdf(pages: list[str], *, title: str | None = None, author: str | None = None,
             compress: bool = True) -> bytes:
    """A PDF with one page per text, in Helvetica, with the metadata given; ``compress=False`` leaves
    the text readable in the bytes."""
    pdf = FPDF()
    pdf.set_compression(compress)
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    return bytes(pdf.output())


def upload_pdf(api, data: bytes, url: str, **headers):
    """POST the PDF as ``api``'s user (a tests.api_client.ApiClient), as the extension uploads it."""
    return api.client.post("/api/v1/pdfs", query_string={"url": url}, data=data,
                           headers={**api.headers, "Content-Type": "application/pdf", **headers})


def _rewritten(pdf: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(pdf: bytes, password: str) -> bytes:
    return _rewritten(pdf, lambda writer: writer.encrypt(password, algorithm="AES-256"))


def saved_again(pdf: bytes, title: str) -> bytes:
    """The same document saved again with another title: other bytes, the same /ID (its fingerprint)."""
    return _rewritten(pdf, lambda writer: writer.add_metadata({"/Title": title}))


def with_javascript(pdf: bytes, script: str) -> bytes:
    """The PDF with a JavaScript action run on opening (by viewers that run scripts)."""
    return _rewritten(pdf, lambda writer: writer.add_open_action(JavaScript(script)))


def repeated_pages(text: str, count: int) -> bytes:
    """A PDF of ``count`` pages that all share one page's content: small to send, long to read."""
    page = PdfReader(io.BytesIO(text_pdf([text]))).pages[0]
    writer = PdfWriter()
    for _ in range(count):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def deeply_nested(depth: int) -> bytes:
    """A one-page PDF whose catalog holds an array nested ``depth`` levels (written by hand: no writer nests so)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
