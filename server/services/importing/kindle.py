"""Kindle's ``My Clippings.txt``: highlights with their notes, one page per book.

Entries are separated by a line of ``==========``; each is the book line
(``Title (Author)``, the author being the last bracketed group, absent for
some personal documents), a line describing the clipping (kind, page,
location, date, in the device's language: see :data:`KINDS`), a blank line
and the text.

- Bookmarks are skipped; so are the placeholders Kindle writes instead of
  the text once a book's clipping limit is reached (counted in the
  summary). An entry that cannot be read is skipped and reported with its
  line; a file of which no entry can be read is refused.
- "Clip This Article" entries (periodicals) are highlights of their text.
- Kindle adds a new entry when a highlight is extended or shortened and
  keeps the old one: of highlights of one book whose locations overlap and
  whose texts contain one another, the last one written is kept. An edited
  note is written again at its location: the last one is kept.
- A note is attached to the highlight whose location range holds the
  note's location (the latest such highlight); a note no highlight holds
  is imported on its own, as a highlight quoting "Note at location N".
- Dates are read as UTC (Kindle writes local time without a zone).

Everything per book is a sort and a sweep, so a book's clippings cost
n log n however many there are.
"""

import heapq
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from ..limits import MAX_INTEGER
from .books import book_url
from .reading import decode_text
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid

SEPARATOR = "=========="
#: What the description line calls each kind, in each firmware language (lowercased, found anywhere before
#: the date). Checked in this order: the first kind found wins.
KINDS = (
    ("clip", {"en": ("clip this article",), "pt": ("recortar este artigo",)}),
    ("bookmark", {"en": ("bookmark",), "de": ("lesezeichen",), "fr": ("signet",), "es": ("marcador",),
                  "pt": ("marcador",), "it": ("segnalibro",), "nl": ("bladwijzer",), "ru": ("закладка",),
                  "ja": ("ブックマーク",), "zh": ("书签", "書籤")}),
    ("highlight", {"en": ("highlight",), "de": ("markierung",), "fr": ("surlignement",), "es": ("subrayado",),
                   "pt": ("destaque",), "it": ("evidenziazione",), "nl": ("markering", "highlight"),
                   "ru": ("выделенный отрывок", "выделение"), "ja": ("ハイライト",),
                   "zh": ("标注", "標註", "畫線", "划线", "劃線")}),
    ("note", {"en": ("note",), "de": ("notiz",), "fr": ("note",), "es": ("nota",), "pt": ("nota",), "it": ("nota",),
              "nl": ("notitie",), "ru": ("заметка",), "ja": ("メモ",), "zh": ("笔记", "筆記")}),
)
_NUMBER = r"([0-9]{1,12})"
_RANGE = rf"{_NUMBER}(?:\s*(?:-|–|—|~|t/m)\s*{_NUMBER})?"
_LOCATION = re.compile(r"(?:location|loc\.|position|emplacement|posición|posição|posizione|locatie|мест\w*|позици\w*"
                       rf"|位置\s*#|位置no\.)\s*{_RANGE}", re.I)
_PAGE = re.compile(rf"(?:(?:page|seite|página|pagina|страниц\w*)\s+{_RANGE})|(?:第\s*{_RANGE}\s*页)"
                   rf"|(?:{_RANGE}\s*ページ)", re.I)
_MONTHS = {name: number for number, names in enumerate((
    "january januar janvier enero janeiro gennaio januari января январь jan",
    "february februar février febrero fevereiro febbraio februari февраля февраль feb",
    "march märz mars marzo março maart марта март mar",
    "april avril abril aprile апреля апрель apr",
    "may mai mayo maio maggio mei мая май",
    "june juni juin junio junho giugno июня июнь jun",
    "july juli juillet julio julho luglio июля июль jul",
    "august août agosto augustus августа август aug",
    "september septembre septiembre setembro settembre сентября сентябрь sep sept",
    "october oktober octobre octubre outubro ottobre октября октябрь oct",
    "november novembre noviembre novembro ноября ноябрь nov",
    "december dezember décembre diciembre dezembro dicembre декабря декабрь dec",
), start=1) for name in names.split()}
_CJK_DATE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")
_TIME = re.compile(r"(上午|下午|午前|午後)?\s*([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:\s*([AaPp])\.?\s?[Mm]\.?)?")
_AFTERNOON = ("下午", "午後", "p", "P")
_WORD = re.compile(r"[^\W\d_]+")
_DAY_OR_YEAR = re.compile(r"(?<![0-9])([0-9]{1,4})(?![0-9])")
#: What Kindle writes instead of the text once a book's clipping limit is reached, in any language.
_LIMIT = re.compile(r"\s*<[^<>]*(?:limit|límite|лимит|上限)[^<>]*>\s*$", re.I)


@dataclass
class _Clipping:
    line: int
    order: int
    title: str
    author: str | None
    kind: str
    start: int | None
    end: int | None
    added: datetime | None
    text: str


class _Unreadable(Exception):
    """An entry that cannot be read: skipped and reported."""

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")


def parse(data: bytes) -> Parsed:
    books: dict[tuple[str, str | None], list[_Clipping]] = {}
    skipped: list[str] = []
    limited = read = 0
    for entry, line in _entries(decode_text(data)):
        try:
            clipping = _clipping(entry, line, read)
        except _Unreadable as problem:
            skipped.append(str(problem))
            continue
        read += 1
        if clipping.kind == "bookmark":
            continue
        without_limit = _LIMIT.sub("", clipping.text).strip() if "<" in clipping.text else clipping.text
        if without_limit != clipping.text:
            if not without_limit:
                limited += 1
                continue
            clipping.text = without_limit
        books.setdefault((clipping.title, clipping.author), []).append(clipping)
    if not read and skipped:
        where, problem = skipped[0].split(": ", 1)
        raise ImportFailed(where, f"{problem}; no entry of the file could be read: is it Kindle's "
                                  "'My Clippings.txt'?")
    if limited:
        skipped.append(f"{limited} clipping{'s' if limited > 1 else ''}: Kindle wrote its clipping-limit "
                       "placeholder instead of the text")
    return Parsed([_book(title, author, clippings) for (title, author), clippings in books.items()],
                  skipped=skipped)


def _entries(text: str):
    """Each entry's lines and the line number it starts on."""
    lines = text.split("\n")
    start = 0
    for number, line in enumerate(lines + [SEPARATOR]):
        if line.strip().lstrip("\ufeff") == SEPARATOR:
            entry = lines[start:number]
            if any(part.strip("\ufeff \t") for part in entry):
                yield entry, start + 1
            start = number + 1


def _clipping(entry: list[str], line: int, order: int) -> _Clipping:
    while not entry[0].strip("\ufeff \t"):
        entry, line = entry[1:], line + 1
    about = entry[1].strip() if len(entry) > 1 else ""
    if about[:1] not in ("-", "–", "—"):
        raise _Unreadable(line, "a clipping needs a book line, then a line starting with '- ' that says what it is")
    title, author = split_book_line(entry[0].strip("\ufeff \t"))
    about = about[1:].strip()
    described = about.rsplit("|", 1)[0].lower() if "|" in about else about.lower()
    kind = next((kind for kind, words in KINDS if any(word in described for language in words.values()
                                                      for word in language)), None)
    if kind is None:
        raise _Unreadable(line + 1, f"cannot tell what this clipping is: {entry[1][:80]!r}")
    start, end = _place(about, line + 1)
    return _Clipping(line, order, title, author, "highlight" if kind == "clip" else kind, start, end,
                     _added(about), "\n".join(entry[2:]).strip())


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


def _place(about: str, line: int) -> tuple[int | None, int | None]:
    """The location range (else the page range); a number no position can hold makes the entry unreadable."""
    match = _LOCATION.search(about) or _PAGE.search(about)
    if match is None:
        return None, None
    start_text, end_text = next((match.group(i), match.group(i + 1)) for i in range(1, match.lastindex + 1, 2)
                                if match.group(i))
    start = int(start_text)
    end = _range_end(start, end_text)
    if end > MAX_INTEGER:
        raise _Unreadable(line, f"location {end_text or start_text} is larger than any book has")
    return start, end


def _range_end(start: int, end_text: str | None) -> int:
    """``180-82`` (old Kindles shorten the end) means 180-182."""
    if not end_text:
        return start
    end = int(end_text)
    if end < start and len(end_text) < len(str(start)):
        end = int(str(start)[:-len(end_text)] + end_text)
    return max(end, start)


def _added(about: str) -> datetime | None:
    """The date after the last '|', in any of the languages; None when it says no day, month and year."""
    text = about.rsplit("|", 1)[-1]
    time = _TIME.search(text)
    if time is None:
        return None
    cjk = _CJK_DATE.search(text)
    if cjk:
        year, month, day = (int(part) for part in cjk.groups())
    else:
        month = next((_MONTHS[word] for word in _WORD.findall(text.lower()) if word in _MONTHS), None)
        numbers = [int(number) for number in _DAY_OR_YEAR.findall(text[:time.start()] + " " + text[time.end():])]
        if month is None or len(numbers) < 2:
            return None
        day, year = numbers[0], numbers[1] + (2000 if numbers[1] < 100 else 0)
    hour = int(time.group(2))
    meridiem = time.group(1) or time.group(5)
    if meridiem:
        hour = hour % 12 + (12 if meridiem in _AFTERNOON else 0)
    try:
        return datetime(year, month, day, hour, int(time.group(3)), int(time.group(4) or 0), tzinfo=timezone.utc)
    except ValueError:
        return None


def _book(title: str, author: str | None, clippings: list[_Clipping]) -> PageRecord:
    highlights = _latest_versions([c for c in clippings if c.kind == "highlight" and c.text])
    notes = {}
    for note in (c for c in clippings if c.kind == "note" and c.text):
        notes[note.start] = note  # an edited note is written again at its location: the last one wins
    held, loose = _attach(highlights, sorted(notes.values(), key=lambda note: note.order))
    records = [_record(title, author, h, held.get(h.order, "")) for h in highlights]
    records += [_record(title, author, note, note.text, exact=_loose_quote(note)) for note in loose]
    return PageRecord(where=f"line {clippings[0].line}", url=book_url(title, author),
                      metadata={"title": title, "author": author, "site_name": "Kindle"}, highlights=records)


def _latest_versions(highlights: list[_Clipping]) -> list[_Clipping]:
    """The highlights no later one extends or shortens (overlapping locations, texts containing one another).

    A sweep by start location over the highlights whose ranges are still open, so the cost grows with the
    number of overlapping highlights, not with every pair of the book.
    """
    replaced: set[int] = set()
    last_by_text: dict[str, int] = {}
    for highlight in highlights:
        last_by_text[highlight.text] = highlight.order
    placed = sorted((h for h in highlights if h.start is not None), key=lambda h: (h.start, h.order))
    open_ranges: list[tuple[int, int, _Clipping]] = []
    for highlight in placed:
        while open_ranges and open_ranges[0][0] < highlight.start:
            heapq.heappop(open_ranges)
        for _, _, other in open_ranges:
            if highlight.text in other.text or other.text in highlight.text:
                replaced.add(min(highlight.order, other.order))
        heapq.heappush(open_ranges, (highlight.end, highlight.order, highlight))
    for highlight in highlights:  # without a location, only the same text tells a later version
        if highlight.start is None and last_by_text[highlight.text] != highlight.order:
            replaced.add(highlight.order)
    return [h for h in highlights if h.order not in replaced]


def _attach(highlights: list[_Clipping], notes: list[_Clipping]) -> tuple[dict[int, str], list[_Clipping]]:
    """Each note's text by the order of the latest highlight holding its location; and the notes none holds."""
    by_start = sorted((h for h in highlights if h.start is not None), key=lambda h: h.start)
    held: dict[int, list[str]] = {}
    loose = []
    holders: list[tuple[int, int, int]] = []  # (-order, end, order) of highlights started at or before the note
    index = 0
    for note in sorted(notes, key=lambda n: (n.start is None, n.start or 0, n.order)):
        if note.start is None:
            loose.append(note)
            continue
        while index < len(by_start) and by_start[index].start <= note.start:
            highlight = by_start[index]
            heapq.heappush(holders, (-highlight.order, highlight.end, highlight.order))
            index += 1
        while holders and holders[0][1] < note.start:  # ended before this note, so before every later one
            heapq.heappop(holders)
        if holders:
            held.setdefault(holders[0][2], []).append(note)
        else:
            loose.append(note)
    texts = {order: "\n\n".join(n.text for n in sorted(notes_of, key=lambda n: n.order))
             for order, notes_of in held.items()}
    return texts, sorted(loose, key=lambda n: n.order)


def _loose_quote(note: _Clipping) -> str:
    return f"Note at location {note.start}" if note.start is not None else "Note"


def _record(title: str, author: str | None, clipping: _Clipping, note: str, exact: str | None = None
            ) -> HighlightRecord:
    exact = exact or clipping.text
    return HighlightRecord(
        where=f"line {clipping.line}", uuid=derived_uuid("kindle", title, author, clipping.start, exact),
        exact=exact, note=note, position_start=clipping.start, position_end=clipping.end,
        created_at=clipping.added, updated_at=clipping.added,
    )
