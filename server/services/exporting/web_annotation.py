"""W3C Web Annotation (JSON-LD): an AnnotationCollection whose one AnnotationPage holds the annotations.

Follows the Web Annotation Data Model's MUSTs and SHOULDs: the collection
and its page have an ``id`` (``urn:uuid:``, the same for the same user and
filters, so the same data gives the same bytes), a ``type``, ``label``,
``total``, ``first``/``last`` and ``partOf``/``startIndex``. Each highlight
is an Annotation (``id`` ``urn:uuid:<highlight id>``, motivation
``highlighting``, ``created``/``modified`` in UTC) whose target is a
SpecificResource: the page (``source``, with the page's title as its
``label``), a TextQuoteSelector, a TextPositionSelector when the position
is known, a RangeSelector of XPathSelectors when the range is, on a PDF
its page as a FragmentSelector (RFC 3778's ``page=N``; a passage over
several pages, a RangeSelector from its first page's to its last's), and
the color as ``styleClass`` (defined in the annotation's ``stylesheet``). The
note is a TextualBody with purpose ``commenting`` (Markdown), each tag one
with purpose ``tagging``; an annotation with neither has no ``body`` at
all. A page's note is an Annotation with motivation ``commenting`` on the
page itself. ``importing.web_annotation`` reads it all back.
"""

import uuid
from collections.abc import Iterator

from sqlalchemy import select

from ...models import Highlight, Page, User
from .hypothesis_json import page_note_id
from .json_stream import dumps
from .selection import Entry, Source
from .values import iso_timestamp

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LABEL = "Margins highlights"
#: each color as a CSS class, so the styleClass names a class the annotation's stylesheet defines
CSS_COLORS = {"yellow": "#fff176", "green": "#a5d6a7", "blue": "#90caf9", "pink": "#f48fb1", "purple": "#ce93d8",
              "orange": "#ffcc80"}
_NAMESPACE = uuid.UUID("9a5e7c1d-3b2f-5e8a-b4d6-0c1e2f3a4b5d")


def export(source: Source) -> Iterator[bytes]:
    """The collection with its one page embedded as ``first``; ``total`` and ``partOf`` follow the items,
    once they are counted (JSON objects have no order), so the file streams."""
    collection, page = _ids(source)
    head = {"@context": CONTEXT, "id": collection, "type": "AnnotationCollection", "label": LABEL}
    yield (dumps(head)[:-1] + f', "first": {{"id": {dumps(page)}, "type": "AnnotationPage", "items": [').encode()
    total = 0
    for entry in source.entries():
        for item in annotations(entry):
            yield (("\n" if total == 0 else ",\n") + dumps(item)).encode()
            total += 1
    part_of = {"id": collection, "label": LABEL, "total": total}
    yield (f'\n], "startIndex": 0, "partOf": {dumps(part_of)}}}, "last": {dumps(page)}, "total": {total}}}\n').encode()


def _ids(source: Source) -> tuple[str, str]:
    """The collection's and its page's ids: the same for the same user and filters."""
    username = source.session.scalar(select(User.username).where(User.id == source.user_id))
    key = f"{username}\x1f{source.selection!r}"
    return (f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}", f"urn:uuid:{uuid.uuid5(_NAMESPACE, key + chr(31) + 'page1')}")


def annotations(entry: Entry) -> Iterator[dict]:
    """The page's note, then its highlights."""
    page = entry.page
    if page.note:
        yield {"id": f"urn:uuid:{page_note_id(page)}", "type": "Annotation",
               "motivation": "commenting", "created": iso_timestamp(page.created_at),
               "modified": iso_timestamp(page.created_at), "body": [_comment(page.note)], "target": _page(page)}
    for highlight in entry.highlights:
        yield annotation(page, highlight)


def annotation(page: Page, highlight: Highlight) -> dict:
    selectors = [{"type": "TextQuoteSelector", "exact": highlight.exact, "prefix": highlight.prefix,
                  "suffix": highlight.suffix}]
    if highlight.position_start is not None:
        selectors.append({"type": "TextPositionSelector", "start": highlight.position_start,
                          "end": highlight.position_end})
    if _is_dom_range(highlight.range_selector):
        selectors.append(range_selector(highlight.range_selector))
    if highlight.pdf_page_first is not None:
        selectors.append(pdf_pages_selector(highlight.pdf_page_first, highlight.pdf_page_last))
    body = ([_comment(highlight.note)] if highlight.note else []) + [
        {"type": "TextualBody", "value": tag.name, "purpose": "tagging"} for tag in highlight.tags]
    item = {
        "id": f"urn:uuid:{highlight.uuid}", "type": "Annotation", "motivation": "highlighting",
        "created": iso_timestamp(highlight.created_at), "modified": iso_timestamp(highlight.updated_at),
    }
    if body:
        item["body"] = body
    item["target"] = {"type": "SpecificResource", "source": _page(page), "selector": selectors,
                      "styleClass": highlight.color}
    item["stylesheet"] = {"type": "CssStylesheet",
                          "value": f".{highlight.color} {{ background-color: {CSS_COLORS[highlight.color]}; }}"}
    return item


def _is_dom_range(value) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(f"{end}Container"), str)
                                           and isinstance(value.get(f"{end}Offset"), int) for end in ("start", "end"))


def range_selector(value: dict) -> dict:
    """Margins' range (DOM containers as XPaths, offsets in them) as the model's RangeSelector."""
    def end(container: str, offset: int) -> dict:
        return {"type": "XPathSelector", "value": container,
                "refinedBy": {"type": "TextPositionSelector", "start": offset, "end": offset}}
    return {"type": "RangeSelector", "startSelector": end(value["startContainer"], value["startOffset"]),
            "endSelector": end(value["endContainer"], value["endOffset"])}


#: the fragment identifiers of PDFs (``page=N``)
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"


def pdf_page_selector(page: int) -> dict:
    return {"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": f"page={page}"}


def pdf_pages_selector(first: int, last: int) -> dict:
    if first == last:
        return pdf_page_selector(first)
    return {"type": "RangeSelector", "startSelector": pdf_page_selector(first), "endSelector": pdf_page_selector(last)}


def _comment(text: str) -> dict:
    return {"type": "TextualBody", "value": text, "format": "text/markdown", "purpose": "commenting"}


def _page(page: Page) -> dict | str:
    return {"id": page.url, "type": "Text", "label": page.title} if page.title else page.url
