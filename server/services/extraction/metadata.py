"""Page metadata: title, author, site, dates, language, links and images.

Read from ``<meta>`` tags (Open Graph, Twitter, Dublin Core), the first
JSON-LD ``Article``-like object, ``<time>``, ``<link>`` and ``rel=author``,
in that order of trust. Every URL comes out absolute http(s) or not at all.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from readability.htmls import shorten_title

MAX_META_CHARS = 1000
"""Metadata strings (title, author, ...) are clipped to this length."""

ARTICLE_TYPES = {
    "Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle",
    "TechArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "ReportageNewsArticle", "ReviewNewsArticle", "LiveBlogPosting",
}

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_BY_PREFIX = re.compile(r"^by\s+", re.I)
_UTC_SUFFIX = re.compile(r"\s*(?:GMT|UTC)$")
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " / ", " · ")


def read_metadata(doc: lxml.html.HtmlElement, url: str) -> dict[str, str | None]:
    """The page's metadata by Article field name; `url` resolves relative links."""
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
    title = _first_text(meta.get("og:title"), ld.get("headline"), meta.get("twitter:title"))
    # Shortening <title> is slow (CSS selectors): only when nothing better exists.
    title = title or _first_text(_shortened_title(doc), _first_element_text(doc, "//h1"))
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
        if text and not is_http_url(text):
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
        if isinstance(name, str) and name.strip() and not is_http_url(name.strip()):
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


def default_favicon(url: str) -> str | None:
    """`<origin>/favicon.ico` of an http(s) URL, else None."""
    if not is_http_url(url):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}/favicon.ico"


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
        if is_http_url(absolute):
            return absolute
    return None


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
