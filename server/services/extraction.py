"""Article extraction: readable content, metadata and plain text of a page.

``extract(html, url)`` turns a page snapshot into an :class:`Article`:

1. The HTML string is cleaned of characters no parser accepts (NUL and
   other C0 controls, lone surrogates) and parsed once with lxml as UTF-8
   bytes, so a declared ``<meta charset>`` or ``<?xml encoding?>`` cannot
   confuse the parser.
2. Metadata is read from ``<meta>`` tags, JSON-LD, ``<time>``, ``<link>``.
3. Nesting deeper than :data:`MAX_DEPTH` is flattened into text, so that
   the native parsers and serializers further down (readability's lxml,
   nh3's html5ever) never see a tree deep enough to exhaust their stack.
4. readability-lxml picks the article. When it keeps almost nothing, or
   the page has too many elements for it to finish quickly, the page body
   minus navigation, header, footer, asides and forms is used instead.
5. The result is sanitized with nh3 and converted to plain text.

Sanitizing keeps article structure only: text blocks, lists, quotes, code,
tables, figures and images, inline emphasis, plus the neutral containers
``div``, ``span``, ``section``, ``article`` and ``header`` (a header inside
an article holds its title and byline). Links keep ``href`` and ``title``
and get ``rel="noopener noreferrer nofollow"``; images keep ``src``,
``alt``, ``title``, ``width`` and ``height``; table cells keep ``colspan``
and ``rowspan``. Relative URLs are resolved against the page's base URL;
only absolute http, https and mailto URLs survive. A relative URL left in
a snapshot would point at the Margins server itself once displayed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3
from lxml import etree
from readability import Document
from readability.htmls import shorten_title
from readability.readability import Unparseable

EXTRACTOR_VERSION = "1"

MAX_DEPTH = 200
"""Elements nested deeper than this are flattened into their ancestor's text."""

MAX_READABILITY_ELEMENTS = 40_000
"""Pages with more elements skip readability (which needs ~60 µs per element)."""

MIN_ARTICLE_WORDS = 25
"""Below this many words, readability's result counts as "almost nothing"."""

MAX_META_CHARS = 1000
"""Metadata strings (title, author, ...) are clipped to this length."""

ARTICLE_TYPES = {
    "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle",
    "TechArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "ReportageNewsArticle", "ReviewNewsArticle", "LiveBlogPosting",
}

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True
)
# The same without lxml.html's element classes, which cost time on big pages.
_TEXT_PARSER = etree.HTMLParser(
    encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True
)
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"\w+")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_BY_PREFIX = re.compile(r"^by\s+", re.I)
_SPACES = re.compile(r"[^\S\n]+")
_SPACES_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")
_UTC_SUFFIX = re.compile(r"\s*(?:GMT|UTC)$")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " / ", " · ")

_NOISE_TAGS = ("script", "style", "noscript", "template", "link", "meta")
_NON_ARTICLE_TAGS = ("nav", "header", "footer", "aside", "form", "dialog")

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub",
    "sup", "small", "mark", "q", "cite", "abbr", "dl", "dt", "dd", "figure",
    "figcaption", "img", "a", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "span", "div", "section", "article", "header",
}
_CELL_ATTRIBUTES = {"colspan", "rowspan"}
_SANITIZER_OPTIONS = {
    "tags": ALLOWED_TAGS,
    "clean_content_tags": {
        "script", "style", "noscript", "template", "textarea", "select",
        "button", "svg", "math", "iframe", "object", "embed", "title",
    },
    "attributes": {
        "a": {"href", "title"},
        "img": {"src", "alt", "title", "width", "height"},
        "abbr": {"title"},
        "td": _CELL_ATTRIBUTES,
        "th": _CELL_ATTRIBUTES,
    },
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": "noopener noreferrer nofollow",
    "strip_comments": True,
}

# Elements that start a new text block in `Article.text`.
_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside",
    "nav", "address", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "hr", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "dl", "dt", "dd", "figure", "figcaption", "details",
    "summary",
}


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


def extract(html: str, url: str) -> Article:
    """Extract the article and its metadata from a page; never raises."""
    doc = _parse(html)
    if doc is None:
        return _article({}, url, "", "")
    base = _base_url(doc, url)
    metadata = _metadata(doc, base)
    _drop(doc, _NOISE_TAGS)
    _flatten_deep_elements(doc)
    sanitizer = _sanitizer(base)
    return _article(metadata, url, *_content(doc, sanitizer))


def _article(metadata: dict[str, str | None], url: str, content_html: str, text: str) -> Article:
    return Article(
        title=metadata.get("title"),
        author=metadata.get("author"),
        site_name=metadata.get("site_name"),
        description=metadata.get("description"),
        language=metadata.get("language"),
        published=metadata.get("published"),
        canonical_url=metadata.get("canonical_url"),
        favicon=metadata.get("favicon") or _default_favicon(url),
        lead_image=metadata.get("lead_image"),
        content_html=content_html,
        text=text,
        word_count=len(_WORD.findall(text)),
    )


# --- parsing -----------------------------------------------------------------


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """Parse `html` as UTF-8 bytes (ignoring any declared encoding); None if empty."""
    data = _INVALID_CHARS.sub(" ", html).encode("utf-8")
    if not data.strip():
        return None
    try:
        return lxml.html.document_fromstring(data, parser=_PARSER)
    except etree.LxmlError:  # e.g. "Document is empty": nothing but a comment
        return None


def _base_url(doc: lxml.html.HtmlElement, url: str) -> str:
    """URL that relative links resolve against: an http(s) `<base href>`, else `url`."""
    base_href = _first_attribute(doc, "//base/@href")
    if base_href is None:
        return url
    try:
        base = urljoin(url, base_href.strip())
    except ValueError:
        return url
    return base if _is_http_url(base) else url


def _drop(doc: lxml.html.HtmlElement, tags: tuple[str, ...]) -> None:
    for element in list(doc.iter(*tags)):
        element.drop_tree()


def _flatten_deep_elements(doc: lxml.html.HtmlElement) -> None:
    """Replace the subtree of every element at depth MAX_DEPTH with its text.

    Block descendants are separated by newlines so their words stay apart.
    Character references such as ``&#1;`` put characters in the tree that
    lxml refuses to store back, hence the cleaning of the joined text.
    """
    for element in doc.xpath("/*" * MAX_DEPTH + "[*]"):
        pieces = [element.text or ""]
        for event, descendant in etree.iterwalk(element, events=("start", "end")):
            if descendant is element:
                continue
            if descendant.tag in _BLOCK_TAGS or descendant.tag == "br":
                pieces.append("\n")
            pieces.append((descendant.text if event == "start" else descendant.tail) or "")
        element[:] = []
        element.text = _INVALID_CHARS.sub(" ", "".join(pieces))


# --- content -----------------------------------------------------------------


def _sanitizer(base: str) -> nh3.Cleaner:
    """nh3 cleaner resolving relative URLs against `base`, or dropping them
    when `base` is not a valid http(s) URL."""
    if _is_http_url(base):
        try:
            return nh3.Cleaner(**_SANITIZER_OPTIONS, url_relative=("rewrite_with_base", base))
        except ValueError:  # e.g. a host that WHATWG URL parsing rejects
            pass
    return nh3.Cleaner(**_SANITIZER_OPTIONS, url_relative="deny")


def _content(doc: lxml.html.HtmlElement, sanitizer: nh3.Cleaner) -> tuple[str, str]:
    """Sanitized article HTML and its text: readability's pick, or the body if thin."""
    readable = sanitizer.clean(_readability_summary(doc))
    readable_text = html_to_text(readable)
    if _has_words(readable_text, MIN_ARTICLE_WORDS):
        return readable, readable_text
    _drop(doc, _NON_ARTICLE_TAGS)
    body = doc.find("body")
    body_html = sanitizer.clean(_serialize(body)) if body is not None else ""
    body_text = html_to_text(body_html)
    if len(body_text) > len(readable_text):
        return body_html, body_text
    return readable, readable_text


def _has_words(text: str, count: int) -> bool:
    return next(islice(_WORD.finditer(text), count - 1, None), None) is not None


def _readability_summary(doc: lxml.html.HtmlElement) -> str:
    """readability's article HTML; "" if it fails or the page is too big for it."""
    if doc.xpath("count(//*)") > MAX_READABILITY_ELEMENTS:
        return ""
    try:
        return Document(_serialize(doc)).summary(html_partial=True)
    except Unparseable:
        return ""


def _serialize(element: lxml.html.HtmlElement) -> str:
    """HTML of `element`, without the control characters that references like `&#1;` produce."""
    return _INVALID_CHARS.sub(" ", lxml.html.tostring(element, encoding="unicode"))


def html_to_text(content_html: str) -> str:
    """Plain text of sanitized HTML.

    Block elements (and so list items) are separated by a blank line,
    ``<br>`` becomes a newline (so two in a row also separate blocks), other
    whitespace is collapsed to one space.
    """
    if not content_html.strip():
        return ""
    try:
        root = etree.fromstring(content_html.encode("utf-8"), parser=_TEXT_PARSER)
    except etree.LxmlError:
        return ""
    if root is None:
        return ""
    pieces = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element.tag in _BLOCK_TAGS:
            pieces.append("\n\n")
        elif element.tag == "br" and event == "start":
            pieces.append("\n")
        # Newlines in the source are plain whitespace; only markup breaks lines.
        if event == "start" and element.text:
            pieces.append(element.text.replace("\n", " "))
        elif event == "end" and element.tail and element is not root:
            pieces.append(element.tail.replace("\n", " "))
    text = _SPACES.sub(" ", "".join(pieces))
    text = _SPACES_AROUND_NEWLINE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


# --- metadata ----------------------------------------------------------------


def _metadata(doc: lxml.html.HtmlElement, url: str) -> dict[str, str | None]:
    meta = _meta_tags(doc)
    ld = _json_ld_article(doc)
    site_name = _first_text(
        meta.get("og:site_name"), _json_ld_names(ld.get("publisher")),
        meta.get("application-name"),
    )
    return {
        "title": _title(doc, meta, ld, site_name),
        "author": _author(doc, meta, ld),
        "site_name": site_name,
        "description": _first_text(
            meta.get("og:description"), meta.get("description"),
            meta.get("twitter:description"), ld.get("description"),
        ),
        "language": _language(doc, meta, ld),
        "published": _published(doc, meta, ld),
        "canonical_url": _first_url(
            url, _first_attribute(doc, "//link[@rel='canonical']/@href"), meta.get("og:url"),
        ),
        "favicon": _first_url(url, *_icon_hrefs(doc)),
        "lead_image": _first_url(
            url, meta.get("og:image"), meta.get("og:image:url"),
            meta.get("og:image:secure_url"), meta.get("twitter:image"),
            meta.get("twitter:image:src"), _json_ld_image(ld.get("image")),
        ),
    }


def _title(doc: lxml.html.HtmlElement, meta: dict[str, str], ld: dict,
           site_name: str | None) -> str | None:
    """The headline: og:title or JSON-LD before `<title>`, without " | Site name"."""
    title = _first_text(
        meta.get("og:title"), ld.get("headline"), meta.get("twitter:title"),
        _shortened_title(doc), _first_element_text(doc, "//h1"),
    )
    if title and site_name:
        for separator in _TITLE_SEPARATORS:
            head, found, tail = title.rpartition(separator)
            if found and head and tail.casefold() == site_name.casefold():
                return head
    return title


def _author(doc: lxml.html.HtmlElement, meta: dict[str, str], ld: dict) -> str | None:
    """Author names without a leading "By "; URLs (article:author often is one) skipped."""
    candidates = [_json_ld_names(ld.get("author"))]
    candidates += [meta.get(key) for key in
                   ("author", "article:author", "parsely-author", "dc.creator", "byl")]
    candidates.append(_first_element_text(doc, "//a[@rel='author']"))
    for candidate in candidates:
        text = _first_text(candidate)
        if text and not _is_http_url(text):
            return _BY_PREFIX.sub("", text)
    return None


def _meta_tags(doc: lxml.html.HtmlElement) -> dict[str, str]:
    """First `content` of each `<meta>` by lower-cased property, name, itemprop or http-equiv."""
    found: dict[str, str] = {}
    for element in doc.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    return found


def _json_ld_article(doc: lxml.html.HtmlElement) -> dict:
    """The first Article-like object in the page's JSON-LD, or {}."""
    for script in doc.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        found = _find_article(data)
        if found is not None:
            return found
    return {}


def _find_article(data: object) -> dict | None:
    """Search nested lists/dicts (`@graph` included) iteratively for an article."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t in ARTICLE_TYPES for t in types):
                return node
            stack.extend(reversed(list(node.values())))
    return None


def _json_ld_names(value: object) -> str | None:
    """Names from a JSON-LD person/organization: a string, dict or list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and not _is_http_url(name.strip()):
            names.append(name.strip())
    return ", ".join(dict.fromkeys(names)) or None


def _json_ld_image(value: object) -> str | None:
    """URL of a JSON-LD image: a string, an ImageObject or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) else None


def _language(doc: lxml.html.HtmlElement, meta: dict[str, str], ld: dict) -> str | None:
    candidates = (
        doc.get("lang"), doc.get("xml:lang"), meta.get("content-language"),
        meta.get("og:locale"), ld.get("inLanguage"),
    )
    for candidate in candidates:
        if isinstance(candidate, str):
            language = candidate.strip().replace("_", "-")
            if _LANGUAGE.match(language):
                return language
    return None


def _published(doc: lxml.html.HtmlElement, meta: dict[str, str], ld: dict) -> str | None:
    """First parseable publication date in ISO 8601, else the first one found as is.

    Placeholders such as 0001-01-01 are skipped.
    """
    candidates = (
        meta.get("article:published_time"), ld.get("datePublished"),
        meta.get("datepublished"), meta.get("date"), meta.get("pubdate"),
        meta.get("publishdate"), meta.get("dc.date"), meta.get("dc.date.issued"),
        _first_attribute(doc, "//time[@pubdate]/@datetime"),
        _first_attribute(doc, "//time[@datetime]/@datetime"),
    )
    values = [value for value in map(_first_text, candidates) if value is not None]
    for value in values:
        parsed = _parse_date(value)
        if parsed is not None and parsed.year >= 1000:
            return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
    return next((value for value in values if _parse_date(value) is None), None)


def _parse_date(value: str) -> datetime | None:
    """ISO 8601 (also with a " GMT"/" UTC" suffix) or RFC 2822 date, else None."""
    try:
        return datetime.fromisoformat(_UTC_SUFFIX.sub("+00:00", value))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _shortened_title(doc: lxml.html.HtmlElement) -> str | None:
    """`<title>` without a " | Site name" part, as readability shortens it."""
    try:
        return shorten_title(doc)
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _icon_hrefs(doc: lxml.html.HtmlElement) -> list[str]:
    """Icon links, `icon`/`shortcut icon` first, then apple-touch-icons."""
    icons, touch_icons = [], []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if not href:
            continue
        if "icon" in rel:
            icons.append(href)
        elif any(token.startswith("apple-touch-icon") for token in rel):
            touch_icons.append(href)
    return icons + touch_icons


def _default_favicon(url: str) -> str | None:
    if not _is_http_url(url):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}/favicon.ico"


# --- small helpers -----------------------------------------------------------


def _first_text(*values: object) -> str | None:
    """First value that is a non-blank string, whitespace collapsed and clipped."""
    for value in values:
        if isinstance(value, str):
            text = " ".join(value.split())[:MAX_META_CHARS]
            if text:
                return text
    return None


def _first_element_text(doc: lxml.html.HtmlElement, xpath: str) -> str | None:
    for element in doc.xpath(xpath):
        text = element.text_content()
        if text.strip():
            return text
    return None


def _first_attribute(doc: lxml.html.HtmlElement, xpath: str) -> str | None:
    return next((str(value) for value in doc.xpath(xpath) if str(value).strip()), None)


def _first_url(base: str, *candidates: str | None) -> str | None:
    """First candidate resolved against `base` to an absolute http(s) URL."""
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        try:
            absolute = urljoin(base, candidate.strip())
        except ValueError:
            continue
        if _is_http_url(absolute):
            return absolute
    return None


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
