"""Writing plain text safely into Markdown (CommonMark, as Obsidian reads it)."""

import re
import unicodedata
from functools import lru_cache

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|$^#])")
_PAIRED = re.compile(r"(~~|==|%%)")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
#: text in which escape_markdown has nothing to do (one line, no syntax, no space at either end)
_NOTHING_TO_ESCAPE = re.compile(r"(?![-+=\d\s])[^\\`*_\[\]<>|$^#~=%&\r\n]*(?<!\s)")


def escape_markdown(text: str) -> str:
    """Text that renders as itself: Markdown and Obsidian syntax escaped, lines trimmed."""
    return text if _NOTHING_TO_ESCAPE.fullmatch(text) else escape_lines(text)


def escape_lines(text: str) -> str:
    """:func:`escape_markdown` line by line, without its shortcut for text with nothing to escape."""
    lines = []
    for line in _LINE_BREAK.split(text):
        line = _PAIRED.sub(r"\\\1", _SPECIAL.sub(r"\\\1", line.strip()))
        line = _ENTITY.sub(r"\\&", line)
        lines.append(_LINE_START.sub(lambda match: match.group(1) + "\\" if match.group(1)[0].isdigit()
                                     else "\\" + match.group(1), line))
    return "\n".join(lines)


def blockquote(text: str) -> str:
    """Every line of ``text`` inside a Markdown blockquote."""
    if "\n" in text or "\r" in text:
        return "\n".join(map(_quoted, _LINE_BREAK.split(text)))
    return _quoted(text)


def _quoted(line: str) -> str:
    return f"> {line}" if line.strip() else ">"


def one_line(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=4096)  # an export writes the same few tags over and over
def obsidian_tag(tag: str) -> str:
    """A tag name as a valid Obsidian tag (without the ``#``), by one rule, in front matter and body alike.

    Every character Obsidian does not allow in a tag (spaces, ``+``, ``&``, ``.``, ``#``…) becomes ``-``
    (``C++`` → ``C--``, ``R&D`` → ``R-D``, ``a.b`` → ``a-b``, ``reading list`` → ``reading-list``); ``/``
    (nested tags) is kept but not at the ends; a tag of digits only, which Obsidian does not count as a tag,
    gets a leading ``_`` (``1984`` → ``_1984``). Letters, digits, ``_`` and ``-`` are kept as they are
    (``snake_case``): no Markdown escaping is needed, as none of them is Markdown syntax inside a word.
    """
    kept = "".join(char if _in_tag(char) else "-" for char in tag.strip())
    kept = re.sub(r"/{2,}", "/", kept).strip("/") or "-"
    return f"_{kept}" if kept.isdigit() else kept


def _in_tag(char: str) -> bool:
    """What Obsidian allows in a tag: letters (with their marks), digits, emoji, ``_``, ``-``, ``/``."""
    category = unicodedata.category(char)
    return char in "_-/" or category[0] in "LM" or category in ("Nd", "So")


def hashtag(tag: str) -> str:
    """An Obsidian tag in the body: ``#`` and :func:`obsidian_tag`."""
    return "#" + obsidian_tag(tag)
