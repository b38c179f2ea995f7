"""DedupePipeline: one row per ``article_id``, within a run and across runs.

At open it reads the ``article_id`` column of what ``<output>/articles/`` already
holds; an article whose id is known (from an earlier run, or earlier in this run,
e.g. reached by two URLs that canonicalise the same) is skipped and counted as
``dv/duplicates_skipped``. Only the set of ids is kept in memory.

With ``replace_known`` (``DV_REPLACE_KNOWN``, on in a crawl) an article known from an
*earlier* run passes (``dv/articles_replaced``): the spider fetched it again on purpose
(``--refresh-read-counts``, ``--full``) and its newer row replaces the old one when
``ReadCountPipeline`` compacts the partition at close. Twice in one run is still a duplicate.

In a distributed crawl (``DV_REDIS_URL``) "this run" is every worker's: the ids written in
the crawl are a Redis set (``dvscraper:<crawl>:article_ids``), and ``SADD`` answers
atomically whether another worker wrote the article already.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import DropItem

from dvscraper import settings as defaults
from dvscraper.dataset.layout import OutputLayout, read_article_ids
from dvscraper.distributed.coordination import CrawlKeys, connect
from dvscraper.records import Article


class DedupePipeline:
    def __init__(self, out_dir: Path | str | None = None, *, known_ids: set[str] | None = None, stats=None,
                 replace_known: bool = defaults.DV_REPLACE_KNOWN, shared=None):
        self.shared = shared  # (redis client, key) in a distributed crawl
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.replace_known = replace_known
        self.earlier: set[str] = set(known_ids or ())  # ids from earlier runs
        self.seen: set[str] = set(known_ids or ()) if not replace_known else set()
        self.stats = stats
        self.preloaded = 0

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        shared = None
        if settings.get("DV_REDIS_URL"):
            shared = (connect(settings.get("DV_REDIS_URL")), CrawlKeys(settings.get("DV_REDIS_CRAWL")).article_ids)
        return cls(settings.get("DV_OUTPUT_DIR"), stats=crawler.stats,
                   replace_known=settings.getbool("DV_REPLACE_KNOWN", defaults.DV_REPLACE_KNOWN), shared=shared)

    def open_spider(self) -> None:
        if self.out_dir is not None:
            self.earlier.update(read_article_ids(OutputLayout(self.out_dir).articles))
        if not self.replace_known:
            self.seen.update(self.earlier)
        self.preloaded = len(self.earlier)
        if self.stats is not None:
            self.stats.set_value("dv/known_articles_at_start", self.preloaded)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.article_id in self.seen or (self.shared is not None and not self._claim(item.article_id)):
            if self.stats is not None:
                self.stats.inc_value("dv/duplicates_skipped")
            raise DropItem(f"duplicate article_id {item.article_id} ({item.url})", log_level="DEBUG")
        self.seen.add(item.article_id)
        if item.article_id in self.earlier and self.stats is not None:
            self.stats.inc_value("dv/articles_replaced")
        return item

    def _claim(self, article_id: str) -> bool:
        """Distributed: True when no worker of the crawl wrote ``article_id`` before (atomic)."""
        client, key = self.shared
        return bool(client.sadd(key, article_id))
