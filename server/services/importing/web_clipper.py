"""Obsidian Web Clipper's highlights export (Settings → Highlights → Export): a list of pages.

``[{"url": ..., "highlights": [{"text", "timestamp", "color", "notes", "comment"}]}]``; ``text``
is the highlighted element's HTML or text (tags dropped, entities read), ``notes`` the notes on it
(older versions wrote only ``text`` and ``timestamp``). The clipper gives highlights no id, so ids
come from the page, the text and how many highlights before had the same.
"""

from html import unescape
from html.parser import HTMLParser

from .reading import Fields, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid, palette_color


class _Text(HTMLParser):
    """The text of an HTML fragment, block elements as line breaks."""

    BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(fragment: str) -> str:
    if "<" not in fragment:
        return unescape(fragment).strip()
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).split("\n") if line.strip())


def parse(data: bytes) -> Parsed:
    root = load_json(data)
    if not isinstance(root, list):
        raise ImportFailed("the file", "should be a list of pages with their highlights, as the Web Clipper exports")
    pages: dict[str, PageRecord] = {}
    for index, value in enumerate(root):
        entry = Fields(value, f"[{index}]")
        url = entry.text("url", required=True)
        if not url.startswith(("http://", "https://")):
            raise ImportFailed(entry.where, f"the url {url[:60]!r} is not a web address")
        page = pages.setdefault(url, PageRecord(where=entry.where, url=url))
        seen: dict[str, int] = {}
        for number, item in enumerate(entry.objects("highlights")):
            page.highlights.append(_highlight(Fields(item, f"{entry.where}.highlights[{number}]"), url, seen))
    return Parsed(list(pages.values()))


def _highlight(item: Fields, url: str, seen: dict[str, int]) -> HighlightRecord:
    text = plain_text(item.text("text", required=True))
    if not text:
        raise ImportFailed(item.where, "the highlight has no text")
    notes = item.strings("notes") or ([item.text("comment")] if item.text("comment") else [])
    repeat = seen.get(text, 0)
    seen[text] = repeat + 1
    moment = item.timestamp("timestamp")
    return HighlightRecord(
        where=item.where, uuid=derived_uuid("web-clipper", url, text, *([repeat] if repeat else [])), exact=text,
        note="\n\n".join(note.strip() for note in notes if note.strip()), color=palette_color(item.raw("color")),
        created_at=moment, updated_at=moment,
    )
