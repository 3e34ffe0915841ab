"""Read-later services' CSV exports: Instapaper's and Raindrop.io's. Each row is a page kept.

- **Instapaper** (Settings → Export → CSV): ``URL,Title,Selection,Folder,Timestamp`` (newer exports add
  ``Tags``). ``Selection`` is the text selected when the page was saved: it becomes a highlight; a
  folder of the user's own (not ``Unread``, ``Archive``, ``Starred``) becomes a tag; ``Timestamp`` is
  Unix seconds.
- **Raindrop.io** (Export → CSV): ``id,title,note,excerpt,url,folder,tags,created,cover,highlights,
  favorite``. ``note`` is the page's note, ``excerpt`` its description, ``tags`` comma-separated;
  ``highlights`` holds one highlight a line, or ``Highlight: …`` lines each followed by an optional
  ``Note: …``.

Rows are found by URL; a row whose URL is no web address is refused, naming its line.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timezone

from ..exporting.values import parse_timestamp
from .reading import decode_text
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid

INSTAPAPER_FOLDERS = {"unread", "archive", "starred"}
_LABELLED = re.compile(r"^(highlight|note):\s*", re.I)


def _rows(data: bytes, required: tuple[str, ...], tool: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Each non-empty row as ``(where, {lowercased column: cell})``; the header must have ``required``."""
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    try:
        header = [cell.strip().lstrip("\ufeff").lower() for cell in next(reader, [])]
        missing = [name for name in required if name not in header]
        if missing:
            raise ImportFailed("line 1", f"the header has no {', '.join(missing)} column: is this {tool}'s CSV?")
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                yield f"line {line}", {name: row[index] if index < len(row) else "" for index, name in enumerate(header)}
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFailed(f"line {reader.line_num}", f"not valid CSV ({error})") from None


def _parse(data: bytes, required: tuple[str, ...], tool: str, page_of: Callable[[str, dict], PageRecord]) -> Parsed:
    pages: dict[str, PageRecord] = {}
    for where, row in _rows(data, required, tool):
        page = page_of(where, row)
        if page.url in pages:
            pages[page.url].highlights += page.highlights
        else:
            pages[page.url] = page
    return Parsed(list(pages.values()))


def _url(where: str, text: str) -> str:
    url = text.strip()
    if not url.startswith(("http://", "https://")):
        raise ImportFailed(where, f"the URL {url[:60]!r} is not a web address")
    return url


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _instapaper_page(where: str, row: dict) -> PageRecord:
    url = _url(where, row["url"])
    stamp = row.get("timestamp", "").strip()
    if stamp and not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 11):
        raise ImportFailed(where, f"the Timestamp {stamp[:20]!r} is not Unix seconds")
    moment = datetime.fromtimestamp(int(stamp), timezone.utc) if stamp else None
    folder = row.get("folder", "").strip()
    tags = _split(row.get("tags", "").strip("[]").replace('"', "")) + (
        [folder] if folder and folder.lower() not in INSTAPAPER_FOLDERS else [])
    page = PageRecord(where=where, url=url, metadata={"title": row.get("title", "").strip() or None}, tags=tags,
                      created_at=moment)
    selection = row.get("selection", "").strip()
    if selection:
        page.highlights.append(HighlightRecord(where=where, uuid=derived_uuid("instapaper", url, selection),
                                               exact=selection, created_at=moment, updated_at=moment))
    return page


def _raindrop_page(where: str, row: dict) -> PageRecord:
    url = _url(where, row["url"])
    created = row.get("created", "").strip()
    try:
        moment = parse_timestamp(created) if created else None
    except (ValueError, OverflowError):
        raise ImportFailed(where, f"the created date {created[:40]!r} is not an ISO 8601 time") from None
    metadata = {"title": row.get("title", "").strip() or None, "description": row.get("excerpt", "").strip() or None}
    if row.get("note", "").strip():
        metadata["note"] = row["note"].strip()
    page = PageRecord(where=where, url=url, metadata=metadata, tags=_split(row.get("tags", "")), created_at=moment)
    for index, (text, note) in enumerate(_raindrop_highlights(row.get("highlights", ""))):
        page.highlights.append(HighlightRecord(
            where=where, uuid=derived_uuid("raindrop", row.get("id", "").strip() or url, index, text), exact=text,
            note=note, created_at=moment, updated_at=moment))
    return page


def _raindrop_highlights(cell: str) -> list[tuple[str, str]]:
    found: list[list[str]] = []
    for line in (line.strip() for line in cell.splitlines() if line.strip()):
        label = _LABELLED.match(line)
        if label and label.group(1).lower() == "note" and found:
            found[-1][1] = line[label.end():]
        else:
            found.append([line[label.end():] if label else line, ""])
    return [(text, note) for text, note in found if text]


def parse_instapaper(data: bytes) -> Parsed:
    return _parse(data, ("url", "title", "selection"), "Instapaper", _instapaper_page)


def parse_raindrop(data: bytes) -> Parsed:
    return _parse(data, ("url", "title", "highlights"), "Raindrop.io", _raindrop_page)
