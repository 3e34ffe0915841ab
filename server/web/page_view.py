"""A page: its highlights in reading order, edited in place, or its readable copy; delete and undo.

Every form works without JavaScript (post, then redirect back). The page's
script posts the same forms with ``X-Requested-With: margins`` and gets the
changed highlight's HTML back to swap in.
"""

import uuid as uuidlib

from flask import current_app, render_template, request, url_for
from flask_login import login_required
from itsdangerous import BadSignature, URLSafeSerializer

from ..db import db
from ..models import COLORS
from ..services import highlights, pages, restore, review, snapshots
from ..services.errors import Invalid
from ..services.limits import MAX_CONTEXT, MAX_NOTE, MAX_QUOTE
from ..services.tags import split_tags
from .blueprint import back, bp, user_id, wants_fragment
from .errors import render_error


def _undo_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="margins-undo")


@bp.get("/pages/<int:page_id>")
@login_required
def page(page_id: int):
    page = pages.get_page(db.session, user_id(), page_id)
    items = pages.page_highlights(db.session, page)
    readable = request.args.get("view") == "readable"
    snapshot = snapshots.latest_snapshot(db.session, page) if readable else None
    return render_template(
        "page.html", page=page, highlights=items, readable=readable, snapshot=snapshot, colors=COLORS,
        favorites=review.favorites(db.session, [h.id for h in items]),
        missing=[h for h in items if snapshot and h.exact not in snapshot.text],
        anchors=[{"id": h.uuid, "color": h.color, "quote": h.selectors()["quote"],
                  "range": h.range_selector} for h in items],
    )


def _checked_color(color: str | None) -> str | None:
    if color is not None and color not in COLORS:
        raise Invalid(f"Pick one of the colors: {', '.join(COLORS)}.")
    return color


def _checked_note(note: str | None) -> str | None:
    if note is not None and len(note) > MAX_NOTE:
        raise Invalid(f"A note holds at most {MAX_NOTE:,} characters; this one has {len(note):,}. Shorten it.")
    return note


def _selected_quote(button: str) -> dict:
    """The words selected in the readable copy and their context, as the page's script filled them in."""
    exact, prefix, suffix = (request.form.get(name, "") for name in ("exact", "prefix", "suffix"))
    if not exact.strip():
        raise Invalid(f"Select the words in the readable copy first, then press {button}.")
    if len(exact) > MAX_QUOTE or max(len(prefix), len(suffix)) > MAX_CONTEXT:
        raise Invalid(f"A highlight holds at most {MAX_QUOTE:,} characters; select fewer words.")
    return {"exact": exact, "prefix": prefix, "suffix": suffix}


@bp.post("/pages/<int:page_id>/highlights")
@login_required
def new_highlight(page_id: int):
    """A highlight made in the readable copy. It belongs to the original page (its id, the article's
    URL) and carries only the quote and its context: a position or range would count in the copy's
    text, not the live page's, so the extension finds the place on the live page by the quote."""
    page = pages.get_page(db.session, user_id(), page_id)  # someone else's, or none: 404 before the form is read
    quote = _selected_quote("Save")
    color = _checked_color(request.form.get("color") or "yellow")
    note = _checked_note(request.form.get("note", ""))
    fields = {**dict.fromkeys(highlights.CONTENT_FIELDS), **quote, "color": color, "note": note}
    highlights.put_highlight(db.session, user_id(), str(uuidlib.uuid4()), url=page.url, fields=fields,
                             tags=split_tags(request.form.get("tags", "")))
    db.session.commit()
    return back("web.page", page_id=page.id, view="readable")


def _show(highlight):
    """The changed highlight: its HTML for the page's script, else back to where the form was."""
    if wants_fragment():
        return render_template("_highlight.html", h=highlight, colors=COLORS, editable=True,
                               favorites=review.favorites(db.session, [highlight.id]))
    return back("web.page", page_id=highlight.page_id, _anchor=f"h-{highlight.uuid}")


@bp.post("/highlights/<uuid>/edit")
@login_required
def edit_highlight(uuid: str):
    color, note = _checked_color(request.form.get("color")), _checked_note(request.form.get("note"))
    changes = {name: value for name, value in (
        ("color", color), ("note", note),
        ("tags", split_tags(request.form["tags"]) if "tags" in request.form else None),
    ) if value is not None}
    highlight = highlights.patch_highlight(db.session, user_id(), uuid, **changes)
    db.session.commit()
    return _show(highlight)


@bp.post("/highlights/<uuid>/attach")
@login_required
def attach_highlight(uuid: str):
    """An orphan repaired in the readable copy: attached to the text the page's script filled in."""
    highlights.get_highlight(db.session, user_id(), uuid)  # someone else's, or none: 404 before the form is read
    quote = _selected_quote("Attach here")
    highlight = highlights.attach_highlight(db.session, user_id(), uuid, **quote)
    db.session.commit()
    return back("web.page", page_id=highlight.page_id, view="readable")


@bp.post("/highlights/<uuid>/delete")
@login_required
def delete_highlight(uuid: str):
    """Delete, then answer with an Undo form that carries what the highlight held (signed)."""
    highlight = highlights.get_highlight(db.session, user_id(), uuid)
    kept = _undo_signer().dumps(restore.keepsake(highlight))
    page_id = highlight.page_id
    highlights.delete_highlight(db.session, user_id(), uuid)
    db.session.commit()
    template = "_deleted.html" if wants_fragment() else "deleted.html"
    return render_template(template, uuid=uuid, kept=kept, page_id=page_id,
                           next=request.form.get("next") or url_for("web.page", page_id=page_id))


@bp.post("/highlights/<uuid>/restore")
@login_required
def restore_highlight(uuid: str):
    try:
        kept = _undo_signer().loads(request.form.get("kept", ""))
    except BadSignature:
        kept = {}
    if kept.get("uuid") != uuid:
        return render_error(400, "This undo form was changed, or is not one Margins made; reload the page.")
    highlight = restore.restore(db.session, user_id(), kept)
    db.session.commit()
    return _show(highlight)
