"""YAML front matter as PyYAML writes it, without PyYAML for the values that need no care.

A page's front matter is a flat mapping of strings, a list of strings, two
times and a count. Most strings are plain ASCII on one line: those are
written here, plain or single-quoted by PyYAML's own rules for such text;
any other value (non-ASCII, a line break, what could read as a number, a
boolean or a date) goes through PyYAML, key by key. The two are held equal
by a property test (``tests/services/exporting/test_front_matter.py``).
"""

import re
from datetime import datetime

import yaml


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """libyaml's safe dumper when PyYAML was built with it (several times quicker), else the pure-Python one;
    times written as Obsidian's date-time properties: ``2026-11-23T10:00:00``, unquoted, no microseconds."""


_Dumper.add_representer(datetime, lambda dumper, moment: dumper.represent_scalar(
    "tag:yaml.org,2002:timestamp", moment.isoformat(timespec="seconds")))

#: ASCII on one line, starting with a letter (so no YAML indicator and no number or date), ending in no space
_SIMPLE = re.compile(r"[A-Za-z][\x20-\x7e]*(?<! )")
#: what would end a plain scalar early (PyYAML's block indicators past the first character)
_INDICATOR = re.compile(r": | #|:$")
#: plain words YAML 1.1 reads as booleans or null
_NOT_STRINGS = {spelling for word in ("yes", "no", "true", "false", "on", "off", "null")
                for spelling in (word, word.capitalize(), word.upper())}


def dumped(data: dict) -> str:
    """``yaml.dump(data)`` as the front matter writes it (block style, keys in order, Unicode as is)."""
    return "".join(_line(key, value) for key, value in data.items())


def _line(key: str, value) -> str:
    if isinstance(value, str) and (text := _scalar(value)) is not None:
        return f"{key}: {text}\n"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{key}: {value}\n"
    if isinstance(value, datetime) and value.tzinfo is None and value.year >= 1000:
        return f"{key}: {value.isoformat(timespec='seconds')}\n"
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        items = [_scalar(item) for item in value]
        if None not in items:
            return f"{key}:\n" + "".join(f"- {item}\n" for item in items)
    return yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)


def _scalar(text: str) -> str | None:
    """``text`` as PyYAML writes a simple string (plain, or single-quoted when a plain one would end early);
    None when it is not simple."""
    if not _SIMPLE.fullmatch(text) or text in _NOT_STRINGS:
        return None
    if _INDICATOR.search(text):
        return "'" + text.replace("'", "''") + "'"
    return text
