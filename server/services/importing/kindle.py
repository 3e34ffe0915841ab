"""Kindle's ``My Clippings.txt``: highlights with their notes, one page per book.

Entries are separated by a line of ``==========``; each is the book line
(``Title (Author)``, the author being the last bracketed group, absent for
some personal documents), a line describing the clipping (kind, page,
location, date; in English, German, French, Spanish, Portuguese or
Italian), a blank line and the text.

- Bookmarks are skipped, and so are empty highlights (Kindle writes them
  once a book's clipping limit is reached).
- Kindle adds a new entry when a highlight is extended or shortened and
  keeps the old one: of highlights of one book whose locations overlap and
  whose texts contain one another, the last one written is kept.
- A note is attached to the highlight whose location range holds the
  note's location (the latest such highlight); a note no highlight holds
  is imported on its own, as a highlight quoting "Note at location N".
- Dates are read as UTC (Kindle writes local time without a zone).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .books import book_url
from .reading import decode_text
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid

SEPARATOR = "=========="
_KINDS = (  # checked in this order: the first word found gives the kind
    ("bookmark", ("bookmark", "lesezeichen", "signet", "marcador", "segnalibro")),
    ("highlight", ("highlight", "markierung", "surlignement", "subrayado", "destaque", "evidenziazione")),
    ("note", ("note", "notiz", "nota")),
)
_LOCATION = re.compile(r"(?:location|loc\.|position|emplacement|posición|posição|posizione)\s+(\d+)(?:\s*-\s*(\d+))?",
                       re.I)
_PAGE = re.compile(r"(?:page|seite|página|pagina)\s+(\d+)(?:\s*-\s*(\d+))?", re.I)
_MONTHS = {name: number for number, names in enumerate((
    "january januar janvier enero janeiro gennaio jan",
    "february februar février febrero fevereiro febbraio feb",
    "march märz mars marzo março mar",
    "april avril abril aprile apr",
    "may mai mayo maio maggio",
    "june juni juin junio junho giugno jun",
    "july juli juillet julio julho luglio jul",
    "august août agosto aug",
    "september septembre septiembre setembro settembre sep sept",
    "october oktober octobre octubre outubro ottobre oct",
    "november novembre noviembre novembro nov",
    "december dezember décembre diciembre dezembro dicembre dec",
), start=1) for name in names.split()}
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?\s?[Mm]\.?)?")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class _Clipping:
    line: int
    title: str
    author: str | None
    kind: str
    start: int | None
    end: int | None
    added: datetime | None
    text: str


def parse(data: bytes) -> Parsed:
    books: dict[tuple[str, str | None], list[_Clipping]] = {}
    for clipping in _clippings(decode_text(data)):
        if clipping.kind != "bookmark":
            books.setdefault((clipping.title, clipping.author), []).append(clipping)
    return Parsed([_book(title, author, clippings) for (title, author), clippings in books.items()])


def _clippings(text: str):
    lines = text.split("\n")
    start = 0
    for number, line in enumerate(lines + [SEPARATOR]):
        if line.strip().lstrip("\ufeff") == SEPARATOR:
            entry = lines[start:number]
            if any(part.strip() for part in entry):
                yield _clipping(entry, start + 1)
            start = number + 1


def _clipping(entry: list[str], line: int) -> _Clipping:
    while entry and not entry[0].strip("\ufeff \t"):
        entry, line = entry[1:], line + 1
    if len(entry) < 2 or not entry[1].startswith("- "):
        raise ImportFailed(f"line {line}", "a clipping needs a book line, then a line starting with '- ' "
                                           "that says what it is; is this a Kindle 'My Clippings.txt'?")
    title, author = split_book_line(entry[0].strip("\ufeff \t"))
    about = entry[1][2:]
    kind = next((kind for kind, words in _KINDS if any(word in about.lower() for word in words)), None)
    if kind is None:
        raise ImportFailed(f"line {line + 1}", f"cannot tell what this clipping is: {entry[1][:80]!r}")
    place = _LOCATION.search(about) or _PAGE.search(about)
    start = int(place.group(1)) if place else None
    end = _range_end(start, place.group(2)) if place else None
    return _Clipping(line, title, author, kind, start, end, _added(about), "\n".join(entry[2:]).strip())


def split_book_line(line: str) -> tuple[str, str | None]:
    """``Title (with brackets) (Author)`` → title and author: the last balanced bracketed group."""
    if not line.endswith(")"):
        return line, None
    depth = 0
    for index in range(len(line) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(line[index], 0)
        if depth == 0:
            title, author = line[:index].strip(), line[index + 1:-1].strip()
            return (title, author or None) if title else (line, None)
    return line, None


def _range_end(start: int, end_text: str | None) -> int:
    """``180-82`` (old Kindles shorten the end) means 180-182."""
    if not end_text:
        return start
    end = int(end_text)
    if end < start and len(end_text) < len(str(start)):
        end = int(str(start)[:-len(end_text)] + end_text)
    return max(end, start)


def _added(about: str) -> datetime | None:
    """The date after the last '|', in any of the languages: day, month name, year, time."""
    text = about.rsplit("|", 1)[-1].lower()
    month = next((_MONTHS[word] for word in _WORD.findall(text) if word in _MONTHS), None)
    time = _TIME.search(text)
    without_time = _TIME.sub(" ", text)
    year = re.search(r"\b(\d{4})\b", without_time)
    day = re.search(r"\b(\d{1,2})\b", without_time)
    if not (month and time and year and day):
        return None
    hour, meridiem = int(time.group(1)), time.group(4)
    if meridiem:
        hour = hour % 12 + (12 if meridiem[0] in "pP" else 0)
    try:
        return datetime(int(year.group(1)), month, int(day.group(1)), hour, int(time.group(2)),
                        int(time.group(3) or 0), tzinfo=timezone.utc)
    except ValueError:
        return None


def _book(title: str, author: str | None, clippings: list[_Clipping]) -> PageRecord:
    highlights: list[_Clipping] = []
    for clipping in (c for c in clippings if c.kind == "highlight" and c.text):
        highlights = [kept for kept in highlights if not _extended(kept, clipping)] + [clipping]
    notes: dict[int, list[str]] = {}
    loose = []
    for note in (c for c in clippings if c.kind == "note"):
        holder = next((h for h in reversed(highlights) if _holds(h, note)), None)
        if holder is None:
            loose.append(note)
        else:
            notes.setdefault(id(holder), []).append(note.text)
    records = [_record(title, author, h, "\n\n".join(notes.get(id(h), []))) for h in highlights]
    records += [_record(title, author, note, note.text, exact=f"Note at location {note.start}")
                for note in loose if note.text]
    return PageRecord(where=f"line {clippings[0].line}", url=book_url(title, author),
                      metadata={"title": title, "author": author, "site_name": "Kindle"}, highlights=records)


def _extended(earlier: _Clipping, later: _Clipping) -> bool:
    """The later highlight is the earlier one extended or shortened."""
    if earlier.start is None or later.start is None:
        return earlier.text == later.text
    overlap = earlier.start <= later.end and later.start <= earlier.end
    return overlap and (earlier.text in later.text or later.text in earlier.text)


def _holds(highlight: _Clipping, note: _Clipping) -> bool:
    return note.start is not None and highlight.start is not None and highlight.start <= note.start <= highlight.end


def _record(title: str, author: str | None, clipping: _Clipping, note: str, exact: str | None = None
            ) -> HighlightRecord:
    exact = exact or clipping.text
    return HighlightRecord(
        where=f"line {clipping.line}", uuid=derived_uuid("kindle", title, author, clipping.start, exact),
        exact=exact, note=note, position_start=clipping.start, position_end=clipping.end,
        created_at=clipping.added, updated_at=clipping.added,
    )
