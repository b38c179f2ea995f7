"""parse_listing(html, url) -> ListingPage (work in progress)."""
from __future__ import annotations

from dvscraper.records import ListingPage


def parse_listing(html, url, *, profile=None) -> ListingPage:
    return ListingPage(url=url)
