"""Compaction: each partition of ``articles/`` becomes one file with one row per ``article_id``.

Daily crawls add a file per touched month per run, and a refetched article (``--full``,
``--refresh-read-counts``) adds a newer row next to its old one. ``compact_partition``
reads a partition's complete files, keeps the row with the latest ``crawled_at`` per
``article_id``, writes it as ``.part-compact-<run_id>-0.parquet.tmp``, renames it to
``part-compact-<run_id>-0.parquet`` and only then deletes the files it replaced. A kill
at any point leaves whole files only: at worst the old files next to the new one
(duplicates, never a loss), which the next compaction removes. ``read_counts/`` is
compacted the same way (one file, exact duplicate observations dropped).

``dvscraper compact [OUTPUT]`` (``dvscraper.commands.compact``) compacts everything under
the output's lock; a crawl compacts the partitions it wrote duplicates into when it closes.
Files written before a column was added are conformed to the current schema (the column
reads as null), so a compaction of a folder that mixes old and new files keeps every row.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dvscraper import settings as defaults
from dvscraper.dataset.layout import TEMP_SUFFIX, OutputLayout, new_run_id, parquet_files
from dvscraper.dataset.schemas import ARTICLE_SCHEMA, READ_COUNT_SCHEMA, conform


def _read(files: list[Path], schema: pa.Schema | None) -> pa.Table:
    """The files as one table in ``schema`` (default: the first file's); files written before a
    column was added give it as nulls (``conform``)."""
    tables = [pq.ParquetFile(path).read() for path in files]
    if schema is None:
        schema = tables[0].schema
    return pa.concat_tables([conform(t, schema) for t in tables])


def latest_per_key(table: pa.Table, keys: list[str], order: str) -> pa.Table:
    """One row per ``keys`` value: the one with the greatest ``order`` (ties: the later row)."""
    if table.num_rows == 0:
        return table
    indexed = table.append_column("__i", pa.array(range(table.num_rows), pa.int64()))
    ranked = indexed.sort_by([(order, "ascending"), ("__i", "ascending")])
    ranked = ranked.append_column("__r", pa.array(range(ranked.num_rows), pa.int64()))
    last = ranked.group_by(keys).aggregate([("__r", "max")]).column("__r_max")
    kept = ranked.take(pc.take(last, pc.sort_indices(last))).drop_columns(["__i", "__r"])
    return kept


def needs_compaction(folder: Path, *, key: str = "article_id", max_files: int = 1) -> bool:
    files = [p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_"))]
    if len(files) > max_files:
        return True
    if not files:
        return False
    column = pq.ParquetFile(files[0]).read(columns=[key]).column(key)
    return len(pc.unique(column)) != len(column)


def compact_folder(folder: Path, *, keys: list[str], order: str, run_id: str,
                   schema: pa.Schema | None = None, sort: str | None = None) -> tuple[int, int]:
    """Rewrite the complete ``*.parquet`` files directly in ``folder`` as one -> (rows before, after)."""
    files = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_")))
    if not files:
        return 0, 0
    table = _read(files, schema)
    before = table.num_rows
    table = latest_per_key(table, keys, order)
    if sort:
        table = table.sort_by([(sort, "ascending")])
    name = f"part-compact-{run_id}-0.parquet"
    tmp = folder / f".{name}{TEMP_SUFFIX}"
    pq.write_table(table, tmp, compression=defaults.DV_PARQUET_COMPRESSION, row_group_size=10_000)
    os.replace(tmp, folder / name)
    for path in files:
        if path.name != name:
            path.unlink(missing_ok=True)
    return before, table.num_rows


def article_partitions(output: Path) -> list[Path]:
    return sorted({path.parent for path in parquet_files(OutputLayout(Path(output)).articles)})


def compact_output(output: Path, *, run_id: str | None = None, only: set[Path] | None = None,
                   force: bool = True) -> dict:
    """Compact ``articles/`` partitions (all, or ``only``) and ``read_counts/`` -> counts."""
    output = Path(output)
    run_id = run_id or new_run_id()
    report = {"partitions": 0, "rows_before": 0, "rows_after": 0, "read_counts_before": 0, "read_counts_after": 0}
    for folder in article_partitions(output):
        if only is not None and folder not in only:
            continue
        if not force and not needs_compaction(folder):
            continue
        before, after = compact_folder(folder, keys=["article_id"], order="crawled_at", run_id=run_id,
                                       schema=ARTICLE_SCHEMA, sort="published_at")
        report["partitions"] += 1
        report["rows_before"] += before
        report["rows_after"] += after
    counts = OutputLayout(output).read_counts
    if counts.is_dir() and only is None:
        before, after = compact_folder(counts, keys=["article_id", "crawled_at"], order="crawled_at",
                                       run_id=run_id, schema=READ_COUNT_SCHEMA, sort="crawled_at")
        report["read_counts_before"], report["read_counts_after"] = before, after
    return report
