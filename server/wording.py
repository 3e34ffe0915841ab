"""How Margins words numbers for people: "1 new page", "2 new pages"."""


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` and the noun phrase, singular for exactly one: counted(1, "new page") == "1 new page"."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"
