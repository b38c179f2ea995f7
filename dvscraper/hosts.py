"""Host keys: which URLs belong to the crawl, and which hosts are this machine.

A host key is the canonical ``netloc`` (lower-case host, default port dropped):
``dienbien.dcs.vn``, ``127.0.0.1:8123``. The allowed hosts of a crawl are the
keys of its start URLs, so two replay servers on one loopback address but
different ports are different sites (Scrapy's ``allowed_domains`` compares host
names only and would mix them).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

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
