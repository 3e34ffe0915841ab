"""File names for exported pages (vault sync, the vault zip): usable on Windows, macOS and Linux, and
never a name already taken.

- From the title, NFC-normalized (macOS hands names back decomposed: a title written either way is one
  name), with the bidirectional controls removed (they make a name display as another, e.g. "gpj.md"
  shown as "dm.jpg"), the characters that Windows or Obsidian links refuse made spaces, runs of spaces
  made one, and no dot or space at either end.
- At most ``MAX_NAME_BYTES`` bytes of UTF-8, ".md" and any suffix included (file systems allow 255),
  cut between grapheme clusters: never inside an emoji sequence, or between a letter and its accent.
- A stem that Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with ¹²³, CONIN$, CONOUT$),
  judged by the part before the first dot as Windows does, gets an underscore: "Con.txt" → "Con_.txt".
- Unique among the names taken, compared as Windows and macOS compare them (case-folded, NFC): the
  title, else "title (margins_id)", else "title (margins_id) 2", 3, …, each one checked.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator

import regex

MAX_NAME_BYTES = 200
EXTENSION = ".md"
UNTITLED = "Untitled"

_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f-\x9f]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = re.compile(r"con|prn|aux|nul|conin\$|conout\$|com[1-9¹²³]|lpt[1-9¹²³]", re.I)
_GRAPHEME = regex.compile(r"\X")


class FileNames:
    """Hands out names for pages' files, each unlike every name taken before (``taken`` and its own)."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = {same_name_key(name) for name in taken}

    def take(self, title: str | None, margins_id: str) -> str:
        stem = safe_stem(title)
        name = next(candidate for candidate in _candidates(stem, margins_id)
                    if same_name_key(candidate) not in self._taken)
        self._taken.add(same_name_key(name))
        return name

    def is_taken(self, name: str) -> bool:
        return same_name_key(name) in self._taken


def same_name_key(name: str) -> str:
    """What two names have in common when Windows or macOS takes them for the same file."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def safe_stem(title: str | None) -> str:
    """The title cleaned for a file name (not yet cut to length): see the module's docstring."""
    stem = unicodedata.normalize("NFC", _BIDI_CONTROLS.sub("", title or ""))
    return _SPACES.sub(" ", _UNSAFE.sub(" ", stem)).strip(" .") or UNTITLED


def _candidates(stem: str, margins_id: str) -> Iterator[str]:
    yield _name(stem, "")
    yield _name(stem, f" ({margins_id})")
    number = 2
    while True:
        yield _name(stem, f" ({margins_id}) {number}")
        number += 1


def _name(stem: str, suffix: str) -> str:
    ending = suffix + EXTENSION
    # One byte kept for the underscore of a reserved name.
    stem = cut_to_bytes(stem, MAX_NAME_BYTES - 1 - len(ending.encode())).rstrip(" .") or UNTITLED
    head, dot, tail = stem.partition(".")
    if _WINDOWS_RESERVED.fullmatch(head.rstrip(" ")):
        stem = f"{head}_{dot}{tail}"
    return stem + ending


def cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` of at most ``limit`` bytes of UTF-8 that ends between graphemes."""
    if len(text.encode()) <= limit:
        return text
    size = 0
    for grapheme in _GRAPHEME.finditer(text):
        size += len(grapheme.group().encode())
        if size > limit:
            return text[:grapheme.start()]
    return text
