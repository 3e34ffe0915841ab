"""Helpers shared by the command groups."""

import click

from ..db import db
from ..services import users as user_service
from ..services.errors import ServiceError


def commit_or_fail(action):
    """Run ``action`` and commit; a ServiceError rolls back and becomes a clean CLI error."""
    try:
        result = action()
        db.session.commit()
        return result
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None


def user_or_fail(username: str):
    """The user called ``username``, or a CLI error saying how to make one."""
    user = user_service.find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user {username!r}; 'flask users create {username}' makes one.")
    return user
