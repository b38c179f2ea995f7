"""Canonical URLs and the stable article id derived from them."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


# A URL that is canonical as written: http(s), a lower-case host with no port or user, a path,
# maybe a non-empty query, no fragment, no whitespace or control characters (urlsplit and
# urlunsplit give it back unchanged, so canonical_url need not take it apart).
_CANONICAL_AS_IS = re.compile(r"https?://[a-z0-9.\-]+/[^\s#?\x00-\x1f\x7f]*(?:\?[^\s#\x00-\x1f\x7f]+)?")


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, fragment removed, empty path -> '/'."""
    if _CANONICAL_AS_IS.fullmatch(url):
        return url
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username or parts.password:
        netloc = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{netloc}"
    path = parts.path or ("/" if netloc else "")
    result = urlunsplit((scheme, netloc, path, parts.query, ""))
    stripped = result.strip()  # whitespace that stood before a dropped fragment
    return result if stripped == result else canonical_url(stripped)


def article_id(url: str) -> str:
    """First 16 hex digits of SHA-256 of the canonical URL: same page, same id, every run."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def site_of(url: str) -> str:
    """The host (lower case) of a URL, e.g. ``dienbien.dcs.vn``."""
    if _CANONICAL_AS_IS.fullmatch(url):
        return url.split("/", 3)[2]  # a lower-case host with no port or user
    return (urlsplit(url).hostname or "").lower()


def absolute_url(base: str, ref: str | None) -> str | None:
    """Resolve ``ref`` against ``base``; None for empty, ``javascript:``, ``data:`` or ``mailto:``."""
    if not ref:
        return None
    ref = ref.strip()
    if not ref or ref.startswith("#"):
        return None
    lowered = ref[:11].lower()
    if lowered.startswith(("javascript:", "mailto:", "data:", "tel:")):
        return None
    if lowered.startswith(("http://", "https://")) and " " not in ref and "/." not in ref:
        try:
            return canonical_url(ref)  # already absolute: no join needed (the hot case in listings)
        except ValueError:
            return None
    if (
        ref[0] == "/"
        and "//" not in ref
        and "/." not in ref
        and _PLAIN_ROOT_PATH.fullmatch(ref)
        and _CANONICAL_AS_IS.fullmatch(base)
    ):
        # a plain root-relative path against a canonical base: urljoin would only put the
        # base's scheme and host before it (no dot segments, no empty segments, no spaces)
        return canonical_url(base[: base.index("/", 8)] + ref)
    try:
        return canonical_url(urljoin(base, ref.replace(" ", "%20")))
    except ValueError:
        return None


# A root-relative reference with nothing for urljoin to resolve (checked with no "//", an
# empty segment or a host, and no "/.", dot segments): no whitespace, control characters,
# backslashes or ";" (path parameters, which urljoin may rewrite).
_PLAIN_ROOT_PATH = re.compile(r"/[^\s\x00-\x1f\x7f\\;]*")


def resolver(base: str):
    """``absolute_url`` bound to one page: each distinct href is resolved once, and a plain
    root-relative href (``/TinTuc/...``) is joined to the page's origin without ``urljoin``."""
    cache: dict[str, str | None] = {}
    try:
        parts = urlsplit(canonical_url(base))
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else None
    except ValueError:
        origin = None

    def resolve(ref: str | None) -> str | None:
        if not ref:
            return None
        if ref in cache:
            return cache[ref]
        if (
            origin
            and ref.startswith("/")
            and not ref.startswith("//")
            and "#" not in ref
            and " " not in ref
            and "/." not in ref
            and "\\" not in ref
        ):
            value = origin + ref
        else:
            value = absolute_url(base, ref)
        cache[ref] = value
        return value

    return resolve
