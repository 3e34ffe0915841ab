"""Reads a PDF's text in a process of its own, under limits; run as a script by ``pdf_text``, never imported.

argv: memory limit (bytes), CPU limit (seconds), most characters of text. stdin: the PDF.
stdout: JSON lines, written as they are found, so a reader stopped early still leaves
what it read: ``{"meta": {...}}``, then ``{"page": text}`` for each page in order, then
``{"error": message}`` when it stopped before the end, and ``{"done": true}``.
pypdf only parses: nothing in the file (JavaScript, actions, forms) is run.
"""

import io
import json
import logging
import resource
import sys
import unicodedata  # noqa: F401  loaded before the memory limit, as pypdf is: text extraction needs it

from pypdf import PdfReader


def emit(**line) -> None:
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def fingerprint(reader) -> str | None:
    """The document's permanent id (the first half of its /ID), in hex, as PDF.js gives it; None when absent."""
    ids = reader.trailer.get("/ID")
    if not ids:
        return None
    first = ids[0].get_object()
    raw = bytes(first) if isinstance(first, bytes) else first.original_bytes
    return raw.hex() if raw.strip(b"\0") and len(raw) <= 64 else None


def metadata(reader) -> dict:
    try:
        info = reader.metadata or {}
        return {"title": _text(info.get("/Title")), "author": _text(info.get("/Author"))}
    except Exception:  # a damaged /Info dictionary: the text may still be read
        return {"title": None, "author": None}


def _text(value) -> str | None:
    return str(value) if value is not None else None


def read(data: bytes, most_chars: int) -> None:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        emit(meta={"pages": None, "fingerprint": fingerprint(reader), "title": None, "author": None})
        emit(error="The PDF is encrypted with a password, so its text cannot be read.")
        return
    emit(meta={"pages": len(reader.pages), "fingerprint": fingerprint(reader), **metadata(reader)})
    chars = 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except (MemoryError, RecursionError):
            raise
        except Exception:  # one damaged page: keep the others
            text = ""
        chars += len(text)
        if chars > most_chars:
            emit(error=f"The text is longer than {most_chars} characters; the rest was left out.")
            return
        emit(page=text)


def main() -> None:
    memory, seconds, most_chars = (int(arg) for arg in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    logging.disable(logging.CRITICAL)  # pypdf's warnings about damaged files: the result says what matters
    data = sys.stdin.buffer.read()
    try:
        read(data, most_chars)
    except MemoryError:
        emit(error="Reading the PDF needed more memory than the server allows; the rest was left out.")
    except RecursionError:
        emit(error="The PDF's objects are nested too deeply to read; the rest was left out.")
    except Exception as error:  # pypdf's errors for files it cannot parse, and any other fault in the file
        emit(error=f"The file could not be read as a PDF ({type(error).__name__}: {str(error)[:200]}).")
    emit(done=True)


if __name__ == "__main__":
    main()
