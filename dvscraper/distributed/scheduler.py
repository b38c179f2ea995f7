"""RedisScheduler: the frontier and duplicate filter of a distributed crawl, in Redis.

Named by ``scheduler_settings`` (``dvscraper.distributed.coordination``) as the crawl's
``SCHEDULER``; a module of its own so that the coordination code imports no Scrapy.
"""

from __future__ import annotations

from scrapy_redis.scheduler import Scheduler


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
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request
