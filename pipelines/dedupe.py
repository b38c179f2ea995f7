"""DedupePipeline: one row per ``article_id``, within a run and across runs.

At open it reads the ``article_id`` column of what ``<output>/articles/`` already
holds; an article whose id is known (from an earlier run, or earlier in this run,
e.g. reached by two URLs that canonicalise the same) is skipped and counted as
``dv/duplicates_skipped``. Only the set of ids is kept in memory.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import DropItem

from dvscraper.dataset import OutputLayout, read_article_ids
from dvscraper.records import Article


class DedupePipeline:
    def __init__(self, out_dir: Path | str | None = None, *, known_ids: set[str] | None = None, stats=None):
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.seen: set[str] = set(known_ids or ())
        self.stats = stats
        self.preloaded = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("DV_OUTPUT_DIR"), stats=crawler.stats)

    def open_spider(self) -> None:
        if self.out_dir is not None:
            self.seen.update(read_article_ids(OutputLayout(self.out_dir).articles))
        self.preloaded = len(self.seen)
        if self.stats is not None:
            self.stats.set_value("dv/known_articles_at_start", self.preloaded)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.article_id in self.seen:
            if self.stats is not None:
                self.stats.inc_value("dv/duplicates_skipped")
            raise DropItem(f"duplicate article_id {item.article_id} ({item.url})", log_level="DEBUG")
        self.seen.add(item.article_id)
        return item
