"""gunicorn's access log without secrets: tokens sent in a query string are written as ``[redacted]``.

The API refuses a token in the query (it takes ``Authorization: Bearer``), but the request line was
logged whole before that, so a token pasted into a URL stayed in the log. deploy/gunicorn.conf.py
sets ``logger_class`` to ``RedactingLogger``; it redacts the request line (``%(r)s``), the query
(``%(q)s``), the Referer (``%(f)s``) and, should a log format name them, the Authorization and
Cookie headers.
"""

from urllib.parse import unquote

from gunicorn.glogging import Logger

#: Query parameters whose value is a secret (compared without case, after percent-decoding).
SECRET_PARAMETERS = frozenset({"access_token", "token"})
REDACTED = "[redacted]"
_SECRET_HEADERS = ("{authorization}i", "{cookie}i")


def redact_query(query: str) -> str:
    """The query string with the values of SECRET_PARAMETERS replaced, everything else as sent."""
    pairs = []
    for pair in query.split("&"):
        name, equals, _ = pair.partition("=")
        secret = unquote(name.replace("+", " ")).strip().lower() in SECRET_PARAMETERS
        pairs.append(f"{name}={REDACTED}" if secret and equals else pair)
    return "&".join(pairs)


def redact_url(url: str) -> str:
    """A URL or request target (path?query#fragment) with its query redacted."""
    head, mark, rest = url.partition("?")
    if not mark:
        return url
    query, hash_mark, fragment = rest.partition("#")
    return f"{head}?{redact_query(query)}{hash_mark}{fragment}"


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        method, _, rest = atoms["r"].partition(" ")
        target, _, protocol = rest.rpartition(" ")
        atoms["r"] = f"{method} {redact_url(target)} {protocol}"
        atoms["q"] = redact_query(atoms["q"] or "")
        atoms["f"] = redact_url(atoms["f"])
        for header in _SECRET_HEADERS:
            if header in atoms:
                atoms[header] = REDACTED
        return atoms
