"""General cleaning rules around readability, each a named step.

Pre-cleaning runs on the whole page before readability scores it: it
removes what is never the article (hidden elements, page chrome, widgets)
and undoes markup that misleads readability's scoring. Post-cleaning runs
on readability's pick: it removes what sits inside articles but is not
their text (the repeated headline, bylines, photo credits, repeated
captions, empty wrappers) and makes lazy-loaded images show.

No rule is keyed to a site: they read tags, ARIA roles, the words of
class and id names, and the text itself. `bench/extraction.py --ablate`
measures what each step buys.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html

from .parsing import drop
from .text import BLOCK_TAGS, WORD

Step = Callable[[lxml.html.HtmlElement], None]

MAX_DROPPED_SHARE = 0.5
"""A rule never removes an element holding more than this share of the page's text."""

MAX_POST_CLEANED_ELEMENTS = 40_000
"""Articles with more elements are not post-cleaned (see `post_clean`)."""

MAX_BYLINE_WORDS = 30
"""Bylines, datelines and credits are short; longer blocks are kept."""

CAPTION_KEY_WORDS = 8
"""Captions starting with this many equal words are one caption repeated."""

MAX_LINK_SHARE = 0.8
"""Blocks with at least this share of their (non-space) characters in links are link lists."""

_NAME_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_INVISIBLE = " \t\n\r\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff"

_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "dialog", "menu",
                "button", "select", "textarea", "input", "label")
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog",
                 "alertdialog", "search", "menu", "menubar", "toolbar", "tablist"}
# Whole class names of utility classes that hide (CSS frameworks, CMS themes).
_HIDDEN_CLASS = re.compile(
    r"(?:is-|u-)?(?:hidden|hide|invisible|d-none|sr-only|visually-?hidden|element-invisible"
    r"|screen-?reader-(?:text|only)|off-?screen)",
    re.I,
)
_WIDGET_NAMES = {
    "share", "sharing", "sharebar", "social", "subscribe", "subscription", "newsletter",
    "signup", "promo", "promotion", "advert", "advertisement", "advertising", "ad", "ads",
    "sponsor", "sponsored", "cookie", "cookies", "consent", "gdpr", "related",
    "recommended", "recommendations", "outbrain", "taboola", "comment", "comments",
    "disqus", "breadcrumb", "breadcrumbs", "pagination", "pager", "popup", "modal",
    "rollover", "tooltip", "popover", "hovercard", "skip",
}
_BYLINE_NAMES = {"byline", "author", "authors", "dateline", "timestamp", "date",
                 "published", "updated", "meta", "posted"}
_CREDIT_NAMES = {"credit", "credits", "copyright", "attribution", "photographer"}
_CREDIT_TEXT = re.compile(
    r"^[(\[]?\s*(?:(?:photo|image|picture|photograph|foto)s?(?:\s+(?:credit|copyright|by))?"
    r"|credit|copyright|source)\s*[:©]|^©|^(?:image|photo)\s+copyright\b",
    re.I,
)
_LABEL_TEXT = re.compile(
    r"(?:advert|advertisement|advertising|sponsored(?: content)?|ad)"
    r"|(?:image|photo|picture|slide)\s+\d+\s+(?:of|/)\s+\d+",
    re.I,
)
_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src")
_LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset", "srcset")
_KEEP_EMPTY = {"img", "br", "hr", "td", "th", "tr"}


# --- pre-cleaning: the whole page, before readability ------------------------


def drop_hidden(doc: lxml.html.HtmlElement) -> None:
    """Elements a reader never sees: `hidden`, `aria-hidden`, display:none, sr-only classes."""
    found = doc.xpath("//*[@hidden or @aria-hidden='true' or @type='hidden']")
    found += [element for element in doc.xpath("//*[@style]")
              if _HIDDEN_STYLE.search(element.get("style"))]
    found += [element for element in doc.xpath("//*[@class]")
              if any(map(_HIDDEN_CLASS.fullmatch, element.get("class").split()))]
    _drop_minor(doc, found)


def drop_chrome(doc: lxml.html.HtmlElement) -> None:
    """Navigation, headers, footers, sidebars, forms and dialogs, by tag or ARIA role."""
    found = list(doc.iter(*_CHROME_TAGS))
    found += [element for element in doc.xpath("//*[@role]")
              if element.get("role").strip().lower() in _CHROME_ROLES]
    _drop_minor(doc, found)


def drop_widgets(doc: lxml.html.HtmlElement) -> None:
    """Share and subscribe widgets, ads, related links, comments, pop-ups, by class or id."""
    _drop_minor(doc, _named(doc, _WIDGET_NAMES))


def plain_quotes(doc: lxml.html.HtmlElement) -> None:
    """Strip class and id of quotes: readability drops "tweet"/"comment" names,
    and an embedded post is a quotation the article makes."""
    for quote in doc.iter("blockquote"):
        quote.attrib.pop("class", None)
        quote.attrib.pop("id", None)


def unwrap_lone_paragraphs(doc: lxml.html.HtmlElement) -> None:
    """Replace a `div`/`section` holding just one paragraph by that paragraph.

    readability removes a wrapper whose class it dislikes ("media", "meta",
    ...) with everything in it; a paragraph on its own is always scored.
    """
    for paragraph in list(doc.iter("p")):
        wrapper = paragraph.getparent()
        if (wrapper is not None and wrapper.tag in ("div", "section") and len(wrapper) == 1
                and not (wrapper.text or "").strip() and not (paragraph.tail or "").strip()):
            wrapper.drop_tag()


PRE_STEPS: dict[str, Step] = {
    "hidden": drop_hidden,
    "chrome": drop_chrome,
    "widgets": drop_widgets,
    "quotes": plain_quotes,
    "lone-paragraphs": unwrap_lone_paragraphs,
}


# --- post-cleaning: readability's pick -----------------------------------------


def drop_headline(article: lxml.html.HtmlElement, title: str | None) -> None:
    """Blocks repeating the page's title (shown apart from the text)."""
    if not title:
        return
    wanted = _collapse(title).casefold()
    _drop_leaf_blocks(article, lambda text: text.casefold() == wanted)


def drop_bylines(article: lxml.html.HtmlElement) -> None:
    """Short blocks named as bylines, datelines or timestamps."""
    _drop_short(_named(article, _BYLINE_NAMES))


def drop_credits(article: lxml.html.HtmlElement) -> None:
    """Photo credits: named as credits, or short blocks reading "Photo: …", "© …"."""
    _drop_short(_named(article, _CREDIT_NAMES))
    _drop_leaf_blocks(article, lambda text: len(WORD.findall(text)) <= MAX_BYLINE_WORDS
                      and _CREDIT_TEXT.match(text) is not None, tags=BLOCK_TAGS | {"span", "small"})


def drop_repeated_captions(article: lxml.html.HtmlElement) -> None:
    """Captions repeating an earlier one (slideshows; "full" and "truncated" copies).

    Two captions starting with the same CAPTION_KEY_WORDS words count as the same.
    """
    seen: set[tuple[str, ...]] = set()
    captions = set(article.iter("figcaption", "caption")).union(_named(article, {"caption"}))
    for caption in _outermost([element for element in article.iter() if element in captions]):
        key = tuple(WORD.findall(caption.text_content().casefold())[:CAPTION_KEY_WORDS])
        if key in seen:
            caption.drop_tree()
        seen.add(key)


def drop_labels(article: lxml.html.HtmlElement) -> None:
    """Short blocks that label the page, not the story: "Advertisement", "Image 2 of 5"."""
    _drop_leaf_blocks(article, _LABEL_TEXT.fullmatch, tags=BLOCK_TAGS | {"span", "small"})


def drop_link_lists(article: lxml.html.HtmlElement) -> None:
    """Paragraphs and lists whose text is almost all links ("Read more: …", related stories)."""
    for block in list(article.iter("p", "ul", "ol", "dl", "div")):
        if block is article or (block.tag == "div" and any(child.tag in BLOCK_TAGS for child in block)):
            continue
        text = len("".join(block.text_content().split()))
        linked = sum(len("".join(link.text_content().split())) for link in block.iter("a"))
        if text and linked >= MAX_LINK_SHARE * text:
            block.drop_tree()


def drop_empty(article: lxml.html.HtmlElement) -> None:
    """Elements without text or images once the rest is gone, innermost first."""
    for element in reversed(list(article.iterdescendants())):
        if (element.tag not in _KEEP_EMPTY and len(element) == 0
                and not (element.text or "").strip(_INVISIBLE)):
            element.drop_tree()


def show_lazy_images(article: lxml.html.HtmlElement) -> None:
    """Give images their real source: a lazy-load attribute, else the widest `srcset` entry."""
    for image in article.iter("img"):
        source = next((image.get(name) for name in _LAZY_SOURCES if image.get(name)), None)
        if source is None and (not image.get("src") or image.get("src").startswith("data:")):
            srcset = next((image.get(name) for name in _LAZY_SRCSETS if image.get(name)), None)
            source = _widest(srcset) if srcset else _picture_source(image)
        if source:
            image.set("src", source.strip())


POST_STEPS = ("headline", "bylines", "credits", "captions", "labels", "link-lists", "lazy-images",
              "empty")


def post_clean(article: lxml.html.HtmlElement, title: str | None, skip: frozenset[str]) -> None:
    """Run the post-cleaning steps not in `skip` on readability's pick, in order.

    An article of more than MAX_POST_CLEANED_ELEMENTS (only a fallback on a
    huge page can be one) is left as it is: the steps walk every element in
    Python, and would take minutes there.
    """
    if article.xpath("count(.//*)") > MAX_POST_CLEANED_ELEMENTS:
        return
    steps: dict[str, Callable[[], None]] = {
        "headline": lambda: drop_headline(article, title),
        "bylines": lambda: drop_bylines(article),
        "credits": lambda: drop_credits(article),
        "captions": lambda: drop_repeated_captions(article),
        "labels": lambda: drop_labels(article),
        "link-lists": lambda: drop_link_lists(article),
        "lazy-images": lambda: show_lazy_images(article),
        "empty": lambda: drop_empty(article),
    }
    for name in POST_STEPS:
        if name not in skip:
            steps[name]()


# --- helpers -------------------------------------------------------------------


def _named(root: lxml.html.HtmlElement, names: set[str]) -> list[lxml.html.HtmlElement]:
    """Elements below `root` whose class or id has one of `names` as a word (see `name_words`)."""
    return [element for element in root.xpath(".//*[@class or @id]")
            if not name_words(element).isdisjoint(names)]


def name_words(element: lxml.html.HtmlElement) -> set[str]:
    """Lower-case words of an element's class and id.

    Names are split at dashes, underscores and case changes, so "share-bar",
    "socialShare" and "ad_slot" count, and "shareholder" or "header" do not;
    two neighbouring words count joined too ("visually-hidden", "sr-only").
    """
    label = f"{element.get('class', '')} {element.get('id', '')}"
    tokens = [token.lower() for token in _NAME_TOKEN.findall(label)]
    return set(tokens).union(map("".join, zip(tokens, tokens[1:], strict=False)))


def _outermost(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    chosen = set(elements)
    return [element for element in elements
            if not any(ancestor in chosen for ancestor in element.iterancestors())]


def _drop_minor(doc: lxml.html.HtmlElement, elements: list[lxml.html.HtmlElement]) -> None:
    """Drop `elements`, except the page root and any holding much of the page's text."""
    body = doc.find("body")
    limit = MAX_DROPPED_SHARE * len((body if body is not None else doc).text_content())
    drop(element for element in _outermost(elements)
         if element.tag not in ("html", "body") and len(element.text_content()) <= limit)


def _drop_short(elements: list[lxml.html.HtmlElement]) -> None:
    drop(element for element in _outermost(elements)
         if len(WORD.findall(element.text_content())) <= MAX_BYLINE_WORDS)


def _drop_leaf_blocks(article: lxml.html.HtmlElement, unwanted: Callable[[str], bool],
                      tags: frozenset[str] = BLOCK_TAGS) -> None:
    """Drop blocks without block children whose collapsed text is `unwanted`."""
    for element in list(article.iter(*tags)):
        if element is article or any(child.tag in BLOCK_TAGS for child in element):
            continue
        if unwanted(_collapse(element.text_content())):
            element.drop_tree()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _widest(srcset: str) -> str | None:
    """URL of the largest candidate of a `srcset` ("a.jpg 480w, b.jpg 800w")."""
    best, best_size = None, -1.0
    for candidate in re.split(r",\s+", srcset.strip()):
        parts = candidate.split()
        if not parts:
            continue
        descriptor = parts[1] if len(parts) > 1 else "1x"
        try:
            size = float(descriptor[:-1])
        except ValueError:
            size = 0.0
        if size > best_size:
            best, best_size = parts[0], size
    return best


def _picture_source(image: lxml.html.HtmlElement) -> str | None:
    """The widest source of the `<picture>` around `image` (libxml2 nests it in a `<source>`)."""
    picture = next(image.iterancestors("picture"), None)
    if picture is None:
        return None
    srcset = next((source.get("srcset") for source in picture.iter("source") if source.get("srcset")), None)
    return _widest(srcset) if srcset else None
