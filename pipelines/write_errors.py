"""A dataset write that fails (read-only folder, disk full, ...) fails the run, loudly, once.

``WriteGuard.call(what, fn, *args)`` runs a write; an ``OSError`` (or an Arrow error wrapping one)
is logged as one line naming the folder and the reason, counted as ``dv/write_errors/<what>``,
and the spider is asked to close with reason ``write_failed`` (no point fetching pages whose rows
cannot be kept). ``RunSummaryExtension`` and ``OutputGuardExtension`` treat a run with any write
error as ``write_failed`` even when Scrapy says ``finished`` (the last rows are written when the
pipelines close, after Scrapy chose the reason; ``dvscraper.dataset.outcomes.write_failed``):
``dvscraper crawl`` exits 1 (``WriteFailed``), ``state.json`` does not record the run as finished,
and the summary's ``articles_written`` counts the rows in files that reached the disk.
"""

from __future__ import annotations

import logging

import pyarrow as pa
from scrapy.utils.defer import _schedule_coro

from dvscraper.dataset.outcomes import WRITE_ERRORS, WRITE_FAILED, write_failed

__all__ = ["WRITE_ERRORS", "WRITE_FAILED", "WriteGuard", "write_failed"]

logger = logging.getLogger(__name__)


def _is_write_error(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return True
    return isinstance(exc, pa.ArrowException) and not isinstance(exc, (pa.ArrowTypeError, pa.ArrowInvalid))


class WriteGuard:
    def __init__(self, crawler=None, stats=None):
        self.crawler = crawler
        self.stats = stats if stats is not None else getattr(crawler, "stats", None)
        self.failed = False

    def call(self, what: str, fn, *args):
        """``fn(*args)``; a write error -> None, recorded (see the module doc)."""
        try:
            return fn(*args)
        except Exception as exc:
            if not _is_write_error(exc):
                raise
            self.record(what, exc)
            return None

    def record(self, what: str, exc: BaseException) -> None:
        if self.stats is not None:
            self.stats.inc_value(WRITE_ERRORS + what)
        if self.failed:
            return
        self.failed = True
        where = getattr(exc, "filename", None)
        reason = getattr(exc, "strerror", None) or (str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        logger.error("cannot write %s%s: %s; the run fails (rows not on disk are not counted)", what,
                     f" to {where}" if where else "", reason)
        engine = getattr(self.crawler, "engine", None)
        slot = getattr(engine, "_slot", None)
        if slot is not None and getattr(slot, "closing", None):
            return  # closing already (the pipelines close last): the reason is fixed up at close
        if engine is not None and getattr(engine, "running", False):
            try:
                _schedule_coro(engine.close_spider_async(reason=WRITE_FAILED))
            except Exception:  # an engine already closing: the reason is fixed up at close anyway
                pass
