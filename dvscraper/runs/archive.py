"""WarcArchiveExtension: with ``--archive`` (``DV_ARCHIVE``), every response into a WARC file.

Each response Scrapy receives (``response_received``: after retries and redirects, error
pages and robots.txt included) becomes a WARC ``response`` record of
``<output>/warc/<run_id>.warc.gz`` (``dvscraper.dataset.warc.WarcWriterFile``), renamed
into place when the crawl closes. ``dvscraper reparse`` reads them back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

from dvscraper import settings as defaults
from dvscraper.dataset.warc import WarcWriterFile, warc_dir


class WarcArchiveExtension:
    def __init__(self, output: Path | str, run_id: str, stats=None):
        self.path = warc_dir(Path(output)) / f"{run_id}.warc.gz"
        self.stats = stats
        self.archive: WarcWriterFile | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("DV_ARCHIVE"):
            raise NotConfigured
        ext = cls(settings.get("DV_OUTPUT_DIR") or defaults.DV_OUTPUT_DIR, settings.get("DV_RUN_ID") or "unknown",
                  stats=crawler.stats)
        ext.crawler = crawler
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None) -> None:
        # the run id and output are final once the spider pushed its settings
        settings = self.crawler.settings
        output = Path(settings.get("DV_OUTPUT_DIR") or defaults.DV_OUTPUT_DIR)
        self.path = warc_dir(output) / f"{settings.get('DV_RUN_ID')}.warc.gz"
        self.archive = WarcWriterFile(self.path)

    def response_received(self, response, request=None, **kwargs) -> None:
        if self.archive is None:
            return
        self.archive.write_response(response.url, response.status, response.headers, response.body,
                                    dt.datetime.now(dt.timezone.utc))
        if self.stats is not None:
            self.stats.inc_value("dv/archive/records")

    def spider_closed(self, spider=None, reason: str | None = None) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None
