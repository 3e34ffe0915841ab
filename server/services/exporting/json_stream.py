"""Streaming a JSON document whose one long list is written item by item."""

import json
from collections.abc import Iterable, Iterator

#: Put this where the streamed list goes in the document.
ITEMS = "\x00items\x00"


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def stream_json(document: dict, items: Iterable) -> Iterator[bytes]:
    """``document`` with ``items`` (dumped one per line) where :data:`ITEMS` stands."""
    before, after = dumps(document).split(dumps(ITEMS))
    yield (before + "[").encode()
    separator = "\n"
    for item in items:
        yield (separator + dumps(item)).encode()
        separator = ",\n"
    yield ("\n]" + after + "\n").encode()
