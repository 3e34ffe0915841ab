"""Where the import fixtures are."""

from tests.paths import REPO

IMPORTS = REPO / "tests" / "fixtures" / "imports"


def fixture_bytes(*parts: str) -> bytes:
    return IMPORTS.joinpath(*parts).read_bytes()
