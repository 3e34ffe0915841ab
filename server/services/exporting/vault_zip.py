"""The Markdown vault as a zip: one file per page, streamed as each file is compressed.

Entries carry a fixed date, so the same data gives a byte-identical zip.
"""

import io
import zipfile
from collections.abc import Iterator

from .markdown import NO_OPTIONS, MarkdownOptions, page_files
from .selection import Source

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file whose written bytes are taken out piece by piece."""

    def __init__(self):
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pending += data
        return len(data)

    def take(self) -> bytes:
        data, self.pending = bytes(self.pending), bytearray()
        return data


def export(source: Source, template: str | None = None, options: MarkdownOptions = NO_OPTIONS) -> Iterator[bytes]:
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for page_file in page_files(source, template, options):
            entry = zipfile.ZipInfo(page_file.name, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, page_file.content.encode())
            yield sink.take()
    yield sink.take()
