"""ValidatePipeline: contract checks (SPEC §2) on the typed ``Article``.

``check_article(article) -> list[str]`` names every broken rule; a record with
any is turned into a ``PageReject`` (``invalid record: <first problem>``) and
never written. The checks guard the Parquet schema too: a value that would not
fit its column is caught here, with the URL, instead of failing a whole row group.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from dvscraper.dataset.outcomes import STAGE_VALIDATE, PageReject, utc_now
from dvscraper.normalize.dates import published_out_of_bounds
from dvscraper.normalize.urls import article_id, canonical_url, site_of
from dvscraper.records import Article, Image
from dvscraper.sites.hosts import valid_host

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
# A publication this far after the fetch is a misread date, not news from the future.
_FUTURE_SLACK = dt.timedelta(days=1)

REQUIRED_TEXT = ("url", "article_id", "site", "title", "body_text", "content_sha256")
OPTIONAL_TEXT = ("category", "published_at_raw", "summary", "byline", "source")
TEXT_LISTS = ("breadcrumb", "headings", "authors")


def _absolute_http(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _aware(value: object) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is not None and value.utcoffset() is not None


def check_article(article: Article, *, floor: dt.date | str | None = None) -> list[str]:
    """Every contract rule the record breaks (empty list: valid)."""
    problems: list[str] = []
    for name in REQUIRED_TEXT:
        value = getattr(article, name)
        if not isinstance(value, str) or (name != "body_text" and not value.strip()):
            problems.append(f"{name} missing or not a string")
    for name in OPTIONAL_TEXT:
        value = getattr(article, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append(f"{name} must be a non-empty string or null")
    for name in TEXT_LISTS:
        value = getattr(article, name)
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            problems.append(f"{name} must be a list of non-empty strings")
    if problems:
        return problems  # the rest assumes the basic types

    if not _absolute_http(article.url):
        problems.append(f"url not absolute http(s): {article.url!r}")
    elif canonical_url(article.url) != article.url:
        problems.append(f"url not canonical: {article.url!r}")
    elif article.article_id != article_id(article.url):
        problems.append("article_id does not match the url")
    elif article.site != site_of(article.url):
        problems.append("site does not match the url host")
    elif not valid_host(article.site):  # ".." would become a folder name (articles/../)
        problems.append(f"url host is not a host name: {article.site!r}")

    if not _aware(article.published_at):
        problems.append("published_at missing or not tz-aware")
    if not _aware(article.crawled_at):
        problems.append("crawled_at missing or not tz-aware")
    if not problems:  # before DV_PUBLISHED_FLOOR, or after the day after the fetch (never an OverflowError)
        bad_date = published_out_of_bounds(article.published_at, floor=floor, now=article.crawled_at)
        if bad_date:
            problems.append(bad_date)
    if article.event_date is not None and (
        not isinstance(article.event_date, dt.date) or isinstance(article.event_date, dt.datetime)
    ):
        problems.append("event_date must be a date or null")

    rc = article.read_count
    if rc is not None and (isinstance(rc, bool) or not isinstance(rc, int) or not 0 <= rc <= _INT64_MAX):
        problems.append(f"read_count must be a non-negative int64 or null: {rc!r}")
    wc = article.word_count
    if isinstance(wc, bool) or not isinstance(wc, int) or not 0 <= wc <= _INT32_MAX:
        problems.append(f"word_count must be a non-negative int32: {wc!r}")
    elif wc != len(article.body_text.split()):
        problems.append("word_count does not match body_text")
    if not _HEX64.match(article.content_sha256):
        problems.append("content_sha256 is not a SHA-256 hex digest")

    if not isinstance(article.images, list):
        problems.append("images must be a list")
    else:
        for image in article.images:
            if not isinstance(image, Image) or not _absolute_http(image.src):
                problems.append(f"image src not absolute http(s): {getattr(image, 'src', image)!r}")
                break
            if image.caption is not None and not isinstance(image.caption, str):
                problems.append("image caption must be a string or null")
                break
            if image.alt is not None and not isinstance(image.alt, str):
                problems.append("image alt must be a string or null")
                break
    return problems


class ValidatePipeline:
    def __init__(self, floor: dt.date | str | None = None):
        self.floor = floor

    @classmethod
    def from_crawler(cls, crawler):
        return cls(floor=crawler.settings.get("DV_PUBLISHED_FLOOR") or None)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        problems = check_article(item, floor=self.floor)
        if not problems:
            return item
        return PageReject(url=item.url, reason=f"invalid record: {problems[0]}", stage=STAGE_VALIDATE, at=utc_now())
