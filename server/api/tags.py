from flask import g

from ..db import db
from ..services import tags
from .blueprint import Blueprint
from .schemas import TagListSchema, TagPatchSchema, TagRenamedSchema

blp = Blueprint("tags", __name__, description="Tags with counts; rename and merge.")


@blp.route("/tags")
@blp.response(200, TagListSchema)
def list_tags():
    """All your tags, by name, with how many highlights and pages carry each."""
    return {"items": tags.list_tags(db.session, g.user_id)}


@blp.route("/tags/<int:tag_id>", methods=["PATCH"])
@blp.arguments(TagPatchSchema)
@blp.response(200, TagRenamedSchema)
def rename_tag(body, tag_id):
    """Rename a tag; renaming it to an existing tag's name merges the two."""
    tag, merged = tags.rename_tag(db.session, g.user_id, tag_id, body["name"])
    db.session.commit()
    (summary,) = tags.list_tags(db.session, g.user_id, only=tag.id)
    return {**summary, "merged": merged}
