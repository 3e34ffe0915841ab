"""WSGI middleware: accept gzip-compressed request bodies, within the size limit.

The extension compresses page snapshots (often several MB of HTML). The
limit applies to the decompressed body too, so a small "gzip bomb" is
refused with 413 instead of filling memory.
"""

import io
import zlib

from .errors import too_large_message, wsgi_error


class DecompressRequestBody:
    def __init__(self, app, max_bytes_of):
        self.app = app
        self.max_bytes_of = max_bytes_of  # callable: the limit may change with config

    def __call__(self, environ, start_response):
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        if encoding in ("", "identity"):
            return self.app(environ, start_response)
        if encoding not in ("gzip", "x-gzip"):
            return wsgi_error(
                start_response, 415, "unsupported_encoding",
                f"Content-Encoding {encoding!r} is not supported; send the body plain or with gzip.",
            )
        limit = self.max_bytes_of()
        length = environ.get("CONTENT_LENGTH", "")
        if length.isdigit() and int(length) > limit:
            return _too_large(start_response, limit)
        compressed = environ["wsgi.input"].read(limit + 1)
        if len(compressed) > limit:
            return _too_large(start_response, limit)
        try:
            body = _gunzip(compressed, limit)
        except _TooLarge:
            return _too_large(start_response, limit)
        except (zlib.error, EOFError):
            return wsgi_error(
                start_response, 400, "bad_gzip",
                "The body says Content-Encoding: gzip but is not valid gzip data "
                "(truncated or corrupt); compress it again or send it plain.",
            )
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_CONTENT_ENCODING")
        environ["wsgi.input_terminated"] = False
        return self.app(environ, start_response)


class _TooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> bytes:
    """Every member of a gzip stream (RFC 1952 allows several); trailing garbage is an error."""
    body = bytearray()
    while True:
        inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        body += inflater.decompress(data, limit + 1 - len(body))
        if len(body) > limit or inflater.unconsumed_tail:
            raise _TooLarge
        if not inflater.eof:
            raise EOFError("gzip stream ends early")
        data = inflater.unused_data
        if not data:
            return bytes(body)


def _too_large(start_response, limit: int):
    return wsgi_error(start_response, 413, "too_large", too_large_message(limit))
