"""Large import files made on the spot (a test's, or bench/imports.py's): the size is the point, not the content."""


def readwise_csv(rows: int, books: int = 100) -> bytes:
    """A Readwise import-template CSV of ``rows`` highlights over ``books`` books, each row unique."""
    lines = ["Highlight,Title,Author,URL,Note,Location,Date"]
    for row in range(rows):
        book = row % books
        note = f"note {row}" if row % 5 == 0 else ""
        lines.append(f'"Passage {row} of book {book}, long enough to be a sentence someone keeps.",'
                     f"Book {book},Writer {book % 17},,{note},{row},2024-03-{1 + row % 28:02d} 10:15:02")
    return ("\n".join(lines) + "\n").encode()
