"""Images from other sites are not loaded unless the user asks, page by page.

An image the web view loads from a page's site (its favicon, a picture in
the readable copy or in a note) tells that site when, and from where, the
page is opened in Margins. So by default the web view loads none: the
Content-Security-Policy says ``img-src 'self' data:``, and the templates
leave such images out (favicon) or keep only their alt text (copy, notes),
so the browser does not even try. On a page the user may choose "Load
images"; the choice is remembered in a cookie (the newest ``REMEMBERED``
pages) and can be taken back. A response that shows remote images, and only
such a one, widens its policy to ``img-src 'self' data: https: http:``.
"""

from urllib.parse import urlsplit

import nh3
from flask import g, request
from flask_login import login_required
from markupsafe import Markup

from ..db import db
from ..services import pages
from ..services.errors import Invalid
from .blueprint import back, bp, user_id

COOKIE = "margins_images"
REMEMBERED = 200  # page ids in the cookie, newest first (about 1.5 KB)
REMOTE_IMAGES_POLICY = "img-src 'self' data: https: http:"


def allowed_pages() -> list[int]:
    """The pages whose remote images the user chose to load, newest choice first."""
    return [int(part) for part in request.cookies.get(COOKIE, "").split(".") if part.isdigit()]


@bp.app_template_global()
def remote_images(page_id: int) -> bool:
    """Whether this response shows the page's images from other sites (the user chose to)."""
    allowed = page_id in allowed_pages()
    if allowed:
        g.remote_images = True
    return allowed


def _without_remote_src(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute in ("src", "srcset") and _is_remote(value):
        return None
    return value


def _is_remote(value: str) -> bool:
    """Whether a src (or any candidate of a srcset) is on another host: not a data: URL, not relative."""
    for candidate in value.split(","):
        parts = urlsplit(candidate.strip().split(" ")[0])
        if parts.netloc or parts.scheme.lower() not in ("", "data"):
            return True
    return False


_KEEP_ALT_TEXT = nh3.Cleaner(attribute_filter=_without_remote_src, url_schemes={"http", "https", "mailto"},
                             link_rel="noopener noreferrer nofollow")


@bp.app_template_filter("local_images")
def local_images(html: Markup, page_id: int) -> Markup:
    """Sanitized HTML (a note, a readable copy) with the images from other sites left as their alt
    text, unless the user chose to load them on this page."""
    return html if remote_images(page_id) else Markup(_KEEP_ALT_TEXT.clean(str(html)))


def content_security_policy(policy: str) -> str:
    """The response's policy: ``policy``, with remote images allowed if this response shows some."""
    if not g.get("remote_images"):
        return policy
    kept = [part.strip() for part in policy.split(";") if not part.strip().startswith("img-src")]
    return "; ".join([*kept, REMOTE_IMAGES_POLICY])


@bp.post("/pages/<int:page_id>/images")
@login_required
def choose_images(page_id: int):
    """Load this page's images from other sites (``load=1``), or stop (``load=0``); then back."""
    page = pages.get_page(db.session, user_id(), page_id)  # the user's own page, or 404
    load = request.form.get("load")
    if load not in ("0", "1"):
        raise Invalid("Say load=1 to load this page's images, or load=0 to stop.")
    others = [other for other in allowed_pages() if other != page.id]
    chosen = [page.id, *others] if load == "1" else others
    response = back("web.page", page_id=page.id)
    response.set_cookie(COOKIE, ".".join(map(str, chosen[:REMEMBERED])), max_age=400 * 24 * 3600,
                        httponly=True, samesite="Lax", secure=request.is_secure)
    return response
