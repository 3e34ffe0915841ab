"""Where the tests (and the benches) find their fixtures.

``tests/fixtures/shared`` is an unchanged copy of the workspace's shared
fixtures (real article pages with checked text, from the Scrapinghub
article-extraction benchmark under its MIT licence, and the seed texts),
kept in the repository so that a clone anywhere runs every test.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = REPO / "tests" / "fixtures" / "shared"
EXTRACTION_PAGES = SHARED_FIXTURES / "extraction" / "pages"
EXTRACTION_TRUTH = SHARED_FIXTURES / "extraction" / "ground-truth.json"
SEEDS = SHARED_FIXTURES / "seeds"
#: the rules the extension and the server share, as vectors both test runners read
RULES = REPO / "tests" / "fixtures" / "rules"
