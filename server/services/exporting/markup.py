"""Writing plain text safely into Markdown (CommonMark, as Obsidian reads it)."""

import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|$^#])")
_PAIRED = re.compile(r"(~~|==|%%)")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """Text that renders as itself: Markdown and Obsidian syntax escaped, lines trimmed."""
    lines = []
    for line in _LINE_BREAK.split(text):
        line = _PAIRED.sub(r"\\\1", _SPECIAL.sub(r"\\\1", line.strip()))
        line = _ENTITY.sub(r"\\&", line)
        lines.append(_LINE_START.sub(lambda match: match.group(1) + "\\" if match.group(1)[0].isdigit()
                                     else "\\" + match.group(1), line))
    return "\n".join(lines)


def blockquote(text: str) -> str:
    """Every line of ``text`` inside a Markdown blockquote."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in _LINE_BREAK.split(text))


def one_line(text: str) -> str:
    return " ".join(text.split())


def hashtag(tag: str) -> str:
    """An Obsidian tag: spaces become dashes, Markdown escaped."""
    return "#" + escape_markdown("-".join(tag.split()))
