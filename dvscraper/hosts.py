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
    elif not host.isascii():
        host = punycode_host(host)  # what Scrapy requests (an IDN start URL is not "off-site")
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


# -- host names that may become folder names (issue 17) ------------------------------------------
_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOSTNAME = __import__("re").compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?")


def valid_host(host: str | None) -> bool:
    """A DNS name (letters, digits, ``-``, ``_``; labels of 1-63, no empty label: not ``..``), an IPv4
    address or an IPv6 literal (with or without brackets)."""
    if not host or len(host) > 253:
        return False
    host = host.lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    return bool(_HOSTNAME.fullmatch(host)) and not host.strip(".").replace(".", "").isdigit()


def punycode_host(host: str) -> str:
    """``điệnbiên.vn`` -> ``xn--inbin-ksa2y768s.vn`` (as Scrapy's request URLs spell it); unchanged
    when ASCII or not encodable."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return host


def punycode_url(url: str) -> str:
    """``https://điệnbiên.vn/x`` -> ``https://xn--inbin-ksa2y768s.vn/x`` (the host only)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.isascii():
        return url
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@")
    port = f":{parts.port}" if parts.port is not None else ""
    new = punycode_host(host) + port
    return parts._replace(netloc=f"{userinfo}@{new}" if userinfo else new).geturl()
