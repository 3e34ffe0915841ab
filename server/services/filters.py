"""Small query helpers shared by the lists and the export."""

from sqlalchemy import func, or_


def contains(columns, text: str):
    """Case-insensitive "contains" over columns, with LIKE wildcards in ``text`` taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def on_site(domain_column, domain: str):
    """Pages of a site given as a host (``www.`` ignored): the host itself and its subdomains."""
    domain = domain.strip().lower().removeprefix("www.")
    return or_(domain_column == domain, domain_column.endswith("." + domain, autoescape=True))
