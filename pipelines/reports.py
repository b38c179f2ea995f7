"""ReportPipeline: rejected pages and failed fetches into ``rejects/`` and ``failures/``.

Both are Parquet (explicit schemas, tmp file + rename, like the articles) so one
line loads them: ``pd.read_parquet("output/rejects")``. Each record also bumps a
stats counter: ``dv/rejects/<reason_key>`` and ``dv/failures/<kind>``.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dvscraper.dataset import OutputLayout
from dvscraper.items import FetchFailure, PageReject, reason_key
from pipelines.sink import ParquetSink

REJECT_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("reason_key", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

FAILURE_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("status", pa.int32()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


class ReportPipeline:
    """Writes ``PageReject`` and ``FetchFailure`` items; passes every other item on."""

    def __init__(self, out_dir: Path | str, *, run_id: str, row_group_size: int = 1000, stats=None, crawler=None):
        from pipelines.write_errors import WriteGuard

        layout = OutputLayout(Path(out_dir))
        self.stats = stats
        self.guard = WriteGuard(crawler, stats)
        self.rejects = ParquetSink(layout.rejects, REJECT_SCHEMA, run_id=run_id, row_group_size=row_group_size)
        self.failures = ParquetSink(layout.failures, FAILURE_SCHEMA, run_id=run_id, row_group_size=row_group_size)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.get("DV_OUTPUT_DIR"),
            run_id=settings.get("DV_RUN_ID"),
            row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", 1000),
            stats=crawler.stats,
            crawler=crawler,
        )

    def process_item(self, item):
        from dvscraper.redact import mask_secrets, strip_userinfo

        if isinstance(item, PageReject):
            self.guard.call("rejects", self.rejects.write, item.to_row())
            self._inc(f"dv/rejects/{reason_key(item.reason)}")
        elif isinstance(item, FetchFailure):
            row = item.to_row()  # no user:password of a URL on disk
            row.update(url=strip_userinfo(row["url"]), reason=mask_secrets(row["reason"]))
            self.guard.call("failures", self.failures.write, row)
            self._inc(f"dv/failures/{item.kind}")
        return item

    def close_spider(self) -> None:
        self.guard.call("rejects", self.rejects.close)
        self.guard.call("failures", self.failures.close)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
