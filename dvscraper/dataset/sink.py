"""ParquetSink: rows in, complete Parquet files out, with flat memory.

- one explicit schema (never inferred from a batch);
- optional hive partitions (``year=2023/month=01``) chosen per row;
- rows are buffered per partition, turned into compact Arrow record batches every
  ``batch_rows`` rows (Python dicts weigh several times their Arrow form), and
  written as one row group when ``row_group_size`` rows are waiting, or when all
  buffers together hold ``max_buffered_rows`` (default: ``row_group_size``; then the
  largest goes), so memory stays flat however long the crawl;
- each file is written under a hidden temporary name (``.part-<run>-<n>.parquet.tmp``)
  and renamed to ``part-<run>-<n>.parquet`` when closed: after a kill the dataset
  holds only whole files. A file is closed when it reaches ``file_rows`` rows, when
  more than ``max_open_files`` are open (least recently used first), and at the end.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dvscraper import settings as defaults
from dvscraper.dataset.layout import TEMP_SUFFIX

Partitioner = Callable[[dict], str]


class _Buffer:
    """Rows of one partition waiting for their row group: a few dicts, then record batches."""

    __slots__ = ("batches", "rows", "size")

    def __init__(self):
        self.rows: list[dict] = []
        self.batches: list[pa.RecordBatch] = []
        self.size = 0


class _OpenFile:
    __slots__ = ("final", "rows", "tmp", "writer")

    def __init__(self, final: Path, tmp: Path, writer: pq.ParquetWriter):
        self.final = final
        self.tmp = tmp
        self.writer = writer
        self.rows = 0


class ParquetSink:
    def __init__(
        self,
        root: Path | str,
        schema: pa.Schema,
        *,
        run_id: str,
        partition: Partitioner | None = None,
        row_group_size: int = defaults.DV_PARQUET_ROW_GROUP_SIZE,
        max_buffered_rows: int | None = None,
        file_rows: int = defaults.DV_PARQUET_FILE_ROWS,
        max_open_files: int = defaults.DV_PARQUET_MAX_OPEN_FILES,
        compression: str = defaults.DV_PARQUET_COMPRESSION,
        batch_rows: int = 64,
    ):
        if row_group_size < 1 or file_rows < 1 or max_open_files < 1:
            raise ValueError("row_group_size, file_rows and max_open_files must be >= 1")
        self.root = Path(root)
        self.schema = schema
        self.run_id = run_id
        self.partition = partition
        self.row_group_size = row_group_size
        self.max_buffered_rows = max(max_buffered_rows or row_group_size, 1)
        self.file_rows = file_rows
        self.max_open_files = max_open_files
        self.compression = compression
        self.batch_rows = max(1, min(batch_rows, row_group_size))
        self._buffers: dict[str, _Buffer] = {}
        self._buffered = 0
        self._open: OrderedDict[str, _OpenFile] = OrderedDict()  # LRU: last used at the end
        self._next_file = 0
        self.rows_written = 0
        self.rows_committed = 0  # rows in files renamed to their final name: what is on disk
        self.files_written: list[Path] = []

    # -- public API -------------------------------------------------------------------------
    def write(self, row: dict) -> None:
        key = self.partition(row) if self.partition else ""
        buffer = self._buffers.get(key)
        if buffer is None:
            buffer = self._buffers[key] = _Buffer()
        buffer.rows.append(row)
        buffer.size += 1
        self._buffered += 1
        if len(buffer.rows) >= self.batch_rows:
            buffer.batches.append(pa.RecordBatch.from_pylist(buffer.rows, schema=self.schema))
            buffer.rows = []
        if buffer.size >= self.row_group_size:
            self._flush(key)
        elif self._buffered >= self.max_buffered_rows:
            self._flush(max(self._buffers, key=lambda k: self._buffers[k].size))

    def close(self) -> list[Path]:
        """Write what is buffered, close and rename every file; return the files written."""
        for key in list(self._buffers):
            self._flush(key)
        for key in list(self._open):
            self._finish(key)
        return list(self.files_written)

    def abort(self) -> None:
        """Drop buffered rows and delete unfinished temporary files (files already renamed stay)."""
        self._buffers.clear()
        self._buffered = 0
        for handle in self._open.values():
            try:
                handle.writer.close()
            finally:
                handle.tmp.unlink(missing_ok=True)
        self._open.clear()

    @property
    def buffered_rows(self) -> int:
        return self._buffered

    # -- internals --------------------------------------------------------------------------
    def _flush(self, key: str) -> None:
        buffer = self._buffers.pop(key, None)
        if buffer is None or not buffer.size:
            return
        self._buffered -= buffer.size
        batches = buffer.batches
        if buffer.rows:
            batches.append(pa.RecordBatch.from_pylist(buffer.rows, schema=self.schema))
        table = pa.Table.from_batches(batches, schema=self.schema)
        del buffer, batches
        start = 0
        while start < table.num_rows:
            handle = self._file_for(key)
            chunk = table.slice(start, self.file_rows - handle.rows)
            handle.writer.write_table(chunk, row_group_size=self.row_group_size)
            handle.rows += chunk.num_rows
            self.rows_written += chunk.num_rows
            start += chunk.num_rows
            if handle.rows >= self.file_rows:
                self._finish(key)

    def _file_for(self, key: str) -> _OpenFile:
        handle = self._open.get(key)
        if handle is not None:
            self._open.move_to_end(key)
            return handle
        while len(self._open) >= self.max_open_files:
            self._finish(next(iter(self._open)))
        folder = self.root / key if key else self.root
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{self.run_id}-{self._next_file}.parquet"
        self._next_file += 1
        final = folder / name
        tmp = folder / f".{name}{TEMP_SUFFIX}"
        writer = pq.ParquetWriter(tmp, self.schema, compression=self.compression)
        handle = _OpenFile(final, tmp, writer)
        self._open[key] = handle
        return handle

    def _finish(self, key: str) -> None:
        handle = self._open.pop(key)
        handle.writer.close()
        os.replace(handle.tmp, handle.final)
        self.files_written.append(handle.final)
        self.rows_committed += handle.rows
