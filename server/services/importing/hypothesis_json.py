"""Hypothesis export JSON: ``{"annotations": [...]}`` as its client exports (``{"rows": [...]}`` from its
search API, or a bare list, are taken too).

Each annotation with a TextQuoteSelector becomes a highlight on the page
of its ``uri``, keeping its position and range selectors, its text as
the note, its tags and dates. Page notes and replies (no quote) are left
out. An annotation whose id is a UUID (a Margins export) keeps it.
"""

import uuid

from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid

RANGE_KEYS = ("startContainer", "startOffset", "endContainer", "endOffset")


def parse(data: bytes) -> Parsed:
    root = load_json(data)
    if isinstance(root, dict):
        key = "annotations" if "annotations" in root else "rows"
        annotations = Fields(root, "the file").objects(key)
        label = key
    else:
        annotations, label = root, "annotations"
    pages: dict[str, PageRecord] = {}
    for index, item in enumerate(annotations):
        annotation = Fields(item, f"{label}[{index}]")
        highlight = _highlight(annotation)
        if highlight is None:
            continue
        uri = annotation.text("uri", required=True)
        page = pages.get(uri)
        if page is None:
            titles = (annotation.object("document") or Fields({}, "")).strings("title")
            page = pages[uri] = PageRecord(where=annotation.where, url=uri,
                                           metadata={"title": titles[0] if titles else None})
        page.highlights.append(highlight)
    return Parsed(list(pages.values()))


def _selectors(annotation: Fields) -> dict[str, Fields]:
    """The first target's selectors by type."""
    targets = annotation.objects("target")
    if not targets:
        return {}
    target = Fields(targets[0], f"{annotation.where}.target[0]")
    found = {}
    for index, item in enumerate(target.objects("selector")):
        selector = Fields(item, f"{target.where}.selector[{index}]")
        found.setdefault(selector.text("type", default=""), selector)
    return found


def _highlight(annotation: Fields) -> HighlightRecord | None:
    selectors = _selectors(annotation)
    quote = selectors.get("TextQuoteSelector")
    if quote is None or annotation.objects("references"):
        return None
    position = selectors.get("TextPositionSelector")
    range_selector = selectors.get("RangeSelector")
    identity = annotation.text("id", required=True)
    created = annotation.timestamp("created")
    return HighlightRecord(
        where=annotation.where, uuid=_uuid(identity), exact=quote.text("exact", required=True),
        prefix=quote.text("prefix", default=""), suffix=quote.text("suffix", default=""),
        position_start=position.integer("start", required=True) if position else None,
        position_end=position.integer("end", required=True) if position else None,
        range_selector=_range(range_selector) if range_selector else None,
        note=annotation.text("text", default=""), tags=annotation.strings("tags"),
        created_at=created, updated_at=annotation.timestamp("updated") or created,
    )


def _range(selector: Fields) -> dict:
    value = {key: selector.raw(key) for key in RANGE_KEYS}
    if not (isinstance(value["startContainer"], str) and isinstance(value["endContainer"], str)
            and isinstance(value["startOffset"], int) and isinstance(value["endOffset"], int)):
        raise ImportFailed(selector.where, "a RangeSelector needs startContainer, startOffset, endContainer, endOffset")
    return value


def _uuid(identity: str) -> str:
    try:
        return str(uuid.UUID(identity))
    except ValueError:
        return derived_uuid("hypothesis", identity)
