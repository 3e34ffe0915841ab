"""Pages for books, which have no web address: a stable synthetic URL from the title and author.

``https://books.margins.invalid/<title>--<author>`` (slugs: casefolded,
runs of anything but letters and digits made one ``-``). The ``.invalid``
top-level domain is reserved and never resolves (RFC 2606), so nothing
tries to open it; exports leave such links out. The same book imported
from Kindle and from Readwise lands on one page.
"""

import hashlib
import re
import unicodedata

BOOKS_HOST = "books.margins.invalid"
_NOT_WORD = re.compile(r"[\W_]+")


def slug(text: str) -> str:
    words = _NOT_WORD.sub("-", unicodedata.normalize("NFKC", text).casefold()).strip("-")
    return words[:120].strip("-") or hashlib.sha256(text.encode()).hexdigest()[:12]


def book_url(title: str, author: str | None) -> str:
    path = slug(title) + (f"--{slug(author)}" if author else "")
    return f"https://{BOOKS_HOST}/{path}"
