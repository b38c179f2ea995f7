"""The URL a saved page declares for itself, for ``dvscraper parse --listing FILE`` without ``--url``.

A saved page's relative links resolve against its ``<base href>``, else against the URL it names
as its own (``<link rel="canonical">``, ``<meta property="og:url">``); a page that declares none
needs ``--url`` as soon as it has a relative link. The parser is not asked: this reads the head
only and leaves the page's meaning to it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from dvscraper.errors import UsageError

_DECLARED = (
    "//base/@href",
    "//link[contains(concat(' ', translate(normalize-space(@rel), 'CANOICL', 'canoicl'), ' '), ' canonical ')]/@href",
    "//meta[translate(@property, 'OGURL', 'ogurl') = 'og:url' or translate(@name, 'OGURL', 'ogurl') = 'og:url']"
    "/@content",
)
_NOT_RELATIVE = ("#", "javascript:", "mailto:", "tel:", "data:")


def _document(html: bytes):
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _absolute(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def declared_url(html: bytes) -> str | None:
    """The page's ``<base href>``, canonical link or ``og:url`` (the first absolute http(s) one), or None."""
    document = _document(html)
    if document is None:
        return None
    for query in _DECLARED:
        for value in document.xpath(query):
            if _absolute(value):
                return value.strip()
    return None


def relative_links(html: bytes) -> int:
    """How many ``<a href>`` of the page are relative (need a base URL to mean anything)."""
    document = _document(html)
    if document is None:
        return 0
    count = 0
    for href in document.xpath("//a/@href"):
        href = href.strip()
        if href and not href.lower().startswith(_NOT_RELATIVE) and not urlsplit(href).scheme:
            count += 1
    return count


def listing_url(html: bytes, fallback: str) -> str:
    """The URL to parse a listing page with when no ``--url`` is given: the page's declared URL, else
    ``fallback`` (its file URL) when it has no relative link; else ``UsageError``."""
    declared = declared_url(html)
    if declared:
        return declared
    count = relative_links(html)
    if count:
        raise UsageError(f"--url needed to resolve {count} relative link{'s' if count != 1 else ''} "
                         "(the page has no <base href>, canonical link or og:url)")
    return fallback
