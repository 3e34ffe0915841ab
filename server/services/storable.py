"""Text every database can store: no NUL character (PostgreSQL refuses it) and no unpaired
surrogate (not valid Unicode, so not UTF-8). The API's fields, the importers and the web view's
forms all refuse by this rule."""

import re

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def problem_with(text: str) -> str | None:
    """What keeps ``text`` from being stored, said so a person can fix it; None when nothing does."""
    bad = UNSTORABLE.search(text)
    if bad is None:
        return None
    if bad.group() == "\x00":
        return "Contains a NUL character, which cannot be stored; remove it."
    return "Contains an unpaired surrogate (not valid Unicode); send valid UTF-8 text."


def made_storable(text: str) -> str:
    """``text`` with NULs dropped and unpaired surrogates replaced by U+FFFD, as browsers read pages."""
    return UNSTORABLE.sub(lambda bad: "" if bad.group() == "\x00" else "\ufffd", text)
