"""URL keys: the normalized form under which a page is stored.

The same article reached by two URLs must give one key (docs/api.md, "Pages
and URL keys"), so :func:`url_key` removes every difference that does not change
which content a URL names, and keeps every part that might:

* only absolute ``http``/``https`` URLs are accepted; anything else raises
  :class:`InvalidURL` with a message that says what was wrong;
* scheme and host are lowercased, IDN hosts become punycode, a trailing dot
  on the host, userinfo and default ports are dropped, IPv6 hosts are
  written in compressed form inside brackets;
* the path gets ``.``/``..`` resolved and percent-encoding normalized
  (uppercase hex, unreserved characters decoded, everything that must be
  encoded encoded as UTF-8); its case and trailing slash are kept;
* tracking parameters (:data:`TRACKING_PARAMS`) are dropped and the query is
  sorted by key (stable, so repeated keys keep their order);
* the fragment is dropped unless it is a single-page-app route (``#!...`` or
  ``#/...``);
* a declared ``<link rel=canonical>`` wins, unless it is junk or a site-root
  canonical on a deeper page (a common misconfiguration).

Decisions worth knowing:

* ``ref`` is kept: on GitHub/GitLab and others ``?ref=<branch>`` selects
  what is shown; referral uses (``?ref=producthunt``) cannot be told apart,
  and the page's canonical usually merges those anyway.
* ``si`` is dropped only on YouTube and Spotify share links, where it is a
  share-tracking id; elsewhere it may select content, so it is kept.
* ``www.`` is kept: ``www.example.com`` and ``example.com`` are different
  hosts that may serve different content; sites that mirror both normally
  declare a canonical, which unifies them.
* ``+`` and ``%20`` in a query are kept distinct: they mean the same thing
  only to form-decoding servers.
* Fragments ``#/``, ``#!`` and ``#!/`` are an app's root route, the same
  content as no fragment, so they are dropped.
* IDN hosts use the standard library's IDNA 2003 codec, which maps ``ß`` to
  ``ss`` where browsers (UTS 46) keep it as ``xn--zca``.

Pure module: standard library only, no Flask, no database. The extension
follows the same rule (``extension/src/lib/url-key.js``), minus the canonical
step; the vectors in ``tests/fixtures/rules/url-keys.json`` hold both to it.
"""

from __future__ import annotations

import ipaddress
import json
import re
import string
import unicodedata
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin

__all__ = [
    "InvalidURL",
    "MAX_URL_LENGTH",
    "TRACKING_PARAMS",
    "HOST_TRACKING_PARAMS",
    "normalize_url",
    "url_key",
]

MAX_URL_LENGTH = 8192

ACCEPTED = (
    "Only absolute http:// or https:// URLs are accepted, "
    "such as https://example.com/article."
)

DEFAULT_PORTS = {"http": 80, "https": 443}

# Tracking parameters (dropped from every query), prefixes (every ``utm_*``
# key) and host-specific ones live in url_tracking.json, the one list the
# extension's build bundles too; its "about" says what is in it and what is
# deliberately not.
_TRACKING = json.loads((Path(__file__).parent / "url_tracking.json").read_text(encoding="utf-8"))
TRACKING_PARAMS = frozenset(name for group in _TRACKING["params"].values() for name in group)
TRACKING_PREFIXES = tuple(_TRACKING["prefixes"])
HOST_TRACKING_PARAMS = {host: frozenset(names) for host, names in _TRACKING["hosts"].items()}

# A URL whose path is one of these is the site's home page, so a canonical
# pointing at the root is legitimate for it.
_ROOT_PATHS = frozenset(
    {
        "/", "/index.html", "/index.htm", "/index.php", "/index.shtml",
        "/index.asp", "/default.htm", "/default.html", "/default.asp",
        "/default.aspx",
    }
)

# Fragments that name an app's root route: the same content as none.
_ROOT_ROUTES = frozenset({"/", "!", "!/"})

_HEX = frozenset("0123456789abcdefABCDEF")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_FRAGMENT_SAFE = _QUERY_SAFE

_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_HOST_LABEL_RE = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")
_JSESSIONID_RE = re.compile(r";jsessionid=[^/]*", re.IGNORECASE)


class InvalidURL(ValueError):
    """The URL cannot be kept: message says why and what is accepted."""


def _fail(problem: str) -> InvalidURL:
    return InvalidURL(f"{problem} {ACCEPTED}")


class _Parts(NamedTuple):
    scheme: str
    host: str
    port: int | None
    path: str
    query: tuple[str, ...]
    fragment: str | None

    @property
    def is_root(self) -> bool:
        """The site's home page: root path, no query, no app route."""
        return self.path in _ROOT_PATHS and not self.query and self.fragment is None

    def key(self) -> str:
        netloc = self.host if self.port is None else f"{self.host}:{self.port}"
        out = f"{self.scheme}://{netloc}{self.path}"
        if self.query:
            out += "?" + "&".join(self.query)
        if self.fragment is not None:
            out += "#" + self.fragment
        return out


def url_key(url: str, canonical: str | None = None) -> str:
    """The normalized key under which a page is stored: the same article
    reached by two URLs gives one key.

    ``canonical`` is the page's ``<link rel=canonical>`` href, possibly
    relative to ``url``. It is preferred when it is a valid http(s) URL,
    except when it points at the site root while ``url`` names a deeper
    page. An unusable canonical is ignored; an unusable ``url`` raises
    :class:`InvalidURL`.
    """
    parts = _parse(url)
    if canonical is not None:
        preferred = _canonical_parts(parts, canonical)
        if preferred is not None:
            parts = preferred
    return _finish(parts)


def normalize_url(url: str) -> str:
    """url_key without the canonical preference (exposed for callers that
    only normalize)."""
    return _finish(_parse(url))


def _finish(parts: _Parts) -> str:
    key = parts.key()
    if len(key) > MAX_URL_LENGTH:
        raise _fail(
            f"URL is too long once normalized ({len(key)} characters; "
            f"the limit is {MAX_URL_LENGTH})."
        )
    return key


def _canonical_parts(page: _Parts, canonical: object) -> _Parts | None:
    """The canonical's parts when it should win, else None."""
    if not isinstance(canonical, str):
        return None
    href = canonical.strip()
    if not href or _bad_character(href) is not None:
        return None
    try:
        resolved = urljoin(page.key(), href)
        parts = _parse(resolved)
    except ValueError:  # InvalidURL, or urljoin refusing a malformed netloc
        return None
    if parts.is_root and not page.is_root:
        # Every page declaring the home page canonical is a misconfiguration;
        # trusting it would merge all of the site's articles into one page.
        return None
    return parts


def _bad_character(text: str) -> str | None:
    """The first control character or lone surrogate in text, if any."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return ch
    return None


def _parse(url: object) -> _Parts:
    if not isinstance(url, str):
        raise _fail(f"URL must be a string, not {type(url).__name__}.")
    text = url.strip()
    if not text:
        raise _fail("URL is empty.")
    if len(text) > MAX_URL_LENGTH:
        raise _fail(
            f"URL is too long ({len(text)} characters; the limit is {MAX_URL_LENGTH})."
        )
    bad = _bad_character(text)
    if bad is not None:
        kind = "an unpaired surrogate" if unicodedata.category(bad) == "Cs" else "a control character"
        raise _fail(
            f"URL contains {kind} (U+{ord(bad):04X}) at position {text.index(bad)}."
        )

    match = _SCHEME_RE.match(text)
    if match is None:
        raise _fail("URL is relative: it has no scheme such as https://.")
    scheme = match.group(1).lower()
    rest = text[match.end():]
    if scheme not in DEFAULT_PORTS:
        hint = ""
        if rest[:1].isdigit():
            hint = " (a host and port without http:// in front?)"
        raise _fail(f"URL scheme '{scheme}:' is not supported{hint}.")
    if not rest.startswith("//"):
        raise _fail(f"URL has no host: '{scheme}:' must be followed by '//' and a host.")

    rest = rest[2:]
    end = _first_of(rest, "/?#")
    authority, rest = rest[:end], rest[end:]
    fragment: str | None = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    query = ""
    if "?" in rest:
        rest, query = rest.split("?", 1)
    path = rest

    host, port = _parse_authority(authority, scheme)
    return _Parts(
        scheme=scheme,
        host=host,
        port=port,
        path=_normalize_path(path),
        query=_normalize_query(query, host),
        fragment=_normalize_fragment(fragment),
    )


def _first_of(text: str, chars: str) -> int:
    positions = [i for i in (text.find(c) for c in chars) if i >= 0]
    return min(positions, default=len(text))


def _parse_authority(authority: str, scheme: str) -> tuple[str, int | None]:
    hostport = authority.rpartition("@")[2]  # userinfo is dropped
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise _fail(f"URL host '{hostport}' opens '[' for an IPv6 address but never closes it.")
        host = _normalize_ipv6(hostport[1:close])
        after = hostport[close + 1:]
        if after and not after.startswith(":"):
            raise _fail(f"URL has '{after}' after the IPv6 address where only ':port' may follow.")
        port_text = after[1:] if after else None
    else:
        raw_host, colon, port_text_ = hostport.rpartition(":")
        if colon:
            port_text = port_text_
        else:
            raw_host, port_text = hostport, None
        if ":" in raw_host:
            raise _fail(f"URL host '{hostport}' looks like an IPv6 address without [brackets].")
        host = _normalize_host(raw_host)
    return host, _normalize_port(port_text, scheme)


def _normalize_ipv6(text: str) -> str:
    if text[:1] in ("v", "V") or "%" in text:
        raise _fail(f"URL host '[{text}]' is not a plain IPv6 address (zone ids and IPvFuture are refused).")
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        raise _fail(f"URL host '[{text}]' is not a valid IPv6 address.") from None
    return f"[{address.compressed}]"


def _normalize_host(raw: str) -> str:
    if not raw:
        raise _fail("URL has no host.")
    try:
        host = unquote(raw, errors="strict").lower()
    except UnicodeDecodeError:
        raise _fail(f"URL host '{raw}' has percent-escapes that are not UTF-8.") from None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise _fail(f"URL host '{raw}' is not a valid internationalized domain name.") from None
        host = host.lower()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise _fail("URL has no host.")
    labels = host.split(".")
    if len(host) > 253 or any(
        len(label) > 63 or not _HOST_LABEL_RE.fullmatch(label) for label in labels
    ):
        raise _fail(
            f"URL host '{raw}' is not a valid host name (letters, digits, '-' and '_' "
            "in dot-separated labels of at most 63 characters)."
        )
    return host


def _normalize_port(text: str | None, scheme: str) -> int | None:
    if not text:  # no port, or "host:" which means the default port
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise _fail(f"URL port '{text}' is not a number from 0 to 65535.")
    port = int(text)
    return None if port == DEFAULT_PORTS[scheme] else port


def _normalize_escapes(text: str, safe: frozenset[str]) -> str:
    """One spelling for equivalent percent-encodings.

    ``%xx`` of an unreserved character is decoded, other escapes get
    uppercase hex; a ``%`` that starts no escape, and every character not in
    ``safe`` (spaces, non-ASCII, ...), is encoded as UTF-8 escapes.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            decoded = chr(int(text[i + 1:i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else text[i:i + 3].upper())
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
        i += 1
    return "".join(out)


def _normalize_path(path: str) -> str:
    path = _JSESSIONID_RE.sub("", path)
    path = _normalize_escapes(path, _PATH_SAFE)
    if not path:
        return "/"
    return _remove_dot_segments(path)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 for an absolute path ('/...')."""
    segments = path.split("/")[1:]
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def _normalize_query(query: str, host: str) -> tuple[str, ...]:
    dropped = _tracking_for(host)
    kept: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, eq, value = piece.partition("=")
        name = _normalize_escapes(name, _QUERY_SAFE)
        folded = unquote(name).lower()
        if folded.startswith(TRACKING_PREFIXES) or folded in dropped:
            continue
        pair = name + eq + _normalize_escapes(value, _QUERY_SAFE) if eq else name
        kept.append((name, pair))
    kept.sort(key=lambda item: item[0])  # stable: repeated keys keep their order
    return tuple(pair for _, pair in kept)


def _tracking_for(host: str) -> frozenset[str]:
    extra = [
        params
        for domain, params in HOST_TRACKING_PARAMS.items()
        if host == domain or host.endswith("." + domain)
    ]
    return TRACKING_PARAMS.union(*extra) if extra else TRACKING_PARAMS


def _normalize_fragment(fragment: str | None) -> str | None:
    if not fragment or fragment[0] not in "!/":
        return None  # plain in-page anchors name the same content
    fragment = _normalize_escapes(fragment, _FRAGMENT_SAFE)
    return None if fragment in _ROOT_ROUTES else fragment
