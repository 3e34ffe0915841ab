"""W3C Web Annotation JSON-LD: what ``export w3c`` writes, and annotations from other tools in the model's shape.

Takes an AnnotationCollection (its ``first`` page's ``items``, and any
further pages given inline as ``next``), an AnnotationPage, a list, or one
Annotation. An annotation whose target has a TextQuoteSelector becomes a
highlight (position from a TextPositionSelector, range from a RangeSelector
of XPathSelectors, color from ``styleClass``); its TextualBody values with
purpose ``commenting`` (or none) make the note, those with ``tagging`` the
tags. An annotation on a whole page (no selector) with a comment becomes
the page's note. Targets are the page's URL or a SpecificResource whose
``source`` is the URL or ``{"id": URL, "label": title}``. ``urn:uuid:`` ids
are kept; other ids give a UUID derived from them.
"""

import re
import uuid

from ..exporting.web_annotation import PDF_FRAGMENT
from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color

#: annotations read from one file at most (collections may chain pages inline)
MAX_PAGES = 10_000


def parse(data: bytes) -> Parsed:
    pages: dict[str, PageRecord] = {}
    notes: dict[str, list[str]] = {}
    for annotation in _annotations(load_json(data)):
        target = _target(annotation)
        url, title, selectors = target
        page = pages.get(url)
        if page is None:
            page = pages[url] = PageRecord(where=annotation.where, url=url, metadata={"title": title})
        elif title and not page.metadata.get("title"):
            page.metadata["title"] = title
        comments, tags = _bodies(annotation)
        if "TextQuoteSelector" in selectors:
            page.highlights.append(_highlight(annotation, selectors, comments, tags))
        elif comments:
            notes.setdefault(url, []).append("\n\n".join(comments))
            created = annotation.timestamp("created")
            if created and (page.created_at is None or created < page.created_at):
                page.created_at = created
    for url, texts in notes.items():
        pages[url].metadata["note"] = "\n\n".join(texts)
    return Parsed(list(pages.values()))


def _annotations(root):
    """Every Annotation of the file, as Fields named by where they are."""
    if isinstance(root, list):
        items, where = root, "the file"
    else:
        document = Fields(root, "the file")
        kind = document.raw("type")
        if kind == "Annotation":
            yield document
            return
        if kind == "AnnotationCollection":
            page, where = document.object("first"), "first"
            if page is None:
                raise ImportFailed("the file", "the AnnotationCollection has no 'first' page with its items")
        elif kind == "AnnotationPage":
            page, where = document, "the page"
        else:
            raise ImportFailed("the file", "is not W3C Web Annotation JSON (no \"type\": \"AnnotationCollection\", "
                                           "\"AnnotationPage\" or \"Annotation\")")
        for count in range(MAX_PAGES):
            label = where if count == 0 else f"{where}.next"
            for index, item in enumerate(page.objects("items")):
                yield Fields(item, f"{label}.items[{index}]")
            page = page.object("next")
            if page is None:
                return
            where = label
        raise ImportFailed("the file", f"has more than {MAX_PAGES} pages of annotations")
    for index, item in enumerate(items):
        yield Fields(item, f"[{index}]")


def _target(annotation: Fields) -> tuple[str, str | None, dict[str, Fields]]:
    """The page's URL and title, and the selectors by type."""
    target = annotation.raw("target")
    if isinstance(target, list):
        if not target:
            raise ImportFailed(annotation.where, "'target' is empty")
        target = target[0]
    if isinstance(target, str):
        return _url(target, annotation.where), None, {}
    target = Fields(target, f"{annotation.where}.target")
    source = target.raw("source")
    title = None
    if isinstance(source, dict):
        source = Fields(source, f"{target.where}.source")
        title = source.text("label") or None
        url = source.text("id", required=True)
    elif isinstance(source, str):
        url = source
    else:
        url = target.text("id", required=True)
    selectors: dict[str, Fields] = {}
    raw = target.raw("selector")
    for index, item in enumerate(raw if isinstance(raw, list) else [raw] if raw is not None else []):
        selector = Fields(item, f"{target.where}.selector[{index}]")
        selectors.setdefault(selector.text("type", default=""), selector)
    selectors["styleClass"] = target  # where the color is read from
    return _url(url, target.where), title, selectors


def _url(url: str, where: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ImportFailed(where, f"the target {url[:60]!r} is not a web address")
    return url


def _bodies(annotation: Fields) -> tuple[list[str], list[str]]:
    raw = annotation.raw("body")
    comments, tags = [], []
    for index, item in enumerate(raw if isinstance(raw, list) else [raw] if raw is not None else []):
        if isinstance(item, str):  # a body given by IRI: nothing to keep
            continue
        body = Fields(item, f"{annotation.where}.body[{index}]")
        value = body.text("value")
        if value is None:
            continue
        purpose = body.raw("purpose")
        purposes = purpose if isinstance(purpose, list) else [purpose]
        if "tagging" in purposes:
            tags.append(value)
        else:
            comments.append(value)
    return comments, tags


def _highlight(annotation: Fields, selectors: dict[str, Fields], comments: list[str], tags: list[str]
               ) -> HighlightRecord:
    quote = selectors["TextQuoteSelector"]
    position = selectors.get("TextPositionSelector")
    created = annotation.timestamp("created")
    style = selectors["styleClass"].raw("styleClass")
    return HighlightRecord(
        where=annotation.where, uuid=_uuid(annotation), exact=quote.text("exact", required=True),
        prefix=quote.text("prefix", default=""), suffix=quote.text("suffix", default=""),
        position_start=position.integer("start", required=True) if position else None,
        position_end=position.integer("end", required=True) if position else None,
        range_selector=_range(selectors["RangeSelector"]) if "RangeSelector" in selectors else None,
        **_pdf_pages(selectors),
        color=palette_color(style[0] if isinstance(style, list) and style else style), note="\n\n".join(comments),
        tags=tags, created_at=created, updated_at=annotation.timestamp("modified") or created,
    )


def _range(selector: Fields) -> dict | None:
    """A RangeSelector of XPathSelectors refined by offsets, as Margins' range; other kinds are not kept."""
    ends = []
    for name in ("startSelector", "endSelector"):
        end = selector.object(name)
        refined = end.object("refinedBy") if end else None
        if end is None or end.raw("type") != "XPathSelector" or refined is None:
            return None
        ends.append((end.text("value", required=True), refined.integer("start", required=True)))
    (start_container, start_offset), (end_container, end_offset) = ends
    return {"startContainer": start_container, "startOffset": start_offset, "endContainer": end_container,
            "endOffset": end_offset}


def _pdf_pages(selectors: dict[str, Fields]) -> dict:
    """A PDF's pages, from a FragmentSelector ``page=N`` or a RangeSelector between two of them."""
    ends = []
    if "FragmentSelector" in selectors:
        ends = [selectors["FragmentSelector"]] * 2
    elif "RangeSelector" in selectors:
        ends = [selectors["RangeSelector"].object("startSelector"), selectors["RangeSelector"].object("endSelector")]
    pages = [_pdf_page(end) for end in ends if end is not None and end.raw("type") == "FragmentSelector"]
    if len(pages) != 2 or None in pages:
        return {}
    return {"pdf_page_first": pages[0], "pdf_page_last": pages[1]}


def _pdf_page(selector: Fields) -> int | None:
    match = re.fullmatch(r"page=(\d{1,6})", selector.text("value", default=""))
    return int(match.group(1)) if match and selector.raw("conformsTo") == PDF_FRAGMENT else None


def _uuid(annotation: Fields) -> str:
    identity = annotation.text("id", required=True)
    if identity.startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(identity[len("urn:uuid:"):]))
        except ValueError:
            pass
    return derived_uuid("w3c", identity)
