"""ARTICLE_SCHEMA and ParquetPipeline: typed article rows into ``<output>/articles/``.

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

import pyarrow as pa

from dvscraper.dataset import OutputLayout, migrate_legacy_articles, site_dir
from dvscraper.normalize.dates import VN_TZ
from dvscraper.records import ARTICLE_FIELDS, Article
from pipelines.sink import ParquetSink

IMAGE_TYPE = pa.struct(
    [pa.field("src", pa.string(), nullable=False), pa.field("caption", pa.string()), pa.field("alt", pa.string())]
)

ARTICLE_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("site", pa.string(), nullable=False),
        pa.field("title", pa.string(), nullable=False),
        pa.field("category", pa.string()),
        pa.field("breadcrumb", pa.list_(pa.string()), nullable=False),
        pa.field("published_at", pa.timestamp("us", tz="Asia/Ho_Chi_Minh"), nullable=False),
        pa.field("published_at_raw", pa.string()),
        pa.field("read_count", pa.int64()),
        pa.field("summary", pa.string()),
        pa.field("event_date", pa.date32()),
        pa.field("body_text", pa.string(), nullable=False),
        pa.field("headings", pa.list_(pa.string()), nullable=False),
        pa.field("images", pa.list_(IMAGE_TYPE), nullable=False),
        pa.field("byline", pa.string()),
        pa.field("authors", pa.list_(pa.string()), nullable=False),
        pa.field("source", pa.string()),
        pa.field("word_count", pa.int32(), nullable=False),
        pa.field("content_sha256", pa.string(), nullable=False),
        pa.field("crawled_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)
assert tuple(ARTICLE_SCHEMA.names) == ARTICLE_FIELDS, "schema columns must be the contract fields"


def partition_of(row: dict) -> str:
    """``dienbien.dcs.vn/year=2023/month=01``: the site, then the local publication month."""
    local = row["published_at"].astimezone(VN_TZ)
    return f"{site_dir(row['site'])}/year={local.year:04d}/month={local.month:02d}"


class ParquetPipeline:
    """Writes ``Article`` items; passes every other item on untouched."""

    def __init__(
        self,
        out_dir: Path | str,
        *,
        run_id: str,
        row_group_size: int = 1000,
        file_rows: int = 100_000,
        max_open_files: int = 16,
        compression: str = "zstd",
        stats=None,
        crawler=None,
    ):
        from pipelines.write_errors import WriteGuard

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
            row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", 1000),
            file_rows=settings.getint("DV_PARQUET_FILE_ROWS", 100_000),
            max_open_files=settings.getint("DV_PARQUET_MAX_OPEN_FILES", 16),
            compression=settings.get("DV_PARQUET_COMPRESSION", "zstd"),
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
