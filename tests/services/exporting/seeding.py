"""Make pages and highlights through the services, from short specs (defaults fill the rest)."""

import zlib
from datetime import datetime, timezone

from server.models import Snapshot
from server.services.highlights import put_highlight
from server.services.pages import upsert_page
from server.services.snapshots import html_digest

PAGE_DEFAULTS = {"title": None, "author": None, "site_name": None, "note": "", "tags": [], "snapshot": None,
                 "snapshot_html": None, "highlights": []}
HIGHLIGHT_DEFAULTS = {"prefix": "", "suffix": "", "note": "", "color": "yellow", "tags": [], "position": None,
                      "range": None, "pages": None, "created_at": datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)}


def highlight_uuid(page_number: int, index: int) -> str:
    return f"00000000-0000-4000-8000-{page_number:06d}{index:06d}"


def seed(session, user_id: int, specs: list[dict]) -> None:
    """One page per spec (URL https://example.com/<n>/<path>), with its highlights; commits."""
    for number, spec in enumerate(specs):
        spec = {**PAGE_DEFAULTS, **spec}
        page, _ = upsert_page(session, user_id, spec.get("url") or f"https://example.com/{number}/{spec['path']}",
                              title=spec["title"], tags=spec["tags"])
        page.author, page.site_name, page.note = spec["author"], spec["site_name"], spec["note"]
        if spec["snapshot"] is not None:
            html = spec["snapshot_html"] or f"<p>{spec['snapshot']}</p>"
            raw = html.encode()
            session.add(Snapshot(page=page, sha256=html_digest(html), raw_html=zlib.compress(raw), raw_size=len(raw),
                                 content_html=html, text=spec["snapshot"], word_count=1, extractor_version="t"))
        for index, item in enumerate(spec["highlights"]):
            item = {**HIGHLIGHT_DEFAULTS, **item}
            position = item["position"]
            put_highlight(
                session, user_id, highlight_uuid(number, index), url=page.url, tags=item["tags"],
                created_at=item["created_at"], fields={
                    "exact": item["exact"], "prefix": item["prefix"], "suffix": item["suffix"], "note": item["note"],
                    "color": item["color"], "range_selector": item["range"],
                    "pdf_page_first": item["pages"] and item["pages"][0],
                    "pdf_page_last": item["pages"] and item["pages"][1],
                    "position_start": position and position[0],
                    "position_end": position and position[0] + position[1],
                })
    session.commit()
