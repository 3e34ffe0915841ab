"""The extension's shared ES modules (anchoring, DOM text), served at /static/shared/<file>.

The readable copy marks highlights with the same code the extension runs on
live pages, so the two never disagree about where a highlight is.
"""

from pathlib import Path

from flask import send_from_directory

from .blueprint import bp

SHARED = Path(__file__).resolve().parents[2] / "extension" / "src" / "shared"


@bp.get("/static/shared/<path:filename>")
def shared_module(filename: str):
    response = send_from_directory(SHARED, filename, max_age=300)
    if filename.endswith((".js", ".mjs")):
        response.mimetype = "text/javascript"
    return response
