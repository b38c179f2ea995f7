"""ParquetPipeline / ParquetSink: explicit schema, hive partitions, row groups, tmp + rename."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from dvscraper.dataset.layout import parquet_files
from dvscraper.dataset.outcomes import PageReject
from dvscraper.dataset.schemas import ARTICLE_SCHEMA, partition_of
from dvscraper.dataset.sink import ParquetSink
from dvscraper.records import ARTICLE_FIELDS
from pipelines.parquet import ParquetPipeline

SMALL = pa.schema([pa.field("k", pa.string()), pa.field("n", pa.int64())])


def test_schema_is_the_contract():
    assert tuple(ARTICLE_SCHEMA.names) == ARTICLE_FIELDS
    types = {f.name: f.type for f in ARTICLE_SCHEMA}
    assert types["published_at"] == pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    assert types["crawled_at"] == pa.timestamp("us", tz="UTC")
    assert types["read_count"] == pa.int64()
    assert types["word_count"] == pa.int32()
    assert types["event_date"] == pa.date32()
    assert types["images"] == pa.list_(pa.struct([pa.field("src", pa.string(), nullable=False),
                                                  pa.field("caption", pa.string()), pa.field("alt", pa.string())]))
    for name in ("breadcrumb", "headings", "authors"):
        assert types[name] == pa.list_(pa.string())


def test_partition_uses_local_month(make_article):
    # 2023-01-31 23:30 in Vietnam is still January there (2023-01-31 16:30 UTC).
    from dvscraper.normalize.dates import VN_TZ

    row = make_article(published_at=dt.datetime(2023, 1, 31, 23, 30, tzinfo=VN_TZ)).to_row()
    assert partition_of(row) == "dienbien.dcs.vn/year=2023/month=01"
    row = make_article(published_at=dt.datetime(2023, 1, 31, 17, 30, tzinfo=dt.timezone.utc)).to_row()
    assert partition_of(row) == "dienbien.dcs.vn/year=2023/month=02"  # 00:30 on 1 February, local


def test_pipeline_writes_typed_partitioned_rows(tmp_path, make_article, stats):
    pipeline = ParquetPipeline(tmp_path, run_id="r1", row_group_size=2, stats=stats)
    articles = [make_article(i) for i in range(5)]  # 20 days apart: Jan 2023 back to Oct 2022
    reject = PageReject(url="https://x/", reason="no title", stage="spider", at=dt.datetime.now(dt.timezone.utc))
    assert pipeline.process_item(reject) is reject  # other items pass through untouched
    for article in articles:
        assert pipeline.process_item(article) is article
    pipeline.close_spider()

    files = parquet_files(tmp_path / "articles")
    assert {f.parent.relative_to(tmp_path / "articles").as_posix() for f in files} == {
        f"dienbien.dcs.vn/year={m}" for m in ("2023/month=01", "2022/month=12", "2022/month=11", "2022/month=10")}
    assert all(f.name.startswith("part-r1-") and f.suffix == ".parquet" for f in files)
    assert not list(tmp_path.rglob("*.tmp"))
    assert stats.values["dv/articles_written"] == 5

    table = pads.dataset(tmp_path / "articles", format="parquet", partitioning="hive").to_table()
    for field in ARTICLE_SCHEMA:
        assert table.schema.field(field.name).type == field.type
    rows = {r["article_id"]: r for r in table.to_pylist()}
    for article in articles:
        row = rows[article.article_id]
        assert row["published_at"] == article.published_at
        assert row["published_at"].utcoffset() is not None
        assert row["read_count"] == article.read_count
        assert row["images"] == [{"src": "https://dienbien.dcs.vn/a.jpg", "caption": "Quang cảnh", "alt": None}]
        assert row["event_date"] == dt.date(2023, 1, 13)
    assert pq.ParquetFile(files[0]).metadata.row_group(0).column(0).compression == "ZSTD"


def test_nulls_keep_their_types(tmp_path, make_article):
    pipeline = ParquetPipeline(tmp_path, run_id="r1")
    pipeline.process_item(make_article(read_count=None, event_date=None, summary=None, category=None, images=[],
                                       byline=None, authors=[]))
    pipeline.close_spider()
    (path,) = parquet_files(tmp_path / "articles")
    schema = pq.read_schema(path)
    assert schema.field("read_count").type == pa.int64()
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("images").type == ARTICLE_SCHEMA.field("images").type


def test_row_groups_are_flushed_as_they_fill(tmp_path):
    sink = ParquetSink(tmp_path, SMALL, run_id="r", row_group_size=3)
    for n in range(7):
        sink.write({"k": "a", "n": n})
    assert sink.buffered_rows == 1  # two groups of 3 are already on disk
    (tmp,) = tmp_path.glob(".part-r-0.parquet.tmp")  # written under a hidden temporary name
    assert not list(tmp_path.glob("part-*.parquet"))
    assert pads.dataset(tmp_path, format="parquet").count_rows() == 0  # readers ignore the temporary file
    sink.close()
    (path,) = parquet_files(tmp_path)
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [3, 3, 1]
    assert not tmp.exists()


def test_buffers_are_bounded_across_partitions(tmp_path):
    sink = ParquetSink(tmp_path, SMALL, run_id="r", partition=lambda row: f"p={row['k']}", row_group_size=100,
                       max_buffered_rows=10)
    for n in range(95):
        sink.write({"k": str(n % 7), "n": n})
        assert sink.buffered_rows < 10
    sink.close()
    assert pads.dataset(tmp_path, format="parquet", partitioning="hive").count_rows() == 95


def test_files_roll_over_and_lru_closes(tmp_path):
    sink = ParquetSink(tmp_path, SMALL, run_id="r", partition=lambda row: f"k={row['k']}", row_group_size=2,
                       file_rows=4, max_open_files=2)
    for n in range(10):
        sink.write({"k": "a", "n": n})
    assert len(parquet_files(tmp_path)) == 2  # 4 + 4 rows closed, 2 rows still open
    sink.write({"k": "b", "n": 0})
    sink.write({"k": "b", "n": 1})
    sink.write({"k": "c", "n": 0})
    sink.write({"k": "c", "n": 1})  # a third partition: the least recently used file is closed
    assert len(sink._open) <= 2
    files = sink.close()
    assert sum(pq.ParquetFile(f).metadata.num_rows for f in files) == 14
    assert len(set(files)) == len(files)


def test_abort_leaves_only_complete_files(tmp_path):
    sink = ParquetSink(tmp_path, SMALL, run_id="r", row_group_size=2, file_rows=2)
    for n in range(5):
        sink.write({"k": "a", "n": n})
    sink.abort()
    files = parquet_files(tmp_path)
    assert len(files) == 2 and not list(tmp_path.rglob("*.tmp"))
    assert all(pq.read_table(f).num_rows == 2 for f in files)


def test_empty_run_writes_nothing(tmp_path):
    pipeline = ParquetPipeline(tmp_path, run_id="r1")
    pipeline.close_spider()
    assert not (tmp_path / "articles").exists() or not list((tmp_path / "articles").rglob("*"))


def test_bad_sizes_are_refused(tmp_path):
    with pytest.raises(ValueError):
        ParquetSink(tmp_path, SMALL, run_id="r", row_group_size=0)
