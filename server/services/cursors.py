"""Opaque pagination cursors: base64url of a small JSON list."""

import base64
import binascii
import json

from .errors import Invalid


def encode_cursor(*values) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, types: tuple, max_int: int = 2**63 - 1) -> list:
    """The values of a cursor, checked against the types they must have (ints within 0..max_int)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not (
        isinstance(values, list) and len(values) == len(types)
        and all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(values, types, strict=True))
        and all(0 <= v <= max_int for v in values if isinstance(v, int))
    ):
        raise Invalid(
            "The cursor is not one this server gave out; pass next_cursor from the previous answer as it was.",
            {"cursor": ["invalid cursor"]},
        )
    return values
