"""RejectPipeline: rejected pages and failed fetches into ``rejects/`` and ``failures/``.

Both are Parquet (explicit schemas, tmp file + rename, like the articles) so one
line loads them: ``pd.read_parquet("output/rejects")``. Each record also bumps a
stats counter: ``dv/rejects/<reason_key>`` and ``dv/failures/<kind>``. A failed write fails the
run (``pipelines/write_errors.py``); a failure's URL is stored without its userinfo.
"""

from __future__ import annotations

from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.dataset.layout import OutputLayout
from dvscraper.dataset.outcomes import FetchFailure, PageReject, reason_key
from dvscraper.dataset.schemas import FAILURE_SCHEMA, REJECT_SCHEMA
from dvscraper.dataset.sink import ParquetSink
from dvscraper.distributed.redact import mask_secrets
from dvscraper.sites.hosts import strip_userinfo
from pipelines.write_errors import WriteGuard


class RejectPipeline:
    """Writes ``PageReject`` and ``FetchFailure`` items; passes every other item on."""

    def __init__(self, out_dir: Path | str, *, run_id: str, row_group_size: int = defaults.DV_PARQUET_ROW_GROUP_SIZE,
                 stats=None, crawler=None):
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
            row_group_size=settings.getint("DV_PARQUET_ROW_GROUP_SIZE", defaults.DV_PARQUET_ROW_GROUP_SIZE),
            stats=crawler.stats,
            crawler=crawler,
        )

    def process_item(self, item):
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
