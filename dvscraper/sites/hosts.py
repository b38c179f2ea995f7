"""Host keys and start URLs: which URLs belong to the crawl, and which hosts are this machine.

A host key is the canonical ``netloc`` (lower-case host, default port dropped):
``dienbien.dcs.vn``, ``127.0.0.1:8123``. The allowed hosts of a crawl are the
keys of its start URLs, so two replay servers on one loopback address but
different ports are different sites (Scrapy's ``allowed_domains`` compares host
names only and would mix them).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from dvscraper.normalize.urls import canonical_url

DEFAULT_START_URL = "https://dienbien.dcs.vn/"  # where a crawl without start URLs or sites begins
_SPLIT = re.compile(r"[\s,]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def host_key(url: str) -> str:
    """``'HTTP://Example.org:80/x'`` -> ``'example.org'``; ``'http://127.0.0.1:8123/'`` -> ``'127.0.0.1:8123'``."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def is_loopback(url: str) -> bool:
    """True for ``localhost`` and 127.0.0.0/8 / ::1 addresses."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_start_urls(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """One URL, a comma/space separated string of URLs, or a list; each must be http(s) with a host."""
    if value is None:
        return (DEFAULT_START_URL,)
    items = _SPLIT.split(value) if isinstance(value, str) else [u for v in value for u in _SPLIT.split(v)]
    urls: list[str] = []
    for raw in filter(None, (item.strip() for item in items)):
        try:
            parts = urlsplit(raw)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise ValueError(f"bad start URL {raw!r}") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"start URL must be an absolute http(s) URL: {raw!r}")
        url = canonical_url(raw)
        if url not in urls:
            urls.append(url)
    if not urls:
        raise ValueError("no start URL given")
    return tuple(urls)
