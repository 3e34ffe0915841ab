"""Reading uploaded files: bytes to text or JSON, with errors that say where the file is broken."""

import json
from datetime import datetime

from ..exporting.values import parse_timestamp
from ..limits import MAX_INTEGER
from .records import ImportFailed


def decode_text(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); Windows line ends become plain ones."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ImportFailed(f"line {line}", "the file is not UTF-8 text; save or export it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_json(data: bytes):
    text = decode_text(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"line {error.lineno}, column {error.colno}", f"not valid JSON ({error.msg})") from None
    except RecursionError:
        raise ImportFailed("the file", "JSON nested too deeply") from None
    except ValueError:  # a number Python refuses to read (over 4300 digits)
        raise ImportFailed("the file", "JSON with a number too long to read") from None


class Fields:
    """Typed access to one JSON object of an import, with errors naming the record and field."""

    def __init__(self, value, where: str):
        if not isinstance(value, dict):
            raise ImportFailed(where, f"expected an object, found {type(value).__name__}")
        self.value, self.where = value, where

    def _get(self, name: str, types: tuple, required: bool, default):
        if name not in self.value or self.value[name] is None:
            if required:
                raise ImportFailed(self.where, f"'{name}' is missing")
            return default
        item = self.value[name]
        if not isinstance(item, types) or isinstance(item, bool) and bool not in types:
            wanted = " or ".join(t.__name__ for t in types)
            raise ImportFailed(self.where, f"'{name}' should be {wanted}, not {type(item).__name__}")
        return item

    def text(self, name: str, *, required: bool = False, default: str | None = None) -> str | None:
        return self._get(name, (str,), required, default)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        """A whole number that a database integer holds (32 bits, as Margins' columns are)."""
        item = self._get(name, (int,), required, None)
        if item is not None and not -MAX_INTEGER - 1 <= item <= MAX_INTEGER:
            raise ImportFailed(self.where, f"'{name}' is out of range (at most {MAX_INTEGER})")
        return item

    def boolean(self, name: str, default: bool = False) -> bool:
        return self._get(name, (bool,), False, default)

    def objects(self, name: str) -> list:
        return self._get(name, (list,), False, [])

    def object(self, name: str) -> "Fields | None":
        item = self._get(name, (dict,), False, None)
        return None if item is None else Fields(item, f"{self.where}.{name}")

    def raw(self, name: str):
        return self.value.get(name)

    def strings(self, name: str) -> list[str]:
        items = self.objects(name)
        if not all(isinstance(item, str) for item in items):
            raise ImportFailed(self.where, f"'{name}' should be a list of strings")
        return items

    def timestamp(self, name: str, *, required: bool = False) -> datetime | None:
        item = self.text(name, required=required)
        if item is None:
            return None
        try:
            return parse_timestamp(item)
        except (ValueError, OverflowError):
            raise ImportFailed(self.where, f"'{name}' is not an ISO 8601 time: {item[:40]!r}") from None
