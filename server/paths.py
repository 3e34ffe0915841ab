"""Where each HTTP face lives: the JSON API under /api/, the web view everywhere else."""

API_ROOT = "/api/"
#: The API's current version: its routes and its OpenAPI document.
API_PREFIX = "/api/v1"


def is_api_path(path: str) -> bool:
    """True for an address the JSON API answers (errors there are JSON); the web view has the rest."""
    return path.startswith(API_ROOT)
