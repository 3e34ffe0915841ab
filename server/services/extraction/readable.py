"""Choosing the article: readability-lxml plus the leads it leaves out, with a
fallback when it finds almost nothing."""

from __future__ import annotations

import copy
from itertools import islice

import lxml.html
from lxml.etree import tounicode
from readability import Document
from readability.readability import Unparseable

from .cleaning import name_words
from .text import WORD

MAX_READABILITY_ELEMENTS = 40_000
"""Pages with more elements skip readability (which needs ~60 µs per element)."""

MIN_ARTICLE_WORDS = 25
"""Below this many words, readability's pick counts as "almost nothing"."""

MIN_LEAD_WORDS = 10
"""A paragraph before readability's pick, in the same `<article>`, is a lead from this many words."""

MAX_LEAD_LINK_SHARE = 0.25
"""A lead paragraph has at most this share of its characters in links."""

_CAPTION_NAMES = {"caption", "figure", "image", "photo", "gallery", "slide", "media"}


class _Readability(Document):
    """readability-lxml over a tree Margins has parsed and pre-cleaned already.

    Each of readability's passes (it retries less ruthlessly when the first
    finds little) works on a copy of that tree, instead of parsing the HTML
    again and running lxml-html-clean: scripts and styles are gone already,
    and nh3 sanitizes the result. The chosen element is kept as `article`.
    With `add_leads`, paragraphs before the pick in its `<article>` join it
    as readability's own "editorial leads" (standfirsts) do.
    """

    article: lxml.html.HtmlElement | None = None

    def __init__(self, doc: lxml.html.HtmlElement, *, add_leads: bool):
        super().__init__(doc)
        self.add_leads = add_leads

    def _parse(self, input):
        return copy.deepcopy(input)

    def get_editorial_leads(self, best_elem):
        leads = super().get_editorial_leads(best_elem)
        if self.add_leads:
            leads += [lead for lead in _paragraph_leads(best_elem) if lead not in leads]
        return leads

    def get_clean_html(self):
        self.article = self.html
        return tounicode(self.html, method="html")


def _paragraph_leads(best: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Blocks of the `<article>` around `best` that come before it and hold a real paragraph.

    readability picks the largest block of paragraphs; an article's lead or
    claim often sits in a block of its own before it. Each lead is the
    largest subtree around such a paragraph that does not hold `best`.
    """
    frame = next(best.iterancestors("article"), None)
    if frame is None:
        return []
    holding_best = set(best.iterancestors())
    leads: list[lxml.html.HtmlElement] = []
    for paragraph in frame.iter("p"):
        if paragraph is best or paragraph in holding_best:
            continue
        if _follows(paragraph, best):
            break
        if not _is_lead_paragraph(paragraph, frame):
            continue
        lead = paragraph
        while lead.getparent() is not None and lead.getparent() not in holding_best:
            lead = lead.getparent()
        if not any(lead is known or known in lead.iterancestors() for known in leads):
            leads.append(lead)
    return leads


def _is_lead_paragraph(paragraph: lxml.html.HtmlElement, frame: lxml.html.HtmlElement) -> bool:
    """A paragraph of some words, not mostly links, and not in a caption (below `frame`)."""
    for ancestor in (paragraph, *paragraph.iterancestors()):
        if ancestor is frame:
            break
        if ancestor.tag in ("figure", "figcaption") or not name_words(ancestor).isdisjoint(_CAPTION_NAMES):
            return False
    text = paragraph.text_content()
    linked = sum(len(link.text_content()) for link in paragraph.iter("a"))
    return len(WORD.findall(text)) >= MIN_LEAD_WORDS and linked <= MAX_LEAD_LINK_SHARE * len(text)


def _follows(element: lxml.html.HtmlElement, other: lxml.html.HtmlElement) -> bool:
    """Whether `element` comes after `other` in document order (or is inside it)."""
    return other in element.iterancestors() or any(
        ancestor is other or other in ancestor.itersiblings(preceding=True)
        for ancestor in (element, *element.iterancestors())
    )


def readability_pick(doc: lxml.html.HtmlElement, *, add_leads: bool = True) -> lxml.html.HtmlElement | None:
    """readability's article element; None if it fails or the page is too big for it.

    With `add_leads`, a pick holding most of its `<article>` grows to
    that whole `<article>`.
    """
    if doc.xpath("count(//*)") > MAX_READABILITY_ELEMENTS:
        return None
    document = _Readability(doc, add_leads=add_leads)
    try:
        document.summary(html_partial=True)
    except Unparseable:
        return None
    return document.article


def fallback_pick(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The (pre-cleaned) page's `<article>` or `<main>` with most text, else its body."""
    containers = doc.xpath("//article | //main") or [doc.find("body")]
    containers = [element for element in containers if element is not None]
    return max(containers, key=lambda element: len(element.text_content()), default=None)


def has_words(text: str, count: int = MIN_ARTICLE_WORDS) -> bool:
    return next(islice(WORD.finditer(text), count - 1, None), None) is not None
