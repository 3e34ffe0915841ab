"""Links to the export (the ``transfer`` blueprint of export_import.py) for whatever set of highlights a page shows."""

from flask import url_for

from ..services.exporting import FORMATS
from .blueprint import bp


@bp.app_template_global("export_links")
def export_links(**filters) -> list[tuple[str, str, str]]:
    """(format name, description, URL) per export format; ``filters`` (tag, color, site, q, page)
    narrow the export, empty ones dropped."""
    kept = {name: value for name, value in filters.items() if value not in (None, "")}
    return [(name, format.description, url_for("transfer.export", format=name, **kept))
            for name, format in FORMATS.items()]
