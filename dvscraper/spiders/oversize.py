"""A body that grows past ``DOWNLOAD_MAXSIZE`` while it streams (no Content-Length, e.g. an endless
chunked response) is a non-retryable ``too_large`` failure, not a retryable ``cancelled`` one.

Scrapy cancels such a download with a bare ``CancelledError`` (the size is only in a log warning),
so the failure looked transient and every later run downloaded the 16 MB again. This extension
counts the bytes of each request (``bytes_received``) and marks the request
(``meta["dv_oversized"]``) once they pass the limit; ``PortalSpider.on_error`` records a marked
request as ``too_large``.
"""

from __future__ import annotations

from scrapy import signals

OVERSIZED = "dv_oversized"
_BYTES = "dv_bytes_received"


class OversizeExtension:
    def __init__(self, maxsize: int):
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        if ext.maxsize > 0:
            crawler.signals.connect(ext.bytes_received, signal=signals.bytes_received)
        return ext

    def bytes_received(self, data, request, spider=None) -> None:
        meta = request.meta
        total = meta.get(_BYTES, 0) + len(data)
        meta[_BYTES] = total
        if total > meta.get("download_maxsize", self.maxsize) > 0:
            meta[OVERSIZED] = True


def oversized(request) -> bool:
    return request is not None and bool(request.meta.get(OVERSIZED))
