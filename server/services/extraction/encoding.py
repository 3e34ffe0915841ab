"""Decoding page bytes the way a browser does when no HTTP header names a charset."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w:.]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_html(raw: bytes) -> str:
    """Decode page bytes: a BOM wins, then a ``<meta charset>`` in the first
    1024 bytes, else UTF-8; undecodable bytes become U+FFFD.

    As in the WHATWG Encoding standard, latin-1 and ASCII labels mean
    windows-1252, and a meta cannot pick UTF-16.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, "replace")
    encoding = "utf-8"
    match = _META_CHARSET.search(raw[:1024])
    if match:
        try:
            encoding = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            pass
    if encoding in ("iso8859-1", "ascii"):
        encoding = "cp1252"
    elif encoding.startswith("utf-16"):
        encoding = "utf-8"
    return raw.decode(encoding, "replace")
