"""WSGI middleware: accept gzip-compressed and chunked request bodies, within the size limit;
and what a request's address or form says, read strictly (``sent_text``).

The extension compresses page snapshots (often several MB of HTML). The
limit applies to the decompressed body too, so a small "gzip bomb" is
refused with 413 instead of filling memory. A chunked body (no
Content-Length) is read here too: past the limit werkzeug would cut it
short without a word (an import would keep the first part of the file),
and a broken chunk would reach the app as the server's own exception.

The body is read to its end and no further: Content-Length bytes, or to the
end of a chunked body. (Werkzeug's development server hands over the socket
itself, which does not end at Content-Length: asking it for more waits for
bytes the client will never send.) The work done here, before any
authentication, is linear in the body: the gzip members are walked by
offset, at most ``MAX_GZIP_MEMBERS`` of them, and the output stops at the limit.
"""

import io
import zlib
from urllib.parse import unquote_to_bytes

from .errors import pdf_too_large_message, too_large_message, wsgi_error
from .paths import PDF_UPLOAD_PATH


def sent_text(percent_encoded: bytes | str) -> str | None:
    """What it says, percent-decoded; None when that is not UTF-8. A str holds bytes as latin-1,
    as WSGI's strings do. (Werkzeug decodes addresses and forms leniently: a bad byte becomes U+FFFD.)"""
    try:
        raw = percent_encoded.encode("latin-1") if isinstance(percent_encoded, str) else percent_encoded
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeError:
        return None


def sent_address(environ) -> str | None:
    """The request's path and query as ``sent_text``: None when either is not UTF-8."""
    # The path as sent, percent-encoded (gunicorn, werkzeug); or as other servers give it, decoded.
    path = sent_text(environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", ""))
    query = sent_text(environ.get("QUERY_STRING", ""))
    return None if path is None or query is None else f"{path}?{query}"


def body_limit(config, path: str) -> tuple[int, str]:
    """The largest body a request to ``path`` may send, and what a larger one is told."""
    if path == PDF_UPLOAD_PATH:
        limit = config["MARGINS_MAX_PDF_BYTES"]
        return limit, pdf_too_large_message(limit)
    limit = config["MAX_CONTENT_LENGTH"]
    return limit, too_large_message(limit)


class DecompressRequestBody:
    def __init__(self, app, config):
        self.app = app
        self.config = config  # read on each request: the limits may change with config

    def __call__(self, environ, start_response):
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        plain = encoding in ("", "identity")
        if plain and "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.app(environ, start_response)
        if not plain and encoding not in ("gzip", "x-gzip"):
            return wsgi_error(
                environ, start_response, 415, "unsupported_encoding",
                f"Content-Encoding {encoding!r} is not supported; send the body plain or with gzip.",
            )
        limit, too_large = body_limit(self.config, environ.get("PATH_INFO", ""))
        length = environ.get("CONTENT_LENGTH", "")
        if length.isdigit() and int(length) > limit:
            return wsgi_error(environ, start_response, 413, "too_large", too_large)
        try:
            body = _read_body(environ["wsgi.input"], int(length) if length.isdigit() else None, limit)
        except Exception:  # the server's own error for a body it cannot read, e.g. gunicorn's InvalidChunkSize
            return wsgi_error(
                environ, start_response, 400, "bad_body",
                "The body could not be read (its chunked encoding is broken, or it was cut off); send it again.",
            )
        if len(body) > limit:
            return wsgi_error(environ, start_response, 413, "too_large", too_large)
        if not plain:
            try:
                body = gunzip(body, limit)
            except _TooLarge:
                return wsgi_error(environ, start_response, 413, "too_large", too_large)
            except _TooManyMembers:
                return wsgi_error(
                    environ, start_response, 400, "too_many_gzip_members",
                    f"The gzip body is made of more than {MAX_GZIP_MEMBERS} members; "
                    "compress it as one stream (as gzip and every HTTP client do) and send it again.",
                )
            except (zlib.error, EOFError):
                return wsgi_error(
                    environ, start_response, 400, "bad_gzip",
                    "The body says Content-Encoding: gzip but is not valid gzip data "
                    "(truncated or corrupt); compress it again or send it plain.",
                )
            environ.pop("HTTP_CONTENT_ENCODING")
        # The body is whole now, and its length known.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        for framing in ("HTTP_TRANSFER_ENCODING", "wsgi.input_terminated"):
            environ.pop(framing, None)
        return self.app(environ, start_response)


#: More members than any client sends (one, as a rule); each costs an inflater and a pass.
MAX_GZIP_MEMBERS = 16
_READ_SIZE = 64 * 1024  # bytes read, and fed to an inflater, at a time


class _TooLarge(Exception):
    pass


class _TooManyMembers(Exception):
    pass


def _read_body(stream, length: int | None, limit: int) -> bytes:
    """The body: ``length`` bytes (Content-Length), or all of it when None (chunked; the server ends
    the stream there); never a byte past that, so no read waits on a client that has sent everything.
    Past ``limit`` bytes the reading stops (one byte more shows the body is too large)."""
    wanted = limit + 1 if length is None else min(length, limit + 1)
    body = bytearray()
    while len(body) < wanted:
        piece = stream.read(min(_READ_SIZE, wanted - len(body)))
        if not piece:
            break
        body += piece
    if length is not None and len(body) < wanted:
        raise EOFError("the body ends before its Content-Length")
    return bytes(body)


def gunzip(data: bytes, limit: int) -> bytes:
    """Every member of a gzip stream (RFC 1952 allows several, up to ``MAX_GZIP_MEMBERS`` here);
    trailing garbage is an error. Linear in ``data``: each member is fed from its offset in pieces of
    at most ``_READ_SIZE`` bytes, so what is left over after it is never copied whole."""
    view = memoryview(data)
    body = bytearray()
    offset = members = 0
    while True:
        members += 1
        if members > MAX_GZIP_MEMBERS:
            raise _TooManyMembers
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        while not inflater.eof:
            piece = view[offset:offset + _READ_SIZE]
            if not piece:
                raise EOFError("gzip stream ends early")
            body += inflater.decompress(piece, limit + 1 - len(body))
            if len(body) > limit:
                raise _TooLarge
            offset += len(piece) - len(inflater.unused_data)
        if offset == len(view):
            return bytes(body)
