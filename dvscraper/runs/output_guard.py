"""OutputGuardExtension: the output folder's lock and run state around every crawl.

Enabled in ``EXTENSIONS``, so ``dvscraper crawl``, ``scrapy crawl portal`` and a
Scrapyd job all get it. When the crawler is built (before any pipeline opens a file)
it takes ``<output>/.lock`` (unless ``dvscraper crawl`` already holds it:
``DV_LOCK_HELD``), deletes the ``.tmp`` leftovers of killed runs and marks the
state unfinished; when the spider closes (after the pipelines closed and renamed
their files) it records the finish reason in ``state.json`` and releases the lock. A worker
of a distributed crawl records ``finished`` only as the last worker of a crawl that lost none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals

from dvscraper import settings as defaults
from dvscraper.dataset.lock import hold_output
from dvscraper.dataset.outcomes import WRITE_FAILED, write_failed
from dvscraper.dataset.quarantine import log_warnings
from dvscraper.dataset.state import mark_finished, mark_started

logger = logging.getLogger(__name__)


class OutputGuardExtension:
    def __init__(self, output: Path, run_id: str | None, *, lock_held: bool, distributed: bool = False,
                 removed: int = 0):
        self.output = Path(output)
        self.run_id = run_id
        self.distributed = distributed
        # `dvscraper crawl` took the lock (and cleaned up) before Scrapy started: ``removed`` says what.
        self.lock = None if lock_held else hold_output(self.output, shared=distributed)  # raises OutputLocked
        self.removed = removed if lock_held else len(self.lock.removed)
        if self.lock is not None and self.lock.quarantined:
            log_warnings(self.lock.quarantined)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        ext = cls(Path(settings.get("DV_OUTPUT_DIR") or defaults.DV_OUTPUT_DIR), settings.get("DV_RUN_ID"),
                  lock_held=settings.getbool("DV_LOCK_HELD", defaults.DV_LOCK_HELD),
                  distributed=bool(settings.get("DV_REDIS_URL")),
                  removed=settings.getint("DV_TEMP_FILES_REMOVED", defaults.DV_TEMP_FILES_REMOVED))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        ext.crawler = crawler
        return ext

    def spider_opened(self, spider) -> None:
        self.run_id = self.crawler.settings.get("DV_RUN_ID") or self.run_id
        self.output = Path(self.crawler.settings.get("DV_OUTPUT_DIR") or self.output)
        if self.removed:
            self.crawler.stats.set_value("dv/temp_files_removed", self.removed)
        try:
            mark_started(self.output, self.run_id or "unknown")
        except OSError as exc:  # disk full, read-only folder: one line (the writes fail the run later)
            logger.error("cannot write %s: %s", self.output / "state.json", exc.strerror or exc)

    def spider_closed(self, spider, reason: str) -> None:
        if write_failed(self.crawler.stats.get_stats()):  # rows lost: the run is not finished
            reason = WRITE_FAILED
        if self.distributed and reason == "finished" and not self.crawler.stats.get_value("dv/crawl_finished"):
            # One worker's share is done; whether the crawl is, only its last worker knows
            # (DistributedCrawlExtension, which closes first): until it says so, not finished.
            reason = "worker_finished"
        try:
            mark_finished(self.output, self.run_id or "unknown", reason)
        except OSError as exc:
            logger.error("cannot write %s: %s", self.output / "state.json", exc.strerror or exc)
        finally:
            if self.lock is not None:
                self.lock.release()
