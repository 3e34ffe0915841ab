"""Sanitizing with nh3: what of an article's markup may be shown again.

Article structure only: text blocks, lists, quotes, code, tables, figures
and images, inline emphasis, plus the neutral containers ``div``, ``span``,
``section``, ``article`` and ``header``. Links keep ``href`` and ``title``
and get ``rel="noopener noreferrer nofollow"``; images keep ``src``,
``alt``, ``title``, ``width`` and ``height``; table cells keep ``colspan``
and ``rowspan``. No ``style``, no event handlers, no forms or embeds.
Relative URLs are resolved against the page's base URL; only absolute
http, https and mailto URLs survive: a relative URL left in a snapshot
would point at the Margins server itself once displayed.
"""

from __future__ import annotations

import re

import lxml.html
import nh3

from .metadata import is_http_url

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub",
    "sup", "small", "mark", "q", "cite", "abbr", "dl", "dt", "dd", "figure",
    "figcaption", "img", "a", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "span", "div", "section", "article", "header",
})
_CELL_ATTRIBUTES = {"colspan", "rowspan"}
_OPTIONS = {
    "tags": set(ALLOWED_TAGS),
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


def sanitizer(base: str) -> nh3.Cleaner:
    """nh3 cleaner resolving relative URLs against `base`, or dropping them
    when `base` is not a valid http(s) URL."""
    if is_http_url(base):
        try:
            return nh3.Cleaner(**_OPTIONS, url_relative=("rewrite_with_base", base))
        except ValueError:  # e.g. a host that WHATWG URL parsing rejects
            pass
    return nh3.Cleaner(**_OPTIONS, url_relative="deny")


_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")


def drop_script_urls(root: lxml.html.HtmlElement) -> None:
    """Remove `href`/`src` values whose scheme, read as browsers read it, is unsafe.

    Browsers ignore tabs, newlines and controls inside a URL, so
    ``jav&#x09;ascript:`` runs script; nh3 would keep it as a relative path.
    """
    for element in root.xpath(".//*[@href or @src]"):
        for name in ("href", "src"):
            value = element.get(name)
            match = _SCHEME.match(_IGNORED_IN_URLS.sub("", value).lower()) if value else None
            if match and match.group(1) not in _OPTIONS["url_schemes"]:
                del element.attrib[name]
