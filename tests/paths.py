"""Where the tests find the project's and the shared fixtures."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"
EXTRACTION_PAGES = SHARED_FIXTURES / "extraction" / "pages"
EXTRACTION_TRUTH = SHARED_FIXTURES / "extraction" / "ground-truth.json"
SEEDS = SHARED_FIXTURES / "seeds"
