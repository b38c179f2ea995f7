"""ParquetPipeline: typed article rows into ``<output>/articles/`` (``ARTICLE_SCHEMA``).

Partitioned by site (a folder named after the ``site`` column's value) and by the
local (Asia/Ho_Chi_Minh) year and month of ``published_at`` (hive):
``articles/dienbien.dcs.vn/year=2023/month=01/part-<run_id>-<n>.parquet``. The site
folder is not ``site=...``: pandas/pyarrow would then refuse the ``site`` column the
files hold ("Unable to merge: Field site has incompatible types"). Load it with one line::

    pd.read_parquet("output/articles", dtype_backend="pyarrow")  # keeps read_count int64
    pl.read_parquet("output/articles/**/*.parquet", hive_partitioning=True)
    duckdb.sql("SELECT * FROM read_parquet('output/articles/**/*.parquet', hive_partitioning=true)")
"""

from __future__ import annotations

from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.dataset.layout import OutputLayout, migrate_legacy_articles
from dvscraper.dataset.schemas import ARTICLE_SCHEMA, partition_of
from dvscraper.dataset.sink import ParquetSink
from dvscraper.records import Article
from pipelines.write_errors import WriteGuard


class ParquetPipeline:
    """Writes ``Article`` items; passes every other item on untouched."""

    def __init__(
        self,
        out_dir: Path | str,
        *,
        run_id: str,
        row_group_size: int = defaults.DV_PARQUET_ROW_GROUP_SIZE,
        file_rows: int = defaults.DV_PARQUET_FILE_ROWS,
        max_open_files: int = defaults.DV_PARQUET_MAX_OPEN_FILES,
        compression: str = defaults.DV_PARQUET_COMPRESSION,
        stats=None,
        crawler=None,
    ):
        self.layout = OutputLayout(Path(out_dir))
        self.stats = stats
        self.guard = WriteGuard(crawler, stats)  # a failed write fails the run (pipelines/write_errors.py)
        self.sink = ParquetSink(
            self.layout.articles,
            ARTICLE_SCHEMA,
            run_id=run_id,
            partition=partition_of,
            row_group_size=row_group_size,
            file_rows=file_rows,
            max_open_files=max_open_files,
            compression=compression,
        )

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.get("DV_OUTPUT_DIR"),
            run_id=settings.get("DV_RUN_ID"),
            row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", defaults.DV_PARQUET_ROW_GROUP_SIZE),
            file_rows=settings.getint("DV_PARQUET_FILE_ROWS", defaults.DV_PARQUET_FILE_ROWS),
            max_open_files=settings.getint("DV_PARQUET_MAX_OPEN_FILES", defaults.DV_PARQUET_MAX_OPEN_FILES),
            compression=settings.get("DV_PARQUET_COMPRESSION", defaults.DV_PARQUET_COMPRESSION),
            stats=crawler.stats,
            crawler=crawler,
        )

    def open_spider(self) -> None:
        """An output written before site partitions: its files move into their site's folder once."""
        moved = migrate_legacy_articles(self.layout.articles)
        if moved and self.stats is not None:
            self.stats.inc_value("dv/migrated_legacy_files", moved)

    def process_item(self, item):
        if isinstance(item, Article):
            self.guard.call(f"articles ({self.layout.articles})", self.sink.write, item.to_row())
            if self.stats is not None:
                self.stats.inc_value("dv/articles_written")
        return item

    def close_spider(self) -> None:
        files = self.guard.call(f"articles ({self.layout.articles})", self.sink.close)
        if files is None:
            self.guard.call("articles", self.sink.abort)
            files = self.sink.files_written
        if self.stats is not None:
            self.stats.inc_value("dv/files_written/articles", len(files))
            # what reached the disk, not what was handed over (a failed write loses its buffer)
            self.stats.set_value("dv/articles_written", self.sink.rows_committed)
