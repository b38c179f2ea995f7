"""RejectPipeline: rejected pages and failed fetches into ``rejects/`` and ``failures/``.

Both are Parquet (explicit schemas, tmp file + rename, like the articles) so one
line loads them: ``pd.read_parquet("output/rejects")``. Each record also bumps a
stats counter: ``dv/rejects/<reason_key>`` and ``dv/failures/<kind>``.
"""

from __future__ import annotations

from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.dataset.layout import OutputLayout
from dvscraper.dataset.outcomes import FetchFailure, PageReject, reason_key
from dvscraper.dataset.schemas import FAILURE_SCHEMA, REJECT_SCHEMA
from dvscraper.dataset.sink import ParquetSink


class RejectPipeline:
    """Writes ``PageReject`` and ``FetchFailure`` items; passes every other item on."""

    def __init__(self, out_dir: Path | str, *, run_id: str, row_group_size: int = defaults.DV_PARQUET_ROW_GROUP_SIZE,
                 stats=None):
        layout = OutputLayout(Path(out_dir))
        self.stats = stats
        self.rejects = ParquetSink(layout.rejects, REJECT_SCHEMA, run_id=run_id, row_group_size=row_group_size)
        self.failures = ParquetSink(layout.failures, FAILURE_SCHEMA, run_id=run_id, row_group_size=row_group_size)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.get("DV_OUTPUT_DIR"),
            run_id=settings.get("DV_RUN_ID"),
            row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", defaults.DV_PARQUET_ROW_GROUP_SIZE),
            stats=crawler.stats,
        )

    def process_item(self, item):
        if isinstance(item, PageReject):
            self.rejects.write(item.to_row())
            self._inc(f"dv/rejects/{reason_key(item.reason)}")
        elif isinstance(item, FetchFailure):
            self.failures.write(item.to_row())
            self._inc(f"dv/failures/{item.kind}")
        return item

    def close_spider(self) -> None:
        self.rejects.close()
        self.failures.close()

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)
