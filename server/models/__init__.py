"""The data model (docs/architecture.md); migrations live in server/migrations."""

from .connect_code import ConnectCode
from .highlight import COLORS, Highlight, QuoteHistory
from .import_job import JOB_STATES, ImportJob
from .page import Page, PageURL, Snapshot
from .pdf import PdfFile
from .review import HighlightReview
from .tag import Tag, highlight_tags, page_tags
from .token import ApiToken
from .types import utcnow
from .user import User

__all__ = [
    "COLORS", "JOB_STATES", "ApiToken", "ConnectCode", "Highlight", "HighlightReview", "ImportJob", "Page", "PageURL",
    "PdfFile", "QuoteHistory", "Snapshot",
    "Tag", "User",
    "highlight_tags", "page_tags", "utcnow",
]
