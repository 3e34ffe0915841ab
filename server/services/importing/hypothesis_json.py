"""Hypothesis export JSON: ``{"annotations": [...]}`` as its client exports (``{"rows": [...]}`` from its
search API, a bare list, or the one annotation its API answers for an id, are taken too).

Each annotation with a TextQuoteSelector becomes a highlight on the page
of its ``uri``, keeping its position and range selectors, its text as
the note, its tags and dates (``updated`` too, so a round trip keeps it).
A page note (an annotation with no selector) becomes the page's note;
replies are left out. An annotation whose id is a UUID (a Margins export)
keeps it. ``document.title`` is a list (today's API) or a string (2014's).
"""

from ..limits import MAX_PDF_PAGE
from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, kept_uuid

RANGE_KEYS = ("startContainer", "startOffset", "endContainer", "endOffset")


def parse(data: bytes) -> Parsed:
    root = load_json(data)
    if isinstance(root, dict) and "annotations" not in root and "rows" not in root and "uri" in root:
        annotations, label = [root], "the annotation"
    elif isinstance(root, dict):
        label = "annotations" if "annotations" in root else "rows"
        annotations = Fields(root, "the file").objects(label)
    else:
        annotations, label = root, "annotations"
    pages: dict[str, PageRecord] = {}
    page_notes: dict[str, list[str]] = {}
    for index, item in enumerate(annotations):
        annotation = Fields(item, label if label == "the annotation" else f"{label}[{index}]")
        if annotation.objects("references"):
            continue
        highlight = _highlight(annotation)
        note = "" if highlight or _selectors(annotation) else annotation.text("text", default="").strip()
        if highlight is None and not note:
            continue
        uri = annotation.text("uri", required=True)
        page = pages.get(uri)
        if page is None:
            page = pages[uri] = PageRecord(where=annotation.where, url=uri, metadata={"title": _title(annotation)})
        created = annotation.timestamp("created")
        if created and (page.created_at is None or created < page.created_at):
            page.created_at = created  # a new page was kept when its first annotation was made
        if highlight:
            page.highlights.append(highlight)
        else:
            page_notes.setdefault(uri, []).append(note)
    for uri, notes in page_notes.items():
        pages[uri].metadata["note"] = "\n\n".join(notes)
    return Parsed(list(pages.values()))


def _title(annotation: Fields) -> str | None:
    document = annotation.object("document")
    if document is None:
        return None
    if isinstance(document.raw("title"), str):
        return document.text("title") or None
    titles = document.strings("title")
    return titles[0] if titles else None


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
    if quote is None:
        return None
    position = selectors.get("TextPositionSelector")
    range_selector = selectors.get("RangeSelector")
    identity = annotation.text("id", required=True)
    created = annotation.timestamp("created")
    return HighlightRecord(
        where=annotation.where, uuid=kept_uuid(identity, "hypothesis"), exact=quote.text("exact", required=True),
        prefix=quote.text("prefix", default=""), suffix=quote.text("suffix", default=""),
        position_start=position.integer("start", required=True) if position else None,
        position_end=position.integer("end", required=True) if position else None,
        range_selector=_range(range_selector) if range_selector else None,
        **_pdf_page(selectors.get("PageSelector")),
        note=annotation.text("text", default=""), tags=annotation.strings("tags"),
        created_at=created, updated_at=annotation.timestamp("updated") or created,
    )


def _pdf_page(selector: Fields | None) -> dict:
    """Hypothesis's PageSelector (a 0-based ``index``) as the PDF page the passage is on."""
    index = selector.integer("index") if selector else None
    if index is None or not 0 <= index < MAX_PDF_PAGE:
        return {}
    return {"pdf_page_first": index + 1, "pdf_page_last": index + 1}


def _range(selector: Fields) -> dict:
    value = {key: selector.raw(key) for key in RANGE_KEYS}
    if not (isinstance(value["startContainer"], str) and isinstance(value["endContainer"], str)
            and isinstance(value["startOffset"], int) and isinstance(value["endOffset"], int)):
        raise ImportFailed(selector.where, "a RangeSelector needs startContainer, startOffset, endContainer, endOffset")
    return value

