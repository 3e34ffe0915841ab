"""The review web view: server-rendered pages at /, signed in with a session.

``init_app`` wires Flask-Login, CSRF protection for every form outside the
token-authenticated API, secure cookie flags, a strict Content-Security-Policy
(no inline script can run, whatever a page or note contains), and the views.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from ..paths import is_api_path
from ..request_body import sent_address, sent_text
from ..services.storable import problem_with
from . import (  # noqa: F401  (they add routes and template helpers to the blueprint)
    auth,
    export_links,
    images,
    library,
    page_view,
    pdf_view,
    rendering,
    review,
    search,
    settings,
    shared_static,
    tags,
)
from .blueprint import bp
from .errors import render_error

csrf = CSRFProtect()

#: No inline script or style, no plugins, forms post only here; no image from another host (images.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the cookie's signer for a request that sends no
    session cookie (every API request, which carries a token instead): its session starts empty anyway."""

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app) -> None:
    app.session_interface = CookieSessions()
    app.config.update(REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"],
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    # Checked below for everything but the API, whose requests carry a token instead of a cookie.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    auth.login_manager.init_app(app)
    app.register_blueprint(bp)

    @app.before_request
    def _refuse_unreadable_text():
        """Before the CSRF check reads the form. Werkzeug reads bytes that are not UTF-8 as U+FFFD, and
        text with a NUL can be neither stored (PostgreSQL refuses it) nor found: say so, not fail deeper.
        (The API refuses both on its own: api.blueprint, edge.fields.Text.)"""
        if not is_api_path(request.path) and not _sent_text_is_readable():
            return render_error(400, "The address or the form has a NUL character or bytes that are not "
                                     "UTF-8 text, which Margins cannot store or search; remove them and try again.")
        return None

    @app.before_request
    def _check_csrf():
        if not is_api_path(request.path):
            csrf.protect()

    @app.after_request
    def _content_security_policy(response):
        if not is_api_path(request.path):
            response.headers.setdefault("Content-Security-Policy",
                                        images.content_security_policy(CONTENT_SECURITY_POLICY))
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _sent_text_is_readable() -> bool:
    """The address and a urlencoded form, as sent, are UTF-8 without NUL (a multipart form's only text is
    the import's format, which is checked against the formats)."""
    texts = [sent_address(request.environ)]
    if request.mimetype == "application/x-www-form-urlencoded":
        texts.append(sent_text(request.get_data(cache=True)))
    return all(text is not None and problem_with(text) is None for text in texts)
