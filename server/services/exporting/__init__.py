"""Exports: a user's pages and highlights as files, streamed in batches.

Each format has a module with ``export(source)`` (``export(source, template)`` for Markdown)
yielding the file's bytes in pieces. Same data, same bytes.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import Invalid
from . import csv_export, hypothesis_json, margins_json, markdown, vault_zip, web_annotation
from .markdown import NO_OPTIONS, MarkdownOptions
from .selection import Selection, Source, count_pages
from .vault import VaultSummary, sync_vault


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    export: Callable[..., Iterator[bytes]]
    description: str
    #: takes a Jinja2 template (the Markdown formats)
    templated: bool = False
    #: a spreadsheet may open it: cells that would be formulas are neutralized unless keep_formulas
    spreadsheet: bool = False

    @property
    def filename(self) -> str:
        return f"margins-{self.name}.{self.extension}"


FORMATS: dict[str, Format] = {format.name: format for format in (
    Format("markdown", "text/markdown; charset=utf-8", "md", markdown.export_single,
           "Markdown: every page and its highlights in one file.", templated=True),
    Format("obsidian", "application/zip", "zip", vault_zip.export,
           "A Markdown vault (Obsidian): a zip with one file per page, with YAML front matter.", templated=True),
    Format("json", "application/json", "json", margins_json.export,
           "Margins JSON: everything, lossless; import it back with format=margins."),
    Format("csv", "text/csv; charset=utf-8", "csv", csv_export.export,
           "CSV with Readwise's columns (Highlight, Title, Author, URL, Note, Location, Date) plus Color, Tags, ID.",
           spreadsheet=True),
    Format("w3c", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "jsonld",
           web_annotation.export, "W3C Web Annotation (JSON-LD): an AnnotationCollection of highlights."),
    Format("hypothesis", "application/json", "json", hypothesis_json.export,
           "Hypothesis export JSON: annotations with their selectors, notes and tags."),
)}

__all__ = ["FORMATS", "Format", "MarkdownOptions", "Selection", "Source", "VaultSummary", "count_pages", "export", "format_named",
           "sync_vault"]


def format_named(name: str) -> Format:
    format = FORMATS.get(name)
    if format is None:
        raise Invalid(f"Unknown export format {name[:40]!r}; use one of {', '.join(FORMATS)}.",
                      {"format": ["unknown format"]})
    return format


def export(session, user_id: int, format_name: str, selection: Selection, template: str | None = None,
           progress: Callable[[int], None] | None = None, keep_formulas: bool = False,
           server_url: str | None = None, options: MarkdownOptions = NO_OPTIONS) -> Iterator[bytes]:
    """The file's bytes in pieces; ``progress(1)`` is called as each page is done.

    ``keep_formulas`` (CSV): write cells a spreadsheet would evaluate as they are, not neutralized;
    other formats have no cells and ignore it. ``server_url``: this server's address, for the Markdown
    links to a PDF's stored copy (left out without it). ``options`` (Markdown, Obsidian): the article, raw
    notes; other formats ignore them.
    """
    format = format_named(format_name)
    source = Source(session, user_id, selection, progress, server_url)
    if format.spreadsheet:
        return format.export(source, keep_formulas=keep_formulas)
    if not format.templated:
        if template is not None:
            raise Invalid(f"Format {format.name!r} takes no template; only markdown and obsidian do.",
                          {"template": ["not for this format"]})
        return format.export(source)
    return format.export(source, template, options)
