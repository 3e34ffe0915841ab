"""Margins JSON (see ``exporting.margins_json``): read back exactly, every field and timestamp."""

import uuid

from ..exporting.margins_json import FORMAT_NAME, PAGE_FIELDS
from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, SnapshotRecord

_TEXT_FIELDS = tuple(name for name in PAGE_FIELDS
                     if name not in ("url", "url_key", "title_edited", "word_count", "note"))


def parse(data: bytes) -> Parsed:
    root = Fields(load_json(data), "the file")
    if root.text("format") != FORMAT_NAME:
        raise ImportFailed("the file", f"is not a Margins export (no \"format\": \"{FORMAT_NAME}\"); "
                                       "pick the format it came from")
    pages = [_page(item, f"pages[{index}]") for index, item in enumerate(root.objects("pages"))]
    return Parsed(pages, tags=root.strings("tags"), exact=True)


def _page(value, where: str) -> PageRecord:
    page = Fields(value, where)
    metadata = {name: page.text(name) for name in _TEXT_FIELDS}
    metadata["title_edited"] = page.boolean("title_edited")
    metadata["word_count"] = page.integer("word_count")
    metadata["note"] = page.text("note", default="")  # exports before version 1's page notes have none
    return PageRecord(
        where=where, url=page.text("url", required=True), url_key=page.text("url_key"), metadata=metadata,
        tags=page.strings("tags"), created_at=page.timestamp("created_at"), updated_at=page.timestamp("updated_at"),
        snapshots=[_snapshot(item, f"{where}.snapshots[{i}]") for i, item in enumerate(page.objects("snapshots"))],
        highlights=[_highlight(item, f"{where}.highlights[{i}]") for i, item in enumerate(page.objects("highlights"))],
    )


def _snapshot(value, where: str) -> SnapshotRecord:
    snapshot = Fields(value, where)
    return SnapshotRecord(
        where=where, html=snapshot.text("html", required=True), content_html=snapshot.text("content_html", default=""),
        text=snapshot.text("text", default=""), word_count=snapshot.integer("word_count") or 0,
        extractor_version=snapshot.text("extractor_version", default=""),
        captured_at=snapshot.timestamp("captured_at", required=True),
    )


def _highlight(value, where: str) -> HighlightRecord:
    highlight = Fields(value, where)
    quote = highlight.object("quote")
    if quote is None:
        raise ImportFailed(where, "'quote' is missing")
    position = highlight.object("position")
    pages = highlight.object("pages")
    range_selector = highlight.raw("range")
    if range_selector is not None and not isinstance(range_selector, dict):
        raise ImportFailed(where, "'range' should be an object")
    return HighlightRecord(
        where=where, uuid=_uuid(highlight.text("id", required=True), where),
        exact=quote.text("exact", required=True), prefix=quote.text("prefix", default=""),
        suffix=quote.text("suffix", default=""),
        position_start=position.integer("start", required=True) if position else None,
        position_end=position.integer("end", required=True) if position else None,
        range_selector=range_selector,
        pdf_page_first=pages.integer("first", required=True) if pages else None,
        pdf_page_last=pages.integer("last", required=True) if pages else None,
        color=highlight.text("color", default="yellow"),
        note=highlight.text("note", default=""), tags=highlight.strings("tags"),
        created_at=highlight.timestamp("created_at"), updated_at=highlight.timestamp("updated_at"),
    )


def _uuid(value: str, where: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ImportFailed(where, f"'id' {value[:40]!r} is not a UUID") from None
