"""RedisScheduler: the frontier and duplicate filter of a distributed crawl, in Redis.

Named by ``scheduler_settings`` (``dvscraper.distributed.coordination``) as the crawl's
``SCHEDULER``; a module of its own so that the coordination code imports no Scrapy. Its frontier
entries are JSON (``dvscraper.distributed.serializer``, the crawl's ``SCHEDULER_SERIALIZER``): an
entry that is not one of our requests (a pickle, junk) is dropped with one warning, never run.
"""

from __future__ import annotations

import logging

from scrapy_redis.scheduler import Scheduler

from dvscraper.errors import UnsafePayload

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):
    """scrapy-redis's ``Scheduler``, counting its stats the way Scrapy 2.13+ wants (no ``spider``
    argument: scrapy-redis 0.9.1 still passes one, and every request logged a deprecation warning)."""

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        for _ in range(100):  # a flood of refused payloads is taken 100 per call, not forever
            try:
                request = self.queue.pop(self.idle_before_close)
                break
            except (UnsafePayload, ValueError, TypeError, KeyError, AttributeError) as exc:
                # request_from_dict refuses callbacks the spider lacks with ValueError
                logger.warning("dropped a frontier entry that is not a request of ours: %s", exc)
                if self.stats:
                    self.stats.inc_value("dv/redis/refused_payloads")
        else:
            return None
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
