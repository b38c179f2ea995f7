"""OutputGuardExtension: the output folder's lock and run state around every crawl.

Enabled in ``EXTENSIONS``, so ``dvscraper crawl``, ``scrapy crawl portal`` and a
Scrapyd job all get it. When the crawler is built (before any pipeline opens a file)
it takes ``<output>/.lock`` (unless ``dvscraper crawl`` already holds it:
``DV_LOCK_HELD``), deletes the ``.tmp`` leftovers of killed runs and marks the
state unfinished; when the spider closes (after the pipelines closed and renamed
their files) it records the finish reason in ``state.json`` and releases the lock.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import signals

from dvscraper.lock import OutputLock, clean_temp_files
from dvscraper.state import mark_finished, mark_started


class OutputGuardExtension:
    def __init__(self, output: Path, run_id: str | None, *, lock_held: bool, distributed: bool = False):
        self.output = Path(output)
        self.run_id = run_id
        self.removed = []
        if lock_held:  # `dvscraper crawl` took the lock and, when it was the first holder, cleaned up
            self.lock = None
            if not distributed:
                self.removed = clean_temp_files(self.output)
            return
        # A worker of a distributed crawl shares the folder with the others (dvscraper/lock.py):
        # only the first one in may delete temporary files, which are otherwise other workers' files.
        self.lock = OutputLock(self.output).acquire(shared=distributed)  # raises OutputLocked
        if self.lock.first:
            self.removed = clean_temp_files(self.output)
        if distributed:
            self.lock.share()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        ext = cls(Path(settings.get("DV_OUTPUT_DIR") or "output"), settings.get("DV_RUN_ID"),
                  lock_held=settings.getbool("DV_LOCK_HELD", False),
                  distributed=bool(settings.get("DV_REDIS_URL")))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        ext.crawler = crawler
        return ext

    def spider_opened(self, spider) -> None:
        self.run_id = self.crawler.settings.get("DV_RUN_ID") or self.run_id
        self.output = Path(self.crawler.settings.get("DV_OUTPUT_DIR") or self.output)
        if self.removed:
            self.crawler.stats.set_value("dv/temp_files_removed", len(self.removed))
        mark_started(self.output, self.run_id or "unknown")

    def spider_closed(self, spider, reason: str) -> None:
        try:
            mark_finished(self.output, self.run_id or "unknown", reason)
        finally:
            if self.lock is not None:
                self.lock.release()
