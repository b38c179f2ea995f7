"""Pure page parsers: HTML bytes + URL in, typed record out. No Scrapy, no network."""

from __future__ import annotations

import datetime as dt

from dvscraper.normalize.article import to_article
from dvscraper.parse.article import extract_article
from dvscraper.parse.limits import check_page_limits
from dvscraper.parse.listing import parse_listing
from dvscraper.parse.profile import SiteProfile, default_profile
from dvscraper.records import Article, NotAnArticle

__all__ = ["SiteProfile", "default_profile", "extract_article", "parse_article", "parse_listing"]


def parse_article(
    html: bytes | str,
    url: str,
    *,
    crawled_at: dt.datetime | None = None,
    profile: SiteProfile | None = None,
    limits: dict | None = None,
) -> Article:
    """The article record of one page; raises ``NotAnArticle(reason)`` for a non-article.

    ``crawled_at`` defaults to the moment of parsing (SPEC: "for parse, when parsed"). A page
    over the size limits (``limits``: ``check_page_limits`` keywords; defaults from the
    settings) is refused before it is parsed. (Publish dates out of bounds are refused by
    ``dvscraper parse`` and the crawl's ``ValidatePipeline``: ``normalize.dates.published_out_of_bounds``.)
    """
    refused = check_page_limits(html, **(limits or {}))
    if refused:
        raise NotAnArticle(refused)
    raw = extract_article(html, url, profile=profile)
    if crawled_at is None:
        crawled_at = dt.datetime.now(dt.timezone.utc)
    return to_article(raw, crawled_at)
