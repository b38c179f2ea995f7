"""Default bounds on a crawl: a page budget per URL pattern and per run (crawl traps, issue 17).

A calendar (``/Calendar?PageIndex=N`` linking to N+1 ... N+20) ran 37,786 pages with no bound.
This spider middleware drops the requests a page yields once:

- their URL *pattern* has had ``DV_MAX_PAGES_PER_PATTERN`` distinct URLs requested in this run
  (default 2000). The pattern of a URL with a query is its lower-case path and the sorted names of
  its query parameters (``/calendar?pageindex``); a URL without a query is never capped (every
  article has its own path). One warning names the pattern when it is capped
  (stat ``dv/skipped/pattern_budget``);
- the run has received ``DV_MAX_PAGES_PER_RUN`` responses (default 200,000; 0: no bound): the
  spider closes with reason ``closespider_pagecount`` (exit 0, but ``state.json`` does not record
  the crawl finished, so the next run pages listings to their end). ``--max-pages`` is a tighter
  budget of the same kind.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request

from dvscraper import settings as defaults

logger = logging.getLogger(__name__)


def url_pattern(url: str) -> str | None:
    """``/Calendar?PageIndex=7`` -> ``/calendar?pageindex``; None for a URL without a query."""
    parts = urlsplit(url)
    if not parts.query:
        return None
    names = sorted({name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc.lower()}{parts.path.lower()}?{'&'.join(names)}"


class TrapGuardMiddleware:
    def __init__(self, crawler, *, per_pattern: int, per_run: int):
        self.crawler = crawler
        self.per_pattern = per_pattern
        self.per_run = per_run
        self.seen: dict[str, set[bytes]] = {}
        self.capped: set[str] = set()
        self.responses = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(crawler, per_pattern=settings.getint("DV_MAX_PAGES_PER_PATTERN", defaults.DV_MAX_PAGES_PER_PATTERN),
                   per_run=settings.getint("DV_MAX_PAGES_PER_RUN", defaults.DV_MAX_PAGES_PER_RUN))

    # -- Scrapy hooks (sync and async spider output) ---------------------------------------------
    def process_spider_output(self, response, result, spider=None):
        self._count_response()
        for item in result:
            if self._keep(item):
                yield item

    async def process_spider_output_async(self, response, result, spider=None):
        self._count_response()
        async for item in result:
            if self._keep(item):
                yield item

    # -- internals -------------------------------------------------------------------------------
    def _count_response(self) -> None:
        self.responses += 1
        if self.per_run > 0 and self.responses >= self.per_run and not self.closing:
            self.closing = True
            logger.warning("page budget of the run reached (DV_MAX_PAGES_PER_RUN = %d): stopping", self.per_run)
            self._inc("dv/budget/run_reached")
            engine = getattr(self.crawler, "engine", None)
            if engine is not None:
                from scrapy.utils.defer import _schedule_coro

                _schedule_coro(engine.close_spider_async(reason="closespider_pagecount"))

    def _keep(self, item) -> bool:
        if not isinstance(item, Request) or self.per_pattern <= 0:
            return True
        pattern = url_pattern(item.url)
        if pattern is None:
            return True
        urls = self.seen.setdefault(pattern, set())
        key = hashlib.blake2b(item.url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        if key in urls:
            return True  # already counted (the scheduler's duplicate filter decides about it)
        if len(urls) >= self.per_pattern:
            if pattern not in self.capped:
                self.capped.add(pattern)
                logger.warning("URL pattern %s reached its budget of %d pages in this run "
                               "(DV_MAX_PAGES_PER_PATTERN): a crawl trap? Further URLs of it are not followed",
                               pattern, self.per_pattern)
            self._inc("dv/skipped/pattern_budget")
            return False
        urls.add(key)
        return True

    def _inc(self, key: str) -> None:
        stats = getattr(self.crawler, "stats", None)
        if stats is not None:
            stats.inc_value(key)
