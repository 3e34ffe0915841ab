"""Imports: files from other tools (and Margins' own JSON) into a user's pages and highlights.

Each format has a module whose ``parse(data: bytes) -> Parsed`` reads the
whole file into plain records, naming the line or record of any problem;
``check_parsed`` refuses what could not be stored, before any is; ``store``
then writes them in the caller's transaction under the user's write lock:
the whole file at once (the CLI, ``store_parsed``) or in chunks, each its own
transaction, in a background job (``jobs``: the API and the web form). Highlight ids come from the tool's own ids or, where it has
none, from the content, so importing the same file again changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..changes import lock_user
from ..errors import Invalid
from ..tags import clean_tag_name, resolve_tags
from . import (
    apple_books,
    bookmarks_csv,
    document_json,
    hypothesis_json,
    kindle,
    kobo,
    koreader,
    margins_json,
    omnivore,
    readwise_csv,
    web_annotation,
    web_clipper,
)
from .records import ImportFailed, Parsed, check_storable
from .store import Summary, check_records, store_records


@dataclass(frozen=True)
class ImportFormat:
    name: str
    label: str
    parse: Callable[[bytes], Parsed]


FORMATS: dict[str, ImportFormat] = {format.name: format for format in (
    ImportFormat("kindle", "Kindle: My Clippings.txt", kindle.parse),
    ImportFormat("readwise-csv", "Readwise CSV (its export, or a file made for its import)", readwise_csv.parse),
    ImportFormat("readwise-json", "Readwise export JSON", document_json.parse_readwise),
    ImportFormat("glasp", "Glasp export JSON", document_json.parse_glasp),
    ImportFormat("hypothesis", "Hypothesis export JSON", hypothesis_json.parse),
    ImportFormat("json", "Margins JSON (what export json writes, here or on another Margins)", margins_json.parse),
    ImportFormat("w3c", "W3C Web Annotation JSON-LD (an AnnotationCollection, a page, or annotations)",
                 web_annotation.parse),
    ImportFormat("omnivore", "Omnivore export zip", omnivore.parse),
    ImportFormat("web-clipper", "Obsidian Web Clipper highlights JSON", web_clipper.parse),
    ImportFormat("instapaper", "Instapaper CSV", bookmarks_csv.parse_instapaper),
    ImportFormat("raindrop", "Raindrop.io CSV", bookmarks_csv.parse_raindrop),
    ImportFormat("kobo", "Kobo: KoboReader.sqlite", kobo.parse),
    ImportFormat("koreader", "KOReader JSON export", koreader.parse),
    ImportFormat("apple-books", "Apple Books: AEAnnotation sqlite (zipped with BKLibrary sqlite for the titles)",
                 apple_books.parse),
)}
#: Other names a format is known by: ``margins`` was Margins JSON's import name before it matched the export's.
ALIASES = {"margins": "json"}
#: Every name ``parse_file`` takes.
NAMES = (*FORMATS, *ALIASES)

__all__ = ["ALIASES", "FORMATS", "NAMES", "ImportFailed", "ImportFormat", "Summary", "check_parsed", "import_file", "parse_file",
           "store_parsed", "store_tags"]


def parse_file(format_name: str, data: bytes) -> Parsed:
    """The file's records; raises ImportFailed naming the line or record of the first problem."""
    format = FORMATS.get(ALIASES.get(format_name, format_name))
    if format is None:
        raise Invalid(f"Unknown import format {format_name[:40]!r}; use one of {', '.join(FORMATS)}.",
                      {"format": ["unknown format"]})
    if not data.strip():
        raise ImportFailed("the file", "is empty; send the file itself, not its name")
    return format.parse(data)


def check_parsed(parsed: Parsed) -> None:
    """Raise ImportFailed naming the first tag or record that could not be stored; touches no database."""
    check_storable("tags", parsed.tags)
    for name in parsed.tags:
        try:
            clean_tag_name(name)
        except Invalid as error:
            raise ImportFailed(f"tag {name[:40]!r}", error.message) from None
    check_records(parsed.pages)


def import_file(session, user_id: int, format_name: str, data: bytes,
                progress: Callable[[int], None] | None = None) -> Summary:
    """Parse and store a file in one transaction; the caller commits (or rolls back on ImportFailed)."""
    return store_parsed(session, user_id, parse_file(format_name, data), progress)


def store_parsed(session, user_id: int, parsed: Parsed, progress: Callable[[int], None] | None = None) -> Summary:
    check_parsed(parsed)
    store_tags(session, user_id, parsed.tags)
    summary = store_records(session, user_id, parsed.pages, exact=parsed.exact, progress=progress)
    summary.skipped = list(parsed.skipped)
    return summary


def store_tags(session, user_id: int, names: list[str]) -> None:
    """Make the file's tags, even unused ones (checked by check_parsed)."""
    lock_user(session, user_id)
    for name in names:  # one by one: a user may have more tags than one item may carry
        resolve_tags(session, user_id, [name])
