"""Who an MCP tool call acts for, and the unit of work each call is.

The stdio command sets the caller once (a user named on the command line);
the HTTP endpoint sets it for each request (the user of its API token).
Context variables carry it into the tools, which run in the same context.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from mcp.server.mcpserver.exceptions import ToolError

from .. import ratelimit
from ..db import db, write_intent
from ..services.errors import ServiceError


@dataclass(frozen=True)
class Caller:
    user_id: int
    #: the API token of an HTTP caller, whose writes count against the write limit; None over stdio
    token: str | None = None


current: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("margins_mcp_caller", default=None)


@contextmanager
def work(*, writes: bool = False):
    """The caller's user id and a database session for one tool call: committed when the call ends well,
    rolled back when it fails; a service's error becomes the tool's error, in its words."""
    caller = current.get()
    if caller is None:
        raise ToolError("No Margins user for this connection.")
    if writes and caller.token is not None:
        seconds = ratelimit.take_write(current_app._get_current_object(), caller.token)
        if seconds is not None:
            limit = current_app.config["MARGINS_RATELIMIT_WRITES"]
            raise ToolError(f"This API token made more changes than the server takes ({limit}); nothing was "
                            f"changed. Try again in {seconds} seconds.")
    intent = write_intent.set(writes)
    try:
        yield caller.user_id
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise ToolError(error.message) from None
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()  # no transaction (and no SQLite snapshot) outlives the call
        write_intent.reset(intent)
