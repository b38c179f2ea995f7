"""Offsite filtering by host *and port*, and off-site redirects recorded as failures.

``HostOffsiteMiddleware`` replaces Scrapy's ``OffsiteMiddleware`` (same place,
same stats ``offsite/filtered``): a request is on site when its host key
(``host[:port]``) is in the spider's ``allowed_hosts``. Scrapy's own check
compares host names only, so ``127.0.0.1:8001`` would pass for a crawl of
``127.0.0.1:8000``. Spiders without ``allowed_hosts`` keep Scrapy's behaviour.

``OffsiteRedirectMiddleware`` sits just before the redirect middleware: a 3xx
whose ``Location`` leaves the allowed hosts is turned into ``IgnoreRequest``,
which reaches the request's errback (recorded as a failure) instead of being
dropped silently at scheduling time. The redirect of a *start* URL is the
exception: its target host joins the crawl (``http://site`` -> ``https://www.site``).
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest

from dvscraper.sites.hosts import host_key


class OffsiteRedirectError(IgnoreRequest):
    """A redirect to a host outside the crawl."""


class HostOffsiteMiddleware(OffsiteMiddleware):
    def should_follow(self, request, spider) -> bool:
        allowed = getattr(spider, "allowed_hosts", None)
        if not allowed:
            return super().should_follow(request, spider)
        return host_key(request.url) in allowed


class OffsiteRedirectMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if not (300 <= response.status < 400) or b"Location" not in response.headers:
            return response
        allowed = getattr(self.crawler.spider, "allowed_hosts", None)
        if not allowed or request.meta.get("allow_offsite"):
            return response
        location = response.headers[b"Location"].decode("latin-1")
        target = urljoin(request.url, location)
        if host_key(target) in allowed:
            return response
        if request.meta.get("dv_start") and hasattr(self.crawler.spider, "allow_host"):
            self.crawler.spider.allow_host(target)  # the start URL lives elsewhere now: follow it there
            return response
        self.crawler.stats.inc_value("offsite/redirects")
        raise OffsiteRedirectError(f"redirect to off-site {host_key(target) or target!r}")
