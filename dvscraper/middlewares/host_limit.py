"""HostLimitMiddleware: at most a host's limit of requests in flight, in this process or over all workers.

Placed last before the downloader, it makes every request take a slot of its host first
and gives it back when the response or the error comes back. Waiting is asynchronous
(``scrapy.utils.asyncio.sleep``), so the crawl goes on with requests for other hosts.

- In a distributed crawl (``DV_REDIS_URL``) the slots are in Redis
  (``dvscraper.distributed.coordination.HostLimiter``: the host's limit in flight over all workers, and its
  delay between request starts): Scrapy's own per-slot limits hold per process, and N workers
  would allow N times the limit.
- In one process the slots are counted here (``LocalHostLimiter``). Scrapy's per-slot
  concurrency should do it, but Scrapy 2.19 on the asyncio reactor does not hold it when a
  slot has no delay: ``Downloader._process_queue`` starts every queued request of the slot at
  once, because the coroutine that marks a request as transferring runs only after the loop
  (seen on the replay site: 16 requests at once with ``CONCURRENT_REQUESTS_PER_DOMAIN = 3``).

The limit and the delay of a host are Scrapy's: ``DOWNLOAD_SLOTS[host]["concurrency"]`` /
``["delay"]`` (a site profile's politeness) or else ``CONCURRENT_REQUESTS_PER_DOMAIN`` /
``DOWNLOAD_DELAY``. ``DV_HOST_LIMIT = False`` leaves it all to Scrapy;
``DV_REDIS_HOST_LIMIT = False`` keeps a distributed worker's limit to itself.
"""

from __future__ import annotations

import os
import time

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

from dvscraper import settings as defaults
from dvscraper.distributed.coordination import CrawlKeys, HostLimiter, connect

TOKEN_META = "dv_host_slot"


class CrawlClosing(IgnoreRequest):
    """A request still waiting for its host's slot when the crawl began to close: not sent."""

    def __init__(self):
        super().__init__("not fetched: the crawl was closing")


def host_limits(settings, host: str) -> tuple[int, float]:
    """(requests in flight, seconds between starts) allowed at ``host`` by the crawl's settings."""
    slot = (settings.getdict("DOWNLOAD_SLOTS") or {}).get(host) or {}
    # Scrapy's own settings: their defaults are Scrapy's (default_settings), overridden in dvscraper.settings.
    limit = int(slot.get("concurrency", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")))
    delay = float(slot.get("delay", settings.getfloat("DOWNLOAD_DELAY")))
    return limit, delay


def total_concurrency(settings, hosts) -> int:
    """Twice the sum of the hosts' limits: each host at its limit, with as many waiting for a slot."""
    return 2 * sum(host_limits(settings, host)[0] for host in hosts)


class LocalHostLimiter:
    """``HostLimiter``'s interface for one process: slots counted in memory."""

    def __init__(self):
        self.holders: dict[str, set[str]] = {}
        self.next_start: dict[str, float] = {}

    def try_acquire(self, host: str, token: str, *, limit: int, delay: float) -> float:
        holders = self.holders.setdefault(host, set())
        if len(holders) >= max(1, int(limit)):
            return 0.01
        now = time.monotonic()
        wait = self.next_start.get(host, 0.0) - now
        if wait > 0:
            return wait
        holders.add(token)
        if delay > 0:
            self.next_start[host] = now + delay
        return 0.0

    def release(self, host: str, token: str) -> None:
        self.holders.get(host, set()).discard(token)

    def in_flight(self, host: str) -> int:
        return len(self.holders.get(host, ()))


class HostLimitMiddleware:
    def __init__(self, limiter, settings, stats=None, engine_of=None):
        self.engine_of = engine_of or (lambda: None)  # the crawler's engine, once there is one
        self.limiter = limiter
        self.stats = stats
        self.settings = settings
        self._limits: dict[str, tuple[int, float]] = {}
        self._prefix = os.urandom(4).hex()
        self._count = 0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("DV_HOST_LIMIT", defaults.DV_HOST_LIMIT):
            raise NotConfigured("DV_HOST_LIMIT is off: Scrapy's per-slot limits only")
        url = settings.get("DV_REDIS_URL")
        if url and settings.getbool("DV_REDIS_HOST_LIMIT", defaults.DV_REDIS_HOST_LIMIT):
            lease = settings.getfloat("DOWNLOAD_TIMEOUT") + 30.0
            limiter = HostLimiter(connect(url), CrawlKeys(settings.get("DV_REDIS_CRAWL")), lease=lease)
        else:
            limiter = LocalHostLimiter()
        return cls(limiter, settings, crawler.stats, engine_of=lambda: crawler.engine)

    def limits(self, host: str) -> tuple[int, float]:
        found = self._limits.get(host)
        if found is None:
            found = self._limits[host] = host_limits(self.settings, host)
        return found

    async def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname or ""
        limit, delay = self.limits(host)
        self._count += 1
        token = f"{self._prefix}-{self._count}"
        waited = False
        while True:
            wait = self.limiter.try_acquire(host, token, limit=limit, delay=delay)
            if wait <= 0:
                break
            if self._closing():
                # Waiting requests would otherwise go out after the crawl decided to stop
                # (--max-pages, a signal): dropped, and recorded as "cancelled" for the next run.
                raise CrawlClosing
            waited = True
            await sleep(min(wait, 0.25))
        if waited and self.stats is not None:
            self.stats.inc_value("dv/host_limit/waited")
        request.meta[TOKEN_META] = (host, token)
        return None

    def _closing(self) -> bool:
        slot = getattr(self.engine_of(), "_slot", None)  # Scrapy keeps "closing" on its engine slot
        return bool(slot is not None and getattr(slot, "closing", None))

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None

    def _release(self, request) -> None:
        slot = request.meta.pop(TOKEN_META, None)
        if slot is not None:
            self.limiter.release(*slot)
