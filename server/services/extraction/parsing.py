"""Parsing page HTML once, safely, into an lxml tree the other steps share."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from .metadata import is_http_url
from .text import BLOCK_TAGS

MAX_DEPTH = 200
"""Elements nested deeper than this are flattened into their ancestor's text."""

INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters no parser or database accepts: C0 controls, lone surrogates, non-characters."""

_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True)


def parse(html: str) -> lxml.html.HtmlElement | None:
    """Parse `html` as UTF-8 bytes (ignoring any declared encoding); None if empty.

    Encoding the string to UTF-8 first means a declared ``<meta charset>``
    or ``<?xml encoding?>`` cannot make lxml decode it a second time.
    """
    data = INVALID_CHARS.sub(" ", html).encode("utf-8")
    if not data.strip():
        return None
    try:
        return lxml.html.document_fromstring(data, parser=_PARSER)
    except etree.LxmlError:  # e.g. "Document is empty": nothing but a comment
        return None


def base_url(doc: lxml.html.HtmlElement, url: str) -> str:
    """URL that relative links resolve against: an http(s) `<base href>`, else `url`."""
    base_href = next((str(href) for href in doc.xpath("//base/@href") if str(href).strip()), None)
    if base_href is None:
        return url
    try:
        base = urljoin(url, base_href.strip())
    except ValueError:
        return url
    return base if is_http_url(base) else url


def drop(elements) -> None:
    """Remove elements with their content, keeping the text that follows each."""
    for element in list(elements):
        if element.getparent() is not None:
            element.drop_tree()


def flatten_deep_elements(doc: lxml.html.HtmlElement) -> None:
    """Replace the subtree of every element at depth MAX_DEPTH with its text.

    The native parsers and serializers further down (readability's lxml,
    nh3's html5ever) then never see a tree deep enough to exhaust their
    stack. Block descendants are separated by newlines so their words stay
    apart. Character references such as ``&#1;`` put characters in the tree
    that lxml refuses to store back, hence the cleaning of the joined text.
    """
    for element in doc.xpath("/*" * MAX_DEPTH + "[*]"):
        pieces = [element.text or ""]
        for event, descendant in etree.iterwalk(element, events=("start", "end")):
            if descendant is element:
                continue
            if descendant.tag in BLOCK_TAGS or descendant.tag == "br":
                pieces.append("\n")
            pieces.append((descendant.text if event == "start" else descendant.tail) or "")
        element[:] = []
        element.text = INVALID_CHARS.sub(" ", "".join(pieces))


def serialize(element: lxml.html.HtmlElement) -> str:
    """HTML of `element`, without the control characters that references like `&#1;` produce."""
    return INVALID_CHARS.sub(" ", lxml.html.tostring(element, encoding="unicode"))
