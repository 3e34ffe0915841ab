"""Connect codes: a short-lived, one-time code that gives a browser a token of its own.

Settings → Connect a browser makes one (``make_code``); the extension's
options page sends it with the browser's name (``redeem``) and gets a new
API token of the code's user. Only the code's sha256 is kept. A code works
once, for ``LIFETIME``; it names its user, so whoever redeems it gets that
user's token and no one else's.
"""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from ..models import ConnectCode, User, utcnow
from . import tokens
from .errors import Invalid, NotFound, ServiceError

#: No 0/O, no 1/I: nothing to mistake when it is read off one screen and typed into another.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8
MINUTES = 10
LIFETIME = timedelta(minutes=MINUTES)
#: A used or expired code is kept this long, so that trying it again says so rather than "unknown".
KEPT = timedelta(days=1)
MAX_BROWSER = 60
MAKE_ANOTHER = "make a new code in Settings → Connect a browser"


class Gone(ServiceError):
    status = 410
    code = "gone"


def normalize(code: str) -> str:
    """The code as kept, from one typed with or without the dash, in any case, with spaces around or inside.

    Raises Invalid when what is left is not a code."""
    kept = "".join((code or "").split()).replace("-", "").upper()
    if len(kept) != LENGTH or any(character not in ALPHABET for character in kept):
        raise Invalid(f"A code is {LENGTH} letters and digits, like ABCD-EFGH (no 0, O, 1 or I); "
                      "type it as Settings → Connect a browser shows it.", {"code": ["not a code"]})
    return kept


def shown(code: str) -> str:
    """ABCDEFGH as ABCD-EFGH."""
    return f"{code[:LENGTH // 2]}-{code[LENGTH // 2:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def make_code(session, user: User) -> tuple[ConnectCode, str]:
    """A new code for the user; returns the row and the code as shown (ABCD-EFGH), which is not stored.

    The user's codes that expired more than ``KEPT`` ago are deleted on the way."""
    now = utcnow()
    session.execute(delete(ConnectCode).where(ConnectCode.user_id == user.id, ConnectCode.expires_at <= now - KEPT))
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    row = ConnectCode(user_id=user.id, code_hash=_hash(code), created_at=now, expires_at=now + LIFETIME)
    session.add(row)
    session.flush()
    return row, shown(code)


def token_name(browser: str, day) -> str:
    """The new token's name: the browser's, and the day it was connected."""
    browser = " ".join((browser or "").split())
    if len(browser) > MAX_BROWSER:
        raise Invalid(f"A browser's name is at most {MAX_BROWSER} characters.", {"browser": ["too long"]})
    return f"{browser or 'A browser'} (connected {day:%Y-%m-%d})"


def redeem(session, code: str, browser: str) -> tuple[User, str]:
    """The code's user and a new token of theirs named after ``browser``; the code is used up.

    One UPDATE takes the code: of two redeeming it at once, exactly one wins.
    Unknown code: NotFound; used or expired: Gone."""
    code_hash = _hash(normalize(code))
    now = utcnow()
    name = token_name(browser, now)
    taken = session.execute(
        update(ConnectCode)
        .where(ConnectCode.code_hash == code_hash, ConnectCode.used_at.is_(None), ConnectCode.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    row = session.scalar(select(ConnectCode).where(ConnectCode.code_hash == code_hash)
                         .execution_options(populate_existing=True))
    if row is None:
        raise NotFound(f"This code is not one this server made; check it, or {MAKE_ANOTHER}.",
                       {"code": ["unknown"]})
    if taken.rowcount != 1:
        state = "was used already" if row.used_at is not None else "has expired"
        raise Gone(f"This code {state}: each code connects one browser, for {MINUTES} minutes; "
                   f"{MAKE_ANOTHER}.", {"code": ["used" if row.used_at is not None else "expired"]})
    user = session.get(User, row.user_id)
    token_row, token = tokens.create_token(session, user, name)
    row.token_id = token_row.id
    session.flush()
    return user, token

