"""Bounded work per page: refuse pathological HTML before libxml2 sees it.

libxml2 is quadratic in the attributes of one element (a ``<div>`` with 64,000 attributes, 709 KB,
took 38 s), and its work grows with the page. ``check_page_limits`` is a cheap byte scan (a few
regular-expression passes in C, no tree) that returns why a page is refused, or None:

- more than ``max_bytes`` bytes;
- more than ``max_elements`` start tags (``<`` followed by a letter);
- an element with more than ``max_attributes_per_element`` attributes. Only tags long enough to
  hold that many (``2 * max`` bytes: a name and a separator each) are looked at, so an ordinary
  page costs one search that finds nothing.

Pure: ``parse_article`` and ``parse_listing`` call it with the defaults, the crawl
(``PortalSpider.parse_page``) with the settings ``DV_PAGE_MAX_BYTES``, ``DV_PAGE_MAX_ELEMENTS``,
``DV_PAGE_MAX_ATTRIBUTES``.
"""

from __future__ import annotations

import re

from dvscraper import settings as defaults

# One source for each default: dvscraper/settings.py (an article page is ~100 kB, a long listing
# has a few thousand elements, real markup a handful of attributes per element).
DEFAULT_MAX_BYTES = defaults.DV_PAGE_MAX_BYTES
DEFAULT_MAX_ELEMENTS = defaults.DV_PAGE_MAX_ELEMENTS
DEFAULT_MAX_ATTRIBUTES = defaults.DV_PAGE_MAX_ATTRIBUTES

_START_TAG = re.compile(rb"<[A-Za-z]")
_QUOTED = re.compile(rb"\"[^\"]*\"|'[^']*'")
_ATTRIBUTE = re.compile(rb"[\s/]+[^\s\"'>/=]+")
REASON_PREFIX = "page refused"


def check_page_limits(html: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                      max_attributes_per_element: int = DEFAULT_MAX_ATTRIBUTES,
                      max_elements: int = DEFAULT_MAX_ELEMENTS) -> str | None:
    """``None`` when the page is within the limits, else the reason it is refused (one line).
    A limit of 0 (or less) is not checked."""
    if isinstance(html, str):
        html = html.encode("utf-8", "surrogatepass")
    size = len(html)
    if max_bytes > 0 and size > max_bytes:
        return f"{REASON_PREFIX}: {size} bytes, over the limit of {max_bytes}"
    if max_elements > 0 and size > max_elements * 2:  # fewer bytes cannot hold that many tags
        count = 0
        for count, _ in enumerate(_START_TAG.finditer(html), 1):
            if count > max_elements:
                return f"{REASON_PREFIX}: more than {max_elements} elements"
    if max_attributes_per_element > 0:
        long_tag = re.compile(rb"<[A-Za-z][^<>]{%d,}" % (2 * max_attributes_per_element))
        for match in long_tag.finditer(html):
            names = len(_ATTRIBUTE.findall(_QUOTED.sub(b'""', match.group(0))))
            if names > max_attributes_per_element:
                name = re.match(rb"<([A-Za-z][A-Za-z0-9:-]{0,30})", match.group(0)).group(1).decode("ascii")
                return (f"{REASON_PREFIX}: an element <{name}> with {names} attributes, over the limit of "
                        f"{max_attributes_per_element}")
    return None


def limits_from_settings(settings) -> dict:
    """The keyword arguments of ``check_page_limits`` from Scrapy settings (defaults above)."""
    return {
        "max_bytes": settings.getint("DV_PAGE_MAX_BYTES", DEFAULT_MAX_BYTES),
        "max_elements": settings.getint("DV_PAGE_MAX_ELEMENTS", DEFAULT_MAX_ELEMENTS),
        "max_attributes_per_element": settings.getint("DV_PAGE_MAX_ATTRIBUTES", DEFAULT_MAX_ATTRIBUTES),
    }
