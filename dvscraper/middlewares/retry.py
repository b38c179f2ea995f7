"""RetryAfterMiddleware: Scrapy's retries plus a wait before each retry.

Scrapy's ``RetryMiddleware`` retries at once and ignores ``Retry-After``. Here a
retried request first waits:

- the server's ``Retry-After`` (delta-seconds or an HTTP date) when the response
  has one (429, 503, ...); one longer than ``DV_RETRY_AFTER_MAX`` seconds is not waited
  for at all: the response is kept as the failure, and the next run tries again;
- otherwise an exponential backoff ``DV_RETRY_BACKOFF_BASE * 2**(n-1)`` for the
  n-th retry, capped at ``DV_RETRY_BACKOFF_MAX``.

The wait is ``scrapy.utils.asyncio.sleep`` inside an ``async`` middleware method:
it never blocks the reactor; other requests keep flowing meanwhile. The waits of one URL
together stay under ``DV_RETRY_WAIT_MAX_PER_URL`` seconds.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

from dvscraper import settings as defaults


def parse_retry_after(value: bytes | str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("DV_RETRY_BACKOFF_BASE", defaults.DV_RETRY_BACKOFF_BASE)
        self.backoff_max = settings.getfloat("DV_RETRY_BACKOFF_MAX", defaults.DV_RETRY_BACKOFF_MAX)
        self.retry_after_max = settings.getfloat("DV_RETRY_AFTER_MAX", defaults.DV_RETRY_AFTER_MAX)
        # all the waits of one URL together (issue 17: Retry-After 99999 held one URL 3 x 300 s)
        self.wait_max_per_url = settings.getfloat("DV_RETRY_WAIT_MAX_PER_URL", defaults.DV_RETRY_WAIT_MAX_PER_URL)

    def retry_delay(self, retry_times: int, retry_after: bytes | str | None = None) -> float:
        """Seconds to wait before the ``retry_times``-th retry."""
        server = parse_retry_after(retry_after)
        if server is not None:
            return min(server, self.retry_after_max)
        if self.backoff_base <= 0:
            return 0.0
        return min(self.backoff_base * 2 ** max(retry_times - 1, 0), self.backoff_max)

    async def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = parse_retry_after(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.retry_after_max:
            # The server wants longer than we wait: no retry in this run; the failure is recorded
            # (http_429 / http_503) and the next run tries the URL again.
            self.crawler.stats.inc_value("dv/retry/retry_after_too_long")
            return response
        waited = request.meta.get("dv_retry_waited", 0.0)
        delay = self.retry_delay(request.meta.get("retry_times", 0) + 1, response.headers.get(b"Retry-After"))
        if waited + delay > self.wait_max_per_url:
            self.crawler.stats.inc_value("dv/retry/wait_budget_spent")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        retry.meta["dv_retry_waited"] = waited + delay
        await self._wait(retry, response.headers.get(b"Retry-After"))
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await self._wait(retry, None)
        return retry

    async def _wait(self, retry, retry_after) -> None:
        delay = self.retry_delay(retry.meta.get("retry_times", 1), retry_after)
        if delay > 0:
            self.crawler.stats.inc_value("dv/retry/wait_seconds", round(delay, 3))
            await sleep(delay)
