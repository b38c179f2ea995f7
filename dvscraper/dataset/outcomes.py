"""Crawl-side records that are not articles: a rejected page and a failed fetch.

They travel through the item pipelines like articles do, so every page the
crawl touched ends somewhere: ``articles/``, ``rejects/`` or ``failures/``.
``reason`` is the human text (``no readable meta time: '31/02/2023 ...'``);
``reason_key`` is its stable head, used for stats keys and summaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["WRITE_ERRORS", "WRITE_FAILED", "FetchFailure", "PageReject", "reason_key", "utc_now", "write_failed"]

# Where a record was turned away.
STAGE_SPIDER = "spider"  # the page is not an article (the parser said so)
STAGE_NORMALIZE = "normalize"  # to_article refused the raw fields
STAGE_VALIDATE = "validate"  # the typed record broke the contract
STAGE_DOWNLOAD = "download"  # the page could not be fetched


# A dataset write that failed (pipelines/write_errors.py counts them): the run's finish reason is
# WRITE_FAILED whatever Scrapy says (runs/summary.py, runs/output_guard.py), and the crawl exits 1.
WRITE_ERRORS = "dv/write_errors/"  # stats prefix: dv/write_errors/<what>
WRITE_FAILED = "write_failed"


def write_failed(stats: dict) -> bool:
    """Did any write of the run fail (a ``dv/write_errors/`` count in its stats)?"""
    return any(key.startswith(WRITE_ERRORS) and value for key, value in stats.items())


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def reason_key(reason: str) -> str:
    """The stable head of a reason: ``"no readable meta time: '31/02'"`` -> ``"no readable meta time"``."""
    head = reason.split(":", 1)[0].strip()
    return head or "unspecified"


@dataclass(frozen=True, slots=True, kw_only=True)
class PageReject:
    """A fetched page that gives no article row, and why."""

    url: str
    reason: str
    stage: str
    at: dt.datetime

    def to_row(self) -> dict:
        return {"url": self.url, "reason": self.reason, "reason_key": reason_key(self.reason),
                "stage": self.stage, "at": self.at}


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchFailure:
    """A request that gave no usable page: HTTP error after retries, timeout, DNS, non-HTML..."""

    url: str
    kind: str  # short stable code: http_404, timeout, dns, connection, non_html, robots, ...
    reason: str  # human text, e.g. "HTTP 404 Not Found"
    status: int | None = None  # HTTP status when there was a response
    stage: str = STAGE_DOWNLOAD
    at: dt.datetime

    def to_row(self) -> dict:
        return {"url": self.url, "kind": self.kind, "reason": self.reason, "status": self.status,
                "stage": self.stage, "at": self.at}
