from flask import g

from .blueprint import Blueprint
from .schemas import MeSchema

blp = Blueprint("me", __name__, description="The account a token belongs to.")


@blp.route("/me")
@blp.response(200, MeSchema)
def me():
    """Who am I: check a token and see its user."""
    return g.user
