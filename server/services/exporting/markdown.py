"""Markdown for Obsidian and friends: one file per page, or all pages in one file.

A page's file is YAML front matter (as PyYAML writes it, so any title is safe:
:mod:`.front_matter`) followed by the block Margins manages, between two marker lines; what the
template renders goes inside it. See docs/export.md for the template's
variables and the default templates in ``templates/``.

Notes go through the web view's policy (:mod:`..markdown_text`) unless
``raw_notes``; with ``article`` the page's readable copy, as Markdown, ends
the managed block (so a vault sync rewrites it with the rest).

A template a user passes runs in Jinja2's sandbox, so it can format values
but not reach into the server; Margins' own templates, which are part of
the code, run in a plain environment, without the sandbox's check of every
attribute (half the rendering time).
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ...models import Page
from ..errors import Invalid
from ..markdown_text import html_markdown, safe_note_markdown
from .file_names import FileNames
from .fragments import markdown_safe_url, passage_link
from .front_matter import dumped
from .markup import blockquote, escape_markdown, hashtag, obsidian_tag, one_line
from .selection import Entry, HighlightRow, Source
from .values import iso_timestamp, parse_timestamp, stored_timestamp

TEMPLATES = Path(__file__).parent / "templates"
PAGE_TEMPLATE = "page.md.j2"
SINGLE_TEMPLATE = "single.md.j2"
BEGIN_STEM = "<!-- margins:begin"
BEGIN = f"{BEGIN_STEM} · Margins rewrites everything up to margins:end on each export; write outside it -->"
END = "<!-- margins:end -->"
MARKER = re.compile(r"<!-- margins:(begin|end)")
#: Pages whose URL has a host under .invalid (books) get no link: there is no page to open.
SYNTHETIC_SUFFIX = ".invalid"


@dataclass(frozen=True)
class MarkdownOptions:
    #: the page's readable copy (its latest snapshot's article) as Markdown, in the template's ``article``
    article: bool = False
    #: notes as written, not through the web view's sanitizing policy
    raw_notes: bool = False


NO_OPTIONS = MarkdownOptions()


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to make, and an export makes one a highlight
class HighlightView:
    id: str
    block_id: str
    exact: str
    note: str
    color: str
    tags: list[str]
    created: str
    created_at: str
    updated_at: str
    #: the text-fragment link; on a PDF, the file's URL opening at the page
    link: str | None
    #: on a PDF, "p. 3" or "pp. 3–4"; "" elsewhere
    pages: str = ""
    #: on a PDF Margins keeps, its stored copy opening at the page (when the export knows the server's address)
    stored_link: str | None = None


@dataclass(frozen=True)
class PageView:
    margins_id: str
    title: str
    url: str
    link: str | None
    site: str
    author: str | None
    tags: list[str]
    created_at: str
    updated_at: str
    #: the reader's note on the whole page (Markdown), "" when none
    note: str
    highlights: list[HighlightView]
    #: the readable copy as Markdown when the export asks for it and the page has one, else ""
    article: str = ""


@dataclass(frozen=True)
class PageFile:
    """A page's Markdown file: ``name`` is a suggestion (the title); vault sync keeps its own."""

    name: str
    margins_id: str
    front_matter: dict
    body: str

    @property
    def content(self) -> str:
        return front_matter_text(self.front_matter) + managed_block(self.body)


def environment(kind: type[Environment] = SandboxedEnvironment) -> Environment:
    """A template environment with the export's filters: sandboxed (for a user's template) unless told."""
    env = kind(loader=FileSystemLoader(TEMPLATES), autoescape=False, trim_blocks=True, lstrip_blocks=True,
               keep_trailing_newline=True, undefined=StrictUndefined, auto_reload=False)
    env.filters.update(escape_markdown=escape_markdown, blockquote=blockquote, one_line=one_line, hashtag=hashtag)
    return env


@cache
def _built_in(name: str):
    """Margins' own template ``name``, compiled once, in a plain environment (it is trusted code)."""
    return environment(Environment).get_template(name)


def _template_failed(error: TemplateError) -> Invalid:
    line = getattr(error, "lineno", None)
    where = f"line {line}: " if line else ""
    return Invalid(f"The template cannot be used ({where}{error}); fix it, or leave it out for the default. "
                   "docs/export.md lists the variables it gets.", {"template": [str(error)]})


def load_template(source: str | None, default: str):
    """The user's template (Jinja2 source, sandboxed), or the default; a broken one raises Invalid with its
    line."""
    try:
        return environment().from_string(source) if source is not None else _built_in(default)
    except TemplateError as error:
        raise _template_failed(error) from None


def margins_id(page: Page) -> str:
    """A page's id in front matter: from its URL key, so it stays the same across exports and instances."""
    return "p-" + hashlib.sha256(page.url_key.encode()).hexdigest()[:16]


def page_view(entry: Entry, server_url: str | None = None, options: MarkdownOptions = NO_OPTIONS) -> PageView:
    page = entry.page
    synthetic = _synthetic(page.url)
    stored = f"{server_url}/pages/{page.id}/pdf" if server_url and entry.stored_pdf else None
    note = (lambda text: text) if options.raw_notes else _safe_note
    return PageView(
        margins_id=margins_id(page), title=page.title or page.url, url=page.url,
        link=None if synthetic else markdown_safe_url(page.url), site=page.site_name or ("" if synthetic else page.domain),
        author=page.author, tags=[tag.name for tag in page.tags], created_at=iso_timestamp(page.created_at),
        updated_at=iso_timestamp(page.updated_at), note=note(page.note),
        highlights=[_highlight_view(highlight, None if synthetic else page.url, entry.text, stored, note)
                    for highlight in entry.highlights],
        article=html_markdown(entry.article_html, escape_text=True)
        if options.article and entry.article_html else "",
    )


def _safe_note(text: str) -> str:
    return safe_note_markdown(text) if text else ""


def _highlight_view(highlight: HighlightRow, url: str | None, page_text: str | None = None,
                    stored_pdf: str | None = None, note=_safe_note) -> HighlightView:
    created_at = stored_timestamp(highlight.created_at)
    page = highlight.pdf_page_first
    return HighlightView(
        id=highlight.uuid, block_id=highlight.uuid, exact=highlight.exact, note=note(highlight.note),
        color=highlight.color, tags=highlight.tags, created=created_at[:10], created_at=created_at,
        updated_at=stored_timestamp(highlight.updated_at),
        link=passage_link(url, highlight, page_text) if url else None, pages=highlight.pages_label,
        stored_link=f"{stored_pdf}#page={page}" if page is not None and stored_pdf else None,
    )


#: the front matter keys Margins writes (and so owns, in a vault's files: the others are the user's)
FRONT_MATTER_KEYS = ("title", "url", "author", "site", "tags", "created", "updated", "highlights", "margins_id")


def front_matter(view: PageView) -> dict:
    """The page's properties, as Obsidian reads them: ``tags`` are the page's and its highlights' (as
    :func:`obsidian_tag` writes them, each once), ``created``/``updated`` date-times in UTC; a value the page
    does not have (an author, a book's synthetic URL, tags) is left out rather than written empty."""
    tags: dict[str, str] = {}
    for name in view.tags + [tag for highlight in view.highlights for tag in highlight.tags]:
        tag = obsidian_tag(name)
        tags.setdefault(tag.casefold(), tag)
    data = {
        "title": view.title, "url": None if _synthetic(view.url) else view.url, "author": view.author,
        "site": view.site, "tags": list(tags.values()) or None,
        "created": _date_time(view.created_at), "updated": _date_time(view.updated_at),
        "highlights": len(view.highlights), "margins_id": view.margins_id,
    }
    return {key: value for key, value in data.items() if value not in (None, "")}


def _date_time(text: str) -> datetime:
    """UTC, to the second, without a zone: what Obsidian's date-time property holds."""
    return parse_timestamp(text).replace(microsecond=0, tzinfo=None)


def _synthetic(url: str) -> bool:
    return (urlsplit(url).hostname or "").endswith(SYNTHETIC_SUFFIX)


def front_matter_text(data: dict) -> str:
    return f"---\n{dumped(data)}---\n"


def managed_block(body: str) -> str:
    """The body between the marker lines; marker look-alikes inside it are defused."""
    body = MARKER.sub(lambda match: f"<!-- margins\u2060:{match.group(1)}", body)
    return f"{BEGIN}\n{body.strip()}\n\n{END}\n"


def page_files(source: Source, template: str | None = None,
               options: MarkdownOptions = NO_OPTIONS) -> Iterator[PageFile]:
    """Each selected page as a file, named after its title (unique within this export)."""
    compiled = load_template(template, PAGE_TEMPLATE)
    names = FileNames()
    for entry in source.entries(with_text=True, with_article=options.article, light=True):
        view = page_view(entry, source.server_url, options)
        try:
            body = compiled.render(page=view, highlights=view.highlights, article=view.article)
        except TemplateError as error:
            raise _template_failed(error) from None
        yield PageFile(names.take(view.title, view.margins_id), view.margins_id, front_matter(view), body)


def export_single(source: Source, template: str | None = None,
                  options: MarkdownOptions = NO_OPTIONS) -> Iterator[bytes]:
    """All selected pages in one Markdown file, streamed as the template renders."""
    compiled = load_template(template, SINGLE_TEMPLATE)
    views = (page_view(entry, source.server_url, options)
             for entry in source.entries(with_text=True, with_article=options.article, light=True))
    try:
        for piece in compiled.generate(pages=views):
            yield piece.encode()
    except TemplateError as error:
        raise _template_failed(error) from None
