"""W3C Web Annotation (JSON-LD): an AnnotationCollection whose page holds one Annotation per highlight.

Each annotation has motivation ``highlighting``, a target with a
TextQuoteSelector (and a TextPositionSelector when the position is known)
and the highlight's color as ``styleClass``; the note is a TextualBody with
purpose ``commenting`` (Markdown), each tag one with purpose ``tagging``.
"""

from collections.abc import Iterator

from ...models import Highlight, Page
from .json_stream import ITEMS, stream_json
from .selection import Source
from .values import iso_timestamp

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def export(source: Source) -> Iterator[bytes]:
    items = (annotation(entry.page, highlight) for entry in source.entries() for highlight in entry.highlights)
    return stream_json({"@context": CONTEXT, "type": "AnnotationCollection", "label": "Margins highlights",
                        "first": {"type": "AnnotationPage", "startIndex": 0, "items": ITEMS}}, items)


def annotation(page: Page, highlight: Highlight) -> dict:
    selectors = [{"type": "TextQuoteSelector", "exact": highlight.exact, "prefix": highlight.prefix,
                  "suffix": highlight.suffix}]
    if highlight.position_start is not None:
        selectors.append({"type": "TextPositionSelector", "start": highlight.position_start,
                          "end": highlight.position_end})
    body = [{"type": "TextualBody", "value": highlight.note, "format": "text/markdown", "purpose": "commenting"}
            ] if highlight.note else []
    body += [{"type": "TextualBody", "value": tag.name, "purpose": "tagging"} for tag in highlight.tags]
    return {
        "id": f"urn:uuid:{highlight.uuid}", "type": "Annotation", "motivation": "highlighting",
        "created": iso_timestamp(highlight.created_at), "modified": iso_timestamp(highlight.updated_at),
        "body": body,
        "target": {"source": page.url, "selector": selectors, "styleClass": highlight.color},
    }
