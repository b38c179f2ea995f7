"""Schema evolution: files written before a column existed stay readable and compactable.

The checklist "where to add a field" in docs/ARCHITECTURE.md rests on these tests: a new
(nullable) column reads as null in older files, for compaction and for loading, and every
file and run summary says which schema version wrote it.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dvscraper.analysis.figures import load_output
from dvscraper.dataset import compact as compact_module
from dvscraper.dataset.compact import compact_output
from dvscraper.dataset.layout import OutputLayout, parquet_files
from dvscraper.dataset.schemas import (
    ARTICLE_SCHEMA,
    READ_COUNT_SCHEMA,
    SCHEMA_VERSION,
    conform,
    partition_of,
    schema_version,
)
from dvscraper.runs.summary import build_summary
from pipelines.parquet import ParquetPipeline

# What an older dvscraper wrote: the schema without two (nullable) columns added since, no version.
OLD_COLUMNS = [name for name in ARTICLE_SCHEMA.names if name not in ("source", "event_date")]
OLD_SCHEMA = pa.schema([ARTICLE_SCHEMA.field(name) for name in OLD_COLUMNS])


def _write_old(folder, rows: list[dict], name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{k: row[k] for k in OLD_COLUMNS} for row in rows], schema=OLD_SCHEMA)
    pq.write_table(table, folder / name)


def _mixed_output(tmp_path, make_article):
    """An output folder whose one partition holds an old file (2 articles) and a new one (2 articles,
    one of them a refetch of an old article with a later crawled_at)."""
    day = make_article(0).published_at  # one partition for all of them
    old = [make_article(0), make_article(1, published_at=day)]
    later = dt.datetime(2024, 2, 1, tzinfo=dt.timezone.utc)
    new = [make_article(1, published_at=day, crawled_at=later, read_count=9999, source="Báo Điện Biên Phủ"),
           make_article(2, published_at=day)]
    folder = OutputLayout(tmp_path).articles / partition_of(old[0].to_row())
    assert all(partition_of(a.to_row()) == partition_of(old[0].to_row()) for a in old + new)
    _write_old(folder, [a.to_row() for a in old], "part-20230101T000000Z-old000-0.parquet")
    pipeline = ParquetPipeline(tmp_path, run_id="20240201T000000Z-new000")
    for article in new:
        pipeline.process_item(article)
    pipeline.close_spider()
    return folder, old, new


def test_files_and_run_summaries_carry_the_schema_version(tmp_path, make_article):
    pipeline = ParquetPipeline(tmp_path, run_id="r1")
    pipeline.process_item(make_article(0))
    pipeline.close_spider()
    (written,) = parquet_files(OutputLayout(tmp_path).articles)
    assert schema_version(pq.read_schema(written)) == SCHEMA_VERSION
    assert schema_version(OLD_SCHEMA) == 1  # no metadata: a file from before versions
    summary = build_summary({}, run_id="r1", output=tmp_path, reason="finished",
                            started_at=dt.datetime.now(dt.timezone.utc), finished_at=dt.datetime.now(dt.timezone.utc),
                            duration_s=1.0)
    assert summary["schema_version"] == SCHEMA_VERSION


def test_conform_fills_missing_columns_with_nulls_and_drops_unknown_ones(make_article):
    row = make_article(0).to_row()
    old = pa.Table.from_pylist([{k: row[k] for k in OLD_COLUMNS}], schema=OLD_SCHEMA)
    old = old.append_column("dropped_since", pa.array(["x"]))
    table = conform(old, ARTICLE_SCHEMA)
    assert table.schema.names == ARTICLE_SCHEMA.names
    assert table.column("source").to_pylist() == [None]
    assert table.column("event_date").to_pylist() == [None]
    assert table.column("title").to_pylist() == [row["title"]]


def test_compaction_of_a_folder_mixing_old_and_new_files(tmp_path, make_article):
    folder, old, new = _mixed_output(tmp_path, make_article)
    assert len(list(folder.glob("*.parquet"))) == 2

    report = compact_output(tmp_path)

    assert (report["partitions"], report["rows_before"], report["rows_after"]) == (1, 4, 3)
    (compacted,) = folder.glob("*.parquet")
    table = pq.read_table(compacted)
    assert table.schema.names == ARTICLE_SCHEMA.names
    assert schema_version(table.schema) == SCHEMA_VERSION
    rows = {r["article_id"]: r for r in table.to_pylist()}
    assert set(rows) == {a.article_id for a in old + new}
    assert rows[old[0].article_id]["source"] is None  # an old row: the column added since reads as null
    assert rows[old[0].article_id]["event_date"] is None
    assert rows[old[0].article_id]["title"] == old[0].title
    refetched = rows[new[0].article_id]  # in both files: the later crawl's row wins
    assert (refetched["read_count"], refetched["source"]) == (9999, "Báo Điện Biên Phủ")
    assert rows[new[1].article_id]["event_date"] == new[1].event_date


def test_loading_a_folder_mixing_old_and_new_files(tmp_path, make_article):
    _mixed_output(tmp_path, make_article)
    articles = load_output(tmp_path).articles
    assert len(articles) == 4
    assert list(articles.columns) == ARTICLE_SCHEMA.names
    assert articles["source"].isna().sum() == 3  # two old rows and one new row without a source


def test_a_column_added_later_reads_as_null_in_current_files(tmp_path, make_article, monkeypatch):
    """The next schema change, rehearsed: compaction with a schema one nullable column longer."""
    pipeline = ParquetPipeline(tmp_path, run_id="r1")
    for index in range(3):
        pipeline.process_item(make_article(index, published_at=make_article(0).published_at))
    pipeline.close_spider()
    future = ARTICLE_SCHEMA.append(pa.field("reading_minutes", pa.int32()))
    monkeypatch.setattr(compact_module, "ARTICLE_SCHEMA", future)

    report = compact_output(tmp_path)

    assert report["rows_after"] == 3
    (compacted,) = parquet_files(OutputLayout(tmp_path).articles)
    table = pq.read_table(compacted)
    assert table.schema.names[-1] == "reading_minutes"
    assert table.column("reading_minutes").to_pylist() == [None, None, None]


@pytest.mark.parametrize("schema", [ARTICLE_SCHEMA, READ_COUNT_SCHEMA])
def test_only_nullable_columns_can_be_missing(schema):
    """A column older files lack reads as null, so only a nullable column can be added later; a file
    without one of the original, required columns is refused with its name."""
    required = next(f for f in schema if not f.nullable)
    others = pa.schema([f for f in schema if f.name != required.name])
    with pytest.raises(ValueError, match=required.name):
        conform(others.empty_table(), schema)
