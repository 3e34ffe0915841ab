"""Article extraction: readable content, metadata and plain text of a page.

``extract(html, url)`` turns a page snapshot into an :class:`Article`:

1. The HTML string is cleaned of characters no parser accepts (NUL and
   other C0 controls, lone surrogates) and parsed once with lxml as UTF-8
   bytes, so a declared ``<meta charset>`` or ``<?xml encoding?>`` cannot
   confuse the parser.
2. Metadata is read from ``<meta>`` tags, JSON-LD, ``<time>``, ``<link>``.
3. Nesting deeper than :data:`MAX_DEPTH` is flattened into text: native
   parsers and serializers further down (readability's lxml, nh3's
   html5ever) must never see a tree deep enough to exhaust their stack.
4. readability-lxml picks the article; when it keeps almost nothing, the
   page body minus navigation, header, footer and asides is used instead.
5. The result is sanitized with nh3 and converted to plain text.

Sanitizing keeps article structure only: text blocks, lists, quotes, code,
tables, figures and images, inline emphasis, plus the neutral containers
``div``, ``span``, ``section``, ``article`` and ``header`` (a header inside
an article holds its title and byline). Links keep ``href`` and ``title``
and get ``rel="noopener noreferrer nofollow"``; images keep ``src``,
``alt``, ``title``, ``width`` and ``height``; table cells keep ``colspan``
and ``rowspan``. Only absolute http, https and mailto URLs survive:
relative URLs left after resolving against the page URL would otherwise
point at the Margins server itself when the snapshot is displayed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
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

MIN_ARTICLE_WORDS = 25
"""Below this many words, readability's result counts as "almost nothing"."""

MAX_META_CHARS = 1000
"""Metadata strings (title, author, ...) are clipped to this length."""

ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle",
                 "TechArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                 "ReportageNewsArticle", "ReviewNewsArticle", "LiveBlogPosting"}

_PARSER = lxml.html.HTMLParser(
    encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True
)
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"\w+")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_BY_PREFIX = re.compile(r"^by\s+", re.I)
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
_SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={
        "script", "style", "noscript", "template", "textarea", "select",
        "button", "svg", "math", "iframe", "object", "embed", "title",
    },
    attributes={
        "a": {"href", "title"},
        "img": {"src", "alt", "title", "width", "height"},
        "abbr": {"title"},
        "td": _CELL_ATTRIBUTES,
        "th": _CELL_ATTRIBUTES,
    },
    url_schemes={"http", "https", "mailto"},
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)

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
    author: str | None
    site_name: str | None
    description: str | None
    language: str | None
    published: str | None
    canonical_url: str | None
    favicon: str | None
    lead_image: str | None
    content_html: str
    text: str
    word_count: int


def extract(html: str, url: str) -> Article:
    """Extract the article and its metadata from a page; never raises."""
    doc = _parse(html)
    if doc is None:
        return _article({}, url, "", "")
    metadata = _metadata(doc, url)
    _drop(doc, _NOISE_TAGS)
    _flatten_deep_elements(doc)
    _make_links_absolute(doc, url)
    return _article(metadata, url, *_content(doc))


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


def _drop(doc: lxml.html.HtmlElement, tags: tuple[str, ...]) -> None:
    for element in list(doc.iter(*tags)):
        element.drop_tree()


def _flatten_deep_elements(doc: lxml.html.HtmlElement) -> None:
    """Replace the subtree of every element at depth MAX_DEPTH with its text.

    Block descendants are separated by newlines so their words stay apart.
    Character references such as ``&#1;`` put characters in the tree that
    lxml refuses to store back, hence the cleaning of the joined text.
    """
    level = [doc]
    for _ in range(MAX_DEPTH - 1):
        level = [child for element in level for child in element]
        if not level:
            return
    for element in level:
        if len(element) == 0:
            continue
        pieces = [element.text or ""]
        for event, descendant in etree.iterwalk(element, events=("start", "end")):
            if descendant is element:
                continue
            if descendant.tag in _BLOCK_TAGS or descendant.tag == "br":
                pieces.append("\n")
            pieces.append((descendant.text if event == "start" else descendant.tail) or "")
        element[:] = []
        element.text = _INVALID_CHARS.sub(" ", "".join(pieces))


def _make_links_absolute(doc: lxml.html.HtmlElement, url: str) -> None:
    """Resolve links against `<base href>` and `url`; links that fail are dropped."""
    if _is_http_url(url):
        doc.make_links_absolute(url, resolve_base_href=True, handle_failures="discard")
    else:
        doc.resolve_base_href(handle_failures="discard")


# --- content -----------------------------------------------------------------


def _content(doc: lxml.html.HtmlElement) -> tuple[str, str]:
    """Sanitized article HTML and its text: readability's pick, or the body if thin."""
    page = _serialize(doc)
    try:
        readable = _SANITIZER.clean(Document(page).summary(html_partial=True))
    except Unparseable:
        readable = ""
    readable_text = html_to_text(readable)
    if len(_WORD.findall(readable_text)) >= MIN_ARTICLE_WORDS:
        return readable, readable_text
    body = _body_without_chrome(doc)
    body_text = html_to_text(body)
    if len(body_text) > len(readable_text):
        return body, body_text
    return readable, readable_text


def _body_without_chrome(doc: lxml.html.HtmlElement) -> str:
    """Sanitized page body without navigation, header, footer, asides and forms."""
    _drop(doc, _NON_ARTICLE_TAGS)
    body = doc.find("body")
    if body is None:
        return ""
    return _SANITIZER.clean(_serialize(body))


def _serialize(element: lxml.html.HtmlElement) -> str:
    """HTML of `element`, without the control characters that references like `&#1;` produce."""
    return _INVALID_CHARS.sub(" ", lxml.html.tostring(element, encoding="unicode"))


def html_to_text(content_html: str) -> str:
    """Plain text of sanitized HTML.

    Block elements (and so list items) are separated by a blank line,
    ``<br>`` becomes a newline, whitespace inside a block is collapsed.
    """
    if not content_html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(content_html.encode("utf-8"), parser=_PARSER)
    except etree.ParserError:
        return ""
    blocks: list[str] = []
    current: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element.tag in _BLOCK_TAGS:
            blocks.append("".join(current))
            current = []
        if event == "start":
            if element.tag == "br":
                current.append("\n")
            current.append(_as_line(element.text))
        elif element is not root:
            current.append(_as_line(element.tail))
    blocks.append("".join(current))
    return "\n\n".join(filter(None, map(_collapse_block, blocks)))


def _as_line(text: str | None) -> str:
    """Source newlines are plain whitespace; only `<br>` makes a line break."""
    return (text or "").replace("\n", " ")


def _collapse_block(block: str) -> str:
    lines = (" ".join(line.split()) for line in block.split("\n"))
    return "\n".join(line for line in lines if line)


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
    """First `content` of each `<meta>` by lower-cased name, property or itemprop."""
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
    """First usable publication date, ISO 8601 when parseable."""
    candidates = (
        meta.get("article:published_time"), ld.get("datePublished"),
        meta.get("datepublished"), meta.get("date"), meta.get("pubdate"),
        meta.get("publishdate"), meta.get("dc.date"), meta.get("dc.date.issued"),
        _first_attribute(doc, "//time[@pubdate]/@datetime"),
        _first_attribute(doc, "//time[@datetime]/@datetime"),
    )
    for candidate in candidates:
        value = _first_text(candidate)
        if value is not None:
            parsed = _parse_date(value)
            if parsed is None:
                return value
            if parsed.year >= 1000:  # not a placeholder such as 0001-01-01
                return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
    return None


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
