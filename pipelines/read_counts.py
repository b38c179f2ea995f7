"""ReadCountPipeline: one observation (article_id, crawled_at, read_count) per article seen.

Every valid ``Article`` a crawl fetches (new, or refetched by ``--refresh-read-counts``
or ``--full``) appends a row to ``<output>/read_counts/part-<run_id>-<n>.parquet``
(explicit schema, tmp file + rename, like the articles), so the growth of an
article's readership is a ``GROUP BY article_id ORDER BY crawled_at`` away::

    pd.read_parquet("output/read_counts", dtype_backend="pyarrow")

It sits before ``DedupePipeline`` and therefore closes *after* ``ParquetPipeline``
(Scrapy closes pipelines in reverse order): at close it compacts the article
partitions this run wrote a second row into (an article refetched), so
``articles/`` keeps one row per ``article_id``, the latest.
"""

from __future__ import annotations

from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.dataset.compact import compact_output
from dvscraper.dataset.layout import OutputLayout, read_article_ids
from dvscraper.dataset.schemas import READ_COUNT_SCHEMA, partition_of
from dvscraper.dataset.sink import ParquetSink
from dvscraper.records import Article
from pipelines.write_errors import WriteGuard


class ReadCountPipeline:
    def __init__(self, out_dir: Path | str, *, run_id: str, row_group_size: int = defaults.DV_PARQUET_ROW_GROUP_SIZE,
                 compact_on_close: bool = defaults.DV_COMPACT_ON_CLOSE, stats=None):
        self.out_dir = Path(out_dir)
        self.run_id = run_id
        self.stats = stats
        self.compact_on_close = compact_on_close
        self.sink = ParquetSink(OutputLayout(self.out_dir).read_counts, READ_COUNT_SCHEMA, run_id=run_id,
                                row_group_size=row_group_size)
        self.known_at_start: set[str] = set()
        self.seen: set[str] = set()
        self.replaced_partitions: set[str] = set()
        self.guard = WriteGuard(None, stats)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(settings.get("DV_OUTPUT_DIR"), run_id=settings.get("DV_RUN_ID"),
                   row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", defaults.DV_PARQUET_ROW_GROUP_SIZE),
                   compact_on_close=settings.getbool("DV_COMPACT_ON_CLOSE", defaults.DV_COMPACT_ON_CLOSE),
                   stats=crawler.stats)._bind(crawler)

    def _bind(self, crawler):
        self.guard.crawler = crawler
        return self

    def open_spider(self) -> None:
        self.known_at_start = read_article_ids(OutputLayout(self.out_dir).articles)

    def process_item(self, item):
        if not isinstance(item, Article) or item.article_id in self.seen:
            return item
        self.seen.add(item.article_id)
        self.guard.call("read_counts", self.sink.write, {"article_id": item.article_id, "crawled_at": item.crawled_at,
                         "read_count": item.read_count, "url": item.url, "published_at": item.published_at})
        self._inc("dv/read_counts_recorded")
        if item.article_id in self.known_at_start:
            self.replaced_partitions.add(partition_of({"published_at": item.published_at, "site": item.site}))
        return item

    def close_spider(self) -> None:
        self.guard.call("read_counts", self.sink.close)
        if self.stats is not None and self.replaced_partitions:  # a distributed crawl's last worker compacts these
            self.stats.set_value("dv/refetched_partitions", sorted(self.replaced_partitions))
        if self.compact_on_close and self.replaced_partitions:
            articles = OutputLayout(self.out_dir).articles
            only = {articles / key for key in self.replaced_partitions}
            report = self.guard.call("articles (compaction)", lambda: compact_output(self.out_dir, run_id=self.run_id,
                                                                                      only=only))
            if report is not None:
                self._inc("dv/compacted_partitions", report["partitions"])

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
