"""DistributedCrawlExtension: one worker's life in a distributed crawl (``DV_REDIS_URL``).

- Joins the crawl's worker set in Redis and beats every ``BEAT_SECONDS``: alive, and busy
  while it has requests in flight or items in its pipelines.
- When its engine runs out of requests (``spider_idle``) it stays open while the shared
  frontier holds requests or another worker is busy (that worker may add requests), and
  lets the spider close (reason ``finished``) once the frontier has stayed empty with
  every worker idle for ``DV_REDIS_IDLE_SECONDS``. While idle it wakes the engine at every
  beat, so requests another worker adds are picked up within a beat.
- ``--max-pages N`` counts for the whole crawl: each response increments a counter in Redis,
  and every worker stops (reason ``closespider_pagecount``) once it reaches N.
- It closes before ``OutputGuardExtension`` (a lower ``EXTENSIONS`` number): the last worker
  compacts while the output lock is still held, and tells the guard (``dv/crawl_finished``)
  whether the crawl as a whole finished, which only it can know.
- When it closes it hands the partitions its refetched articles went into to Redis and
  leaves; the last worker to leave a finished crawl compacts those partitions (one row per
  article) and deletes the crawl's keys.

See ``dvscraper/distributed/coordination.py`` for the keys and the topology.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from dvscraper import settings as defaults
from dvscraper.dataset.compact import compact_output
from dvscraper.dataset.layout import OutputLayout
from dvscraper.distributed.coordination import (
    ALIVE_TTL_MS,
    BEAT_SECONDS,
    BUSY_TTL_MS,
    CrawlKeys,
    WorkerRegistry,
    connect,
    new_worker_id,
)

logger = logging.getLogger(__name__)


class DistributedCrawlExtension:
    def __init__(self, crawler, registry: WorkerRegistry, *, idle_seconds: float, output: Path):
        self.crawler = crawler
        self.registry = registry
        self.idle_seconds = idle_seconds
        self.output = output
        self.quiet_since: float | None = None
        self._loop = None
        self._worked = False  # a request reached the downloader since the last beat
        self.max_pages = 0  # DV_REDIS_MAX_PAGES: the crawl's page budget over all workers
        self._capped = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = settings.get("DV_REDIS_URL")
        if not url:
            raise NotConfigured  # no message: Scrapy would log a warning on every ordinary crawl
        keys = CrawlKeys(settings.get("DV_REDIS_CRAWL"))
        registry = WorkerRegistry(connect(url), keys, settings.get("DV_WORKER_ID") or new_worker_id())
        # Quiet must outlast a busy mark (BUSY_TTL_MS) so that no peer's work goes unseen.
        idle = max(settings.getfloat("DV_REDIS_IDLE_SECONDS", defaults.DV_REDIS_IDLE_SECONDS), 2 * BUSY_TTL_MS / 1000)
        ext = cls(crawler, registry, idle_seconds=idle,
                  output=Path(settings.get("DV_OUTPUT_DIR") or defaults.DV_OUTPUT_DIR))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.request_reached_downloader, signal=signals.request_reached_downloader)
        ext.max_pages = settings.getint("DV_REDIS_MAX_PAGES", defaults.DV_REDIS_MAX_PAGES)
        if ext.max_pages:
            crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self, response, request, spider) -> None:
        if self._capped:
            return
        if self.registry.count_page() >= self.max_pages:
            self._capped = True
            from scrapy.utils.defer import (
                _schedule_coro,  # what Scrapy's CloseSpider extension uses
            )

            _schedule_coro(self.crawler.engine.close_spider_async(reason="closespider_pagecount"))

    def request_reached_downloader(self, request, spider) -> None:
        self._worked = True

    # -- signals --------------------------------------------------------------------------------
    def spider_opened(self, spider) -> None:
        from twisted.internet import task

        joined = self.registry.join()
        stats = self.crawler.stats
        stats.set_value("dv/redis_join", joined)
        stats.set_value("dv/worker_id", self.registry.worker)
        stats.set_value("dv/redis_crawl", self.registry.keys.crawl)
        self._loop = task.LoopingCall(self._beat)
        self._loop.start(BEAT_SECONDS, now=False).addErrback(self._beat_failed)
        logger.info("distributed crawl %s: worker %s %s (%d requests in the frontier)", self.registry.keys.crawl,
                    self.registry.worker, {"fresh": "started it", "resumed": "resumed it"}.get(joined, "joined"),
                    self.registry.frontier_size())

    def spider_idle(self, spider) -> None:
        if self.registry.frontier_size() or self.registry.others_busy():
            self.quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.quiet_since is None:
            self.quiet_since = now
        if now - self.quiet_since < self.idle_seconds:
            raise DontCloseSpider
        logger.info("distributed crawl %s: frontier empty and every worker idle for %.1fs: stopping",
                    self.registry.keys.crawl, now - self.quiet_since)

    def spider_closed(self, spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        stats = self.crawler.stats
        partitions = stats.get_value("dv/refetched_partitions") or []
        client, keys = self.registry.client, self.registry.keys
        if partitions:
            client.sadd(keys.partitions, *partitions)
        remaining = self.registry.leave()
        # A crawl ends when its frontier ran dry, or when its page budget was spent (whatever is left
        # in the frontier then is not wanted: the next crawl of this name starts afresh).
        finished = (reason == "finished" and not self.registry.frontier_size()) or (
            reason == "closespider_pagecount" and self.max_pages > 0)
        if remaining and finished:
            # Peers still registered but idle are stopping too, or were killed (their heartbeat
            # lapses within ALIVE_TTL_MS): wait for that, so a dead peer doesn't leave the crawl's
            # filters behind for the next crawl of this name to trip over.
            remaining = self.registry.wait_alone(ALIVE_TTL_MS / 1000 + 1)
        stats.set_value("dv/workers_remaining", remaining)
        if remaining or not finished or not self.registry.claim_cleanup():
            return
        # The last worker of a finished crawl: compact what refetches wrote twice, then forget the crawl.
        # The crawl is complete (OutputGuardExtension records it finished in state.json) only when
        # it ran dry and no worker was killed: a killed worker's requests in flight were lost, so
        # the next crawl must page every listing to its end, as after any unfinished crawl.
        lost = self.registry.lost_workers()
        stats.set_value("dv/crawl_finished", reason == "finished" and not lost)
        stats.set_value("dv/workers_lost", lost)
        pending = sorted(p.decode() if isinstance(p, bytes) else p for p in client.smembers(keys.partitions))
        if pending:
            articles = OutputLayout(self.output).articles
            report = compact_output(self.output, run_id=self.crawler.settings.get("DV_RUN_ID"),
                                    only={articles / key for key in pending})
            stats.set_value("dv/compacted_partitions", report["partitions"])
        stats.set_value("dv/redis_keys_deleted", self.registry.delete_crawl())
        logger.info("distributed crawl %s finished: last worker out, keys deleted", keys.crawl)

    # -- the beat ---------------------------------------------------------------------------------
    def _beat(self) -> None:
        engine = self.crawler.engine
        if engine is None or getattr(engine, "_slot", None) is None:
            return
        # A request that came and went between two beats still counts: its "busy" mark lives
        # BUSY_TTL_MS, long enough for every idle peer to see it at least once.
        busy = self._busy(engine) or self._worked
        self._worked = False
        self.registry.beat(busy)
        if not busy:
            # Scrapy re-checks an idle spider only every 5 s; wake it so requests added by
            # other workers are taken (and the idle rule judged) at the beat's pace.
            nextcall = getattr(engine._slot, "nextcall", None)
            if nextcall is not None:
                nextcall.schedule()

    @staticmethod
    def _busy(engine) -> bool:
        scraper_slot = getattr(engine.scraper, "slot", None)
        if scraper_slot is not None and not scraper_slot.is_idle():
            return True
        return bool(engine.downloader.active) or getattr(engine, "_start", None) is not None

    def _beat_failed(self, failure) -> None:
        logger.error("distributed crawl: heartbeat stopped: %s", failure.getErrorMessage())
