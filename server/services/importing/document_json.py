"""Readwise's and Glasp's export JSON: documents (books, articles) each with its highlights.

Both send ``{"results": [document, ...], "nextPageCursor": ...}`` (a bare
list of documents is taken too; several pages of results can be joined
into one list). A document has a title, author, URL (``source_url`` or
``unique_url`` for Readwise, ``url`` for Glasp), tags and ``highlights``
with ``text``, ``note``, ``color``, ``location``, ``tags`` and dates.
Tags are names or ``{"name": ...}`` objects; Readwise's action tags
(``.h1``…``.h4`` headings, ``.c1``… concatenation) are instructions to
Readwise, not tags, and are left out. Highlights Readwise marks
``is_discard`` or ``is_deleted`` are left out (counted in the summary). A
document's ``document_note`` (Glasp's "Thoughts & Comments") becomes the
page's note. Documents without a web URL are books (see ``books``).
"""

from functools import partial
from urllib.parse import urlsplit

from .books import book_url
from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color, without_actions

URL_FIELDS = ("source_url", "url", "unique_url")


def parse(data: bytes, source: str) -> Parsed:
    root = load_json(data)
    documents = root if isinstance(root, list) else Fields(root, "the file").objects("results")
    left_out: list[str] = []
    pages = [_document(item, f"results[{index}]", source, left_out) for index, item in enumerate(documents)]
    skipped = [f"{len(left_out)} highlight{'s' if len(left_out) > 1 else ''} {source.capitalize()} marks discarded or deleted "
               f"({', '.join(left_out[:3])}{', …' if len(left_out) > 3 else ''})"] if left_out else []
    return Parsed(pages, skipped=skipped)


parse_readwise = partial(parse, source="readwise")
parse_glasp = partial(parse, source="glasp")


def _document(value, where: str, source: str, left_out: list[str]) -> PageRecord:
    document = Fields(value, where)
    title = document.text("title") or document.text("readable_title")
    author = document.text("author") or None
    url = next((document.text(name) for name in URL_FIELDS
                if urlsplit(document.text(name) or "").scheme in ("http", "https")), None)
    if url is None:
        if not title:
            raise ImportFailed(where, "a document needs a title or a URL")
        url = book_url(title, author)
    metadata = {"title": title, "author": author}
    if document.text("document_note", default="").strip():
        metadata["note"] = document.text("document_note").strip()
    page = PageRecord(where=where, url=url, metadata=metadata,
                      tags=without_actions(_tags(document, "book_tags") + _tags(document, "tags")))
    for index, item in enumerate(document.objects("highlights")):
        highlight = Fields(item, f"{where}.highlights[{index}]")
        if highlight.boolean("is_discard") or highlight.boolean("is_deleted"):
            left_out.append(highlight.where)
        else:
            page.highlights.append(_highlight(highlight, url, source))
    return page


def _highlight(highlight: Fields, url: str, source: str) -> HighlightRecord:
    text = highlight.text("text", required=True)
    location = highlight.raw("location")
    position = location if isinstance(location, int) and not isinstance(location, bool) and location >= 0 else None
    end = highlight.raw("end_location")
    identity = highlight.raw("id")
    created = highlight.timestamp("highlighted_at") or highlight.timestamp("created_at")
    return HighlightRecord(
        where=highlight.where, uuid=derived_uuid(source, identity) if identity else derived_uuid(source, url, text),
        exact=text, note=highlight.text("note", default=""), color=palette_color(highlight.raw("color")),
        tags=without_actions(_tags(highlight, "tags")), position_start=position,
        position_end=max(end, position) if position is not None and isinstance(end, int) else position,
        created_at=created, updated_at=highlight.timestamp("updated_at") or created,
    )


def _tags(fields: Fields, name: str) -> list[str]:
    tags = []
    for item in fields.objects(name):
        tag = item.get("name") if isinstance(item, dict) else item
        if not isinstance(tag, str):
            raise ImportFailed(fields.where, f"'{name}' should hold tag names or {{\"name\": ...}} objects")
        tags.append(tag)
    return tags
