"""Canonical URLs and the stable article id derived from them."""

from __future__ import annotations

import hashlib
from urllib.parse import urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, default port dropped, fragment removed, empty path -> '/'."""
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
    try:
        return canonical_url(urljoin(base, ref.replace(" ", "%20")))
    except ValueError:
        return None


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
