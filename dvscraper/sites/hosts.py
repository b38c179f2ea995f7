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
from urllib.parse import urlsplit, urlunsplit

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
        # no user:password into runs/ and failures/; an IDN host as Scrapy requests it (punycode)
        url = canonical_url(punycode_url(strip_userinfo(raw)))
        if url not in urls:
            urls.append(url)
    if not urls:
        raise ValueError("no start URL given")
    return tuple(urls)


# -- host names that may become folder names (issue 17) ------------------------------------------
_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"(?:{_LABEL}\.)*{_LABEL}\.?")


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
    userinfo, _, _hostport = netloc.rpartition("@")
    port = f":{parts.port}" if parts.port is not None else ""
    new = punycode_host(host) + port
    return parts._replace(netloc=f"{userinfo}@{new}" if userinfo else new).geturl()


def strip_userinfo(url: str) -> str:
    """``http://u:p@host/x`` -> ``http://host/x``: start URLs are stored in ``runs/`` and ``failures/``
    without it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[1], parts.path, parts.query, parts.fragment))
