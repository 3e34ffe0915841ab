"""Apple Books' annotation store, ``AEAnnotation_v10312011_1727_local.sqlite`` (on a Mac under
``~/Library/Containers/com.apple.iBooksX/Data/Documents/AEAnnotation/``), alone or zipped with its
library store ``BKLibrary-1-*.sqlite`` (``…/Documents/BKLibrary/``), which names the books.

From ``ZAEANNOTATION``: a row with ``ZANNOTATIONSELECTEDTEXT`` is a highlight (its note
``ZANNOTATIONNOTE``, color from ``ZANNOTATIONSTYLE``, times in seconds since 2001-01-01 UTC,
``ZPLLOCATIONRANGESTART`` its place in the book); rows without text (bookmarks, where reading
stopped) are left out, and rows marked ``ZANNOTATIONDELETED`` are skipped and counted. The book of
``ZANNOTATIONASSETID`` is titled from ``ZBKLIBRARYASSET`` (``ZASSETID``, ``ZTITLE``, ``ZAUTHOR``)
when the library store is given, else "Apple Books <asset id>". Both databases are read as Kobo's is.
"""

import io
import re
import zipfile
from datetime import datetime, timedelta, timezone

from ..limits import MAX_INTEGER
from .books import book_url
from .kobo import HEADER, open_database, read_rows
from .omnivore import read_member
from .records import HighlightRecord, ImportFailed, PageRecord, Parsed, kept_uuid

EPOCH = datetime(2001, 1, 1, tzinfo=timezone.utc)
#: ZANNOTATIONSTYLE: 0 is an underline (drawn in yellow), then green, blue, yellow, pink, purple
STYLES = {1: "green", 2: "blue", 3: "yellow", 4: "pink", 5: "purple"}
ANNOTATIONS = """
SELECT ZANNOTATIONUUID, ZANNOTATIONASSETID, ZANNOTATIONSELECTEDTEXT, ZANNOTATIONNOTE, ZANNOTATIONSTYLE,
       ZANNOTATIONDELETED, ZANNOTATIONCREATIONDATE, ZANNOTATIONMODIFICATIONDATE, ZPLLOCATIONRANGESTART,
       ZPLLOCATIONRANGEEND
FROM ZAEANNOTATION ORDER BY ZANNOTATIONASSETID, ZPLLOCATIONRANGESTART, ZANNOTATIONCREATIONDATE, Z_PK
"""
LIBRARY = "SELECT ZASSETID, ZTITLE, ZAUTHOR FROM ZBKLIBRARYASSET"
_ANNOTATION_FILE = re.compile(r"AEAnnotation[^/]*\.sqlite")
_LIBRARY_FILE = re.compile(r"BKLibrary[^/]*\.sqlite")


def parse(data: bytes) -> Parsed:
    library: dict[str, tuple[str | None, str | None]] = {}
    if data.startswith(HEADER):
        annotations = data
    else:
        annotations, library = _from_zip(data)
    rows = read_rows(open_database(annotations, ("ZAEANNOTATION",), "Apple Books' AEAnnotation sqlite"),
                     ANNOTATIONS)
    pages: dict[str, PageRecord] = {}
    deleted = []
    for row in rows:
        where = f"annotation {str(row['ZANNOTATIONUUID'])[:40]!r}"
        text = (row["ZANNOTATIONSELECTEDTEXT"] or "").strip()
        if not text:
            continue
        if row["ZANNOTATIONDELETED"]:
            deleted.append(where)
            continue
        asset = str(row["ZANNOTATIONASSETID"] or "")
        title, author = library.get(asset, (None, None))
        title = title or f"Apple Books {asset}"
        url = book_url(title, author)
        page = pages.setdefault(url, PageRecord(where=where, url=url, metadata={
            "title": title, "author": author, "site_name": "Apple Books"}))
        start, end = row["ZPLLOCATIONRANGESTART"], row["ZPLLOCATIONRANGEEND"]
        placed = isinstance(start, int) and 0 <= start <= MAX_INTEGER
        created = _time(row["ZANNOTATIONCREATIONDATE"])
        page.highlights.append(HighlightRecord(
            where=where, uuid=kept_uuid(str(row["ZANNOTATIONUUID"]), "apple-books"), exact=text,
            note=(row["ZANNOTATIONNOTE"] or "").strip(), color=STYLES.get(row["ZANNOTATIONSTYLE"], "yellow"),
            position_start=start if placed else None,
            position_end=(end if isinstance(end, int) and start <= end <= MAX_INTEGER else start) if placed else None,
            created_at=created, updated_at=_time(row["ZANNOTATIONMODIFICATIONDATE"]) or created))
    skipped = [f"{len(deleted)} annotation{'s' if len(deleted) > 1 else ''} Apple Books marks deleted"] \
        if deleted else []
    return Parsed(list(pages.values()), skipped=skipped)


def _from_zip(data: bytes) -> tuple[bytes, dict]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFailed("the file", "is neither Apple Books' AEAnnotation sqlite nor a zip of it and its "
                                       "BKLibrary sqlite") from None
    with archive:
        infos = archive.infolist()
        found = [info for info in infos if _ANNOTATION_FILE.fullmatch(info.filename.rsplit("/", 1)[-1])]
        if not found:
            raise ImportFailed("the file", "has no AEAnnotation*.sqlite in it")
        annotations = read_member(archive, found[0])
        library = {}
        for info in infos:
            if _LIBRARY_FILE.fullmatch(info.filename.rsplit("/", 1)[-1]):
                for row in read_rows(open_database(read_member(archive, info), ("ZBKLIBRARYASSET",), "BKLibrary sqlite"),
                                     LIBRARY):
                    library[str(row["ZASSETID"])] = (row["ZTITLE"] or None, row["ZAUTHOR"] or None)
    return annotations, library


def _time(value) -> datetime | None:
    if not isinstance(value, (int, float)) or not -1e10 < value < 1e10:
        return None
    return EPOCH + timedelta(seconds=value)
