"""A PDF's text, page by page, read by pypdf in a subprocess with a time and memory limit.

Hostile or broken files (truncated, encrypted, huge, deeply nested) end in a clear
``error`` and whatever pages were read before it, never in a stuck worker: the
subprocess (``pdf_worker.py``) is killed at the deadline. The pages are joined with
a form feed (``PAGE_SEPARATOR``) into one text; ``offsets`` says where each starts.
"""

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .limits import MAX_TITLE
from .storable import made_storable

WORKER = Path(__file__).with_name("pdf_worker.py")
PAGE_SEPARATOR = "\f"
#: The reader's address space: the file (at most MARGINS_MAX_PDF_BYTES) and what pypdf makes of it.
MEMORY_BYTES = 1024 * 1024 * 1024
MOST_CHARS = 20_000_000
#: What the snapshots of PDFs record as their extractor (reprocessing leaves them alone).
EXTRACTOR = "pdf-1"


@dataclass
class PdfText:
    """What reading found: each page's text (those read), metadata, and why it stopped early, if it did."""

    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    title: str | None = None
    author: str | None = None
    fingerprint: str | None = None
    error: str | None = None

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(self.pages)

    @property
    def offsets(self) -> list[int]:
        """Where each page read starts in ``text``."""
        starts, at = [], 0
        for page in self.pages:
            starts.append(at)
            at += len(page) + len(PAGE_SEPARATOR)
        return starts


def looks_like_pdf(data: bytes) -> bool:
    """A PDF header in the first KiB, where readers (PDF.js among them) look for it."""
    return b"%PDF-" in data[:1024]


def read_pdf(data: bytes, *, seconds: float, memory_bytes: int = MEMORY_BYTES) -> PdfText:
    """The text of a PDF, read within ``seconds`` and ``memory_bytes``; partial, with ``error``, when it stops."""
    limits = [str(memory_bytes), str(max(1, int(seconds) + 1)), str(MOST_CHARS)]
    process = subprocess.Popen([sys.executable, "-I", str(WORKER), *limits],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        output, _ = process.communicate(data, timeout=seconds)
        stopped = None
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        stopped = f"Reading the text took longer than {seconds:g} seconds and was stopped"
    return _result(output, stopped)


def _result(output: bytes, stopped: str | None) -> PdfText:
    result, done = PdfText(), False
    for line in output.splitlines():
        try:
            item = json.loads(line)
        except ValueError:  # the last line, cut off when the reader was stopped
            continue
        if "meta" in item:
            meta = item["meta"]
            result.page_count = meta["pages"]
            result.title, result.author = _label(meta["title"]), _label(meta["author"])
            result.fingerprint = meta["fingerprint"]
        elif "page" in item:
            result.pages.append(made_storable(item["page"]).replace(PAGE_SEPARATOR, "\n"))
        elif "error" in item:
            result.error = item["error"]
        done = done or item.get("done", False)
    if stopped or not done:
        reason = stopped or "The PDF reader stopped (it ran out of time or memory)"
        result.error = f"{reason}; the text of {len(result.pages)} pages was kept."
    return result


def _label(value: str | None) -> str | None:
    value = made_storable(" ".join((value or "").split()))[:MAX_TITLE]
    return value or None


def readable_html(pages: list[str]) -> str:
    """The readable copy: a section per page, a paragraph per block of text, all escaped."""
    return "".join(
        f'<section data-pdf-page="{number}">'
        + "".join(f"<p>{html.escape(block.strip())}</p>" for block in re.split(r"\n\s*\n", page) if block.strip())
        + "</section>"
        for number, page in enumerate(pages, start=1)
    )
