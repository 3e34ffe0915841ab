"""Undo for deletions: what a highlight held, kept aside, and putting it back."""

from datetime import datetime

from ..models import Highlight
from .highlights import CONTENT_FIELDS, put_highlight
from .pages import get_page


def keepsake(highlight: Highlight) -> dict:
    """Everything needed to bring the highlight back once deleting has cleared it (plain JSON values)."""
    return {
        "uuid": highlight.uuid, "page_id": highlight.page_id,
        **{name: getattr(highlight, name) for name in CONTENT_FIELDS},
        "tags": [tag.name for tag in highlight.tags],
        "created_at": highlight.created_at.isoformat(),
    }


def restore(session, user_id: int, kept: dict) -> Highlight:
    """Put a deleted highlight back as it was (on its page, which must still exist)."""
    page = get_page(session, user_id, kept["page_id"])
    highlight, _ = put_highlight(
        session, user_id, kept["uuid"], url=page.url, tags=kept["tags"],
        fields={name: kept[name] for name in CONTENT_FIELDS},
        created_at=datetime.fromisoformat(kept["created_at"]),
    )
    return highlight
