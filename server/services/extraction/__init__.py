"""Article extraction: readable content, metadata and plain text of a page.

``extract(html, url)`` turns a page snapshot into an :class:`Article`:

1. The HTML string is cleaned of characters no parser accepts and parsed
   once with lxml (:mod:`.parsing`); nesting deeper than ``MAX_DEPTH`` is
   flattened into text.
2. Metadata is read from ``<meta>`` tags, JSON-LD, ``<time>``, ``<link>``
   (:mod:`.metadata`).
3. Pre-cleaning removes hidden elements, page chrome and widgets
   (:mod:`.cleaning`).
4. readability-lxml picks the article (:mod:`.readable`), with the lead
   paragraphs of its ``<article>`` that precede its pick. When it keeps
   almost nothing, the page's main article container is used instead.
5. Post-cleaning removes headline, bylines, credits, repeated captions and
   empty wrappers, and shows lazy-loaded images.
6. The result is sanitized with nh3 (:mod:`.sanitizing`) and converted to
   plain text (:mod:`.text`).

Change ``EXTRACTOR_VERSION`` whenever the output changes: ``flask snapshots
reprocess`` re-runs the cleaner over snapshots made by older versions.
"""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html

from .cleaning import POST_STEPS, PRE_STEPS, post_clean
from .encoding import decode_html
from .metadata import default_favicon, read_metadata
from .parsing import base_url, drop, flatten_deep_elements, parse, serialize
from .readable import MIN_ARTICLE_WORDS, fallback_pick, has_words, readability_pick
from .sanitizing import ALLOWED_TAGS, drop_script_urls, sanitizer
from .text import html_to_text, reading_minutes, word_count

__all__ = [
    "ALLOWED_TAGS", "EXTRACTOR_VERSION", "STEPS", "Article", "decode_html", "extract",
    "html_to_text",
]

EXTRACTOR_VERSION = "2"

STEPS = (*PRE_STEPS, "leads", *POST_STEPS)
"""Names of the cleaning steps, in the order they run; `extract(skip=...)` leaves some out."""

_NOISE_TAGS = ("script", "style", "noscript", "template", "link", "meta", "iframe",
               "object", "svg", "canvas")


@dataclass(frozen=True)
class Article:
    title: str | None
    author: str | None           # names joined with ", "
    site_name: str | None
    description: str | None
    language: str | None         # e.g. "en", "de-DE"
    published: str | None        # ISO 8601 when parseable, else as found
    canonical_url: str | None    # absolute http(s)
    favicon: str | None          # absolute http(s), else <origin>/favicon.ico
    lead_image: str | None       # absolute http(s)
    content_html: str            # sanitized article HTML
    text: str                    # blocks separated by "\n\n"
    word_count: int              # \w+ tokens in text
    reading_minutes: int         # at WORDS_PER_MINUTE, rounded up


def extract(html: str, url: str, *, skip: frozenset[str] = frozenset()) -> Article:
    """Extract the article and its metadata from a page; never raises.

    `skip` names cleaning steps (see `STEPS`) to leave out, for measuring
    what each one buys.
    """
    doc = parse(html)
    if doc is None:
        return _article({}, url, "", "")
    base = base_url(doc, url)
    metadata = read_metadata(doc, base)
    drop(doc.iter(*_NOISE_TAGS))
    for embed in list(doc.iter("embed")):  # void, but libxml2 nests what follows in it
        embed.drop_tag()
    flatten_deep_elements(doc)
    for name, step in PRE_STEPS.items():
        if name not in skip:
            step(doc)
    article = _pick_article(doc, metadata.get("title"), skip)
    if article is None:
        return _article(metadata, url, "", "")
    drop_script_urls(article)
    content_html = sanitizer(base).clean(serialize(article))
    return _article(metadata, url, content_html, html_to_text(content_html))


def _pick_article(doc: lxml.html.HtmlElement, title: str | None,
                  skip: frozenset[str]) -> lxml.html.HtmlElement | None:
    """readability's pick, post-cleaned; the fallback's when that has too few words."""
    picked = readability_pick(doc, add_leads="leads" not in skip)
    if picked is not None:
        post_clean(picked, title, skip)
        if has_words(picked.text_content(), MIN_ARTICLE_WORDS):
            return picked
    fallback = fallback_pick(doc)
    if fallback is None:
        return picked
    post_clean(fallback, title, skip)
    if picked is not None and len(picked.text_content()) >= len(fallback.text_content()):
        return picked
    return fallback


def _article(metadata: dict[str, str | None], url: str, content_html: str, text: str) -> Article:
    words = word_count(text)
    return Article(
        title=metadata.get("title"),
        author=metadata.get("author"),
        site_name=metadata.get("site_name"),
        description=metadata.get("description"),
        language=metadata.get("language"),
        published=metadata.get("published"),
        canonical_url=metadata.get("canonical_url"),
        favicon=metadata.get("favicon") or default_favicon(url),
        lead_image=metadata.get("lead_image"),
        content_html=content_html,
        text=text,
        word_count=words,
        reading_minutes=reading_minutes(words),
    )
