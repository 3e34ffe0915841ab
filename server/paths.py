"""Where each HTTP face lives: the JSON API under /api/, the web view everywhere else."""

API_ROOT = "/api/"
#: The API's current version: its routes and its OpenAPI document.
API_PREFIX = "/api/v1"
#: Where PDFs are uploaded: their bodies have a limit of their own (MARGINS_MAX_PDF_BYTES).
PDF_UPLOAD_PATH = f"{API_PREFIX}/pdfs"


def is_api_path(path: str) -> bool:
    """True for an address the JSON API answers (errors there are JSON); the web view has the rest."""
    return path.startswith(API_ROOT)
