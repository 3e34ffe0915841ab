"""Omnivore's export zip: ``metadata_<from>_to_<to>.json`` (the saved items) and ``highlights/<slug>.md``.

Each item (``id``, ``slug``, ``title``, ``author``, ``description``,
``url``, ``labels``, ``savedAt``…) is a page, its labels the page's tags.
Its highlights file holds blocks separated by blank lines: a block of
``> `` lines is a highlight's quote, plain blocks after it its note, and
plain blocks before the first quote the note on the whole page. Items
whose URL is not a web address are skipped and reported. Only those files
are read (the ``content/`` copies are not), each within a size limit.
"""

import io
import re
import zipfile

from .reading import Fields, decode_text, load_json
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, derived_uuid

METADATA = re.compile(r"metadata_\d+_to_\d+\.json")
#: the most one file of the archive may hold once unpacked (a zip can promise far more than it carries)
MAX_MEMBER = 64 * 1024 * 1024
_BLOCKS = re.compile(r"\n[ \t]*\n+")


def parse(data: bytes) -> Parsed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFailed("the file", "is not a zip archive; upload the zip Omnivore's export gave you") from None
    with archive:
        names = {info.filename: info for info in archive.infolist()}
        metadata = sorted((name for name in names if METADATA.fullmatch(name.rsplit("/", 1)[-1])),
                          key=lambda name: [int(n) for n in re.findall(r"\d+", name.rsplit("/", 1)[-1])])
        if not metadata:
            raise ImportFailed("the file", "has no metadata_*_to_*.json: is it Omnivore's export?")
        pages: list[PageRecord] = []
        skipped: list[str] = []
        for name in metadata:
            items = load_json(read_member(archive, names[name]))
            if not isinstance(items, list):
                raise ImportFailed(name, "should hold a list of saved items")
            root = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
            for index, value in enumerate(items):
                item = Fields(value, f"{name}[{index}]")
                url = item.text("url", required=True)
                if not url.startswith(("http://", "https://")):
                    skipped.append(f"{item.where}: {url[:60]!r} is not a web address")
                    continue
                notes = names.get(f"{root}highlights/{item.text('slug', default='')}.md")
                pages.append(_page(item, url, decode_text(read_member(archive, notes)) if notes else ""))
    return Parsed(pages, skipped=skipped)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER:
        raise ImportFailed(info.filename, f"is larger than {MAX_MEMBER // 2**20} MB unpacked")
    with archive.open(info) as member:
        data = member.read(MAX_MEMBER + 1)
    if len(data) > MAX_MEMBER:
        raise ImportFailed(info.filename, f"is larger than {MAX_MEMBER // 2**20} MB unpacked")
    return data


def _page(item: Fields, url: str, notes_file: str) -> PageRecord:
    saved = item.timestamp("savedAt")
    metadata = {"title": item.text("title") or None, "author": item.text("author") or None,
                "description": item.text("description") or None}
    page = PageRecord(where=item.where, url=url, metadata=metadata, tags=item.strings("labels"), created_at=saved)
    page_note: list[str] = []
    current: HighlightRecord | None = None
    seen: dict[str, int] = {}
    for block in _BLOCKS.split(notes_file.strip()):
        lines = block.split("\n")
        if all(line.startswith(">") for line in lines):
            quote = "\n".join(line[1:].removeprefix(" ") for line in lines).strip()
            repeat = seen.get(quote, 0)
            seen[quote] = repeat + 1
            current = HighlightRecord(
                where=f"{item.where} highlights", exact=quote, created_at=saved, updated_at=saved,
                uuid=derived_uuid("omnivore", item.text("id", default=url), quote, *([repeat] if repeat else [])))
            page.highlights.append(current)
        elif block.strip():
            if current is None:
                page_note.append(block.strip())
            else:
                current.note = f"{current.note}\n\n{block.strip()}" if current.note else block.strip()
    if page_note:
        metadata["note"] = "\n\n".join(page_note)
    return page
