"""Sizes the server takes, checked at both HTTP faces (and the importers)."""

#: The largest integer an integer column holds (PostgreSQL's ``integer``): row ids and text positions.
MAX_INTEGER = 2**31 - 1

MAX_URL = 8192
MAX_TITLE = 2000
MAX_QUOTE = 50_000
MAX_CONTEXT = 1000
MAX_NOTE = 100_000
MAX_QUERY = 500  # words to search for
MAX_DOMAIN = 255
#: the highest PDF page number a highlight's page selector may name
MAX_PDF_PAGE = 100_000
