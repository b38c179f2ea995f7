"""The run summary: counts of one crawl, saved as ``<output>/runs/<run_id>.json`` and printed.

``RunSummaryExtension`` (a Scrapy extension) builds it from the crawl stats when
the spider closes (after the pipelines have closed, so every file is renamed and
every counter final) and writes it atomically. ``dvscraper crawl`` prints it with
``format_summary``; later runs (incremental crawls, reports) can read the JSONs.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

from scrapy import signals

from dvscraper import settings as defaults
from dvscraper.dataset.layout import OutputLayout, write_json_atomic
from dvscraper.dataset.outcomes import WRITE_ERRORS, WRITE_FAILED, write_failed
from dvscraper.dataset.schemas import SCHEMA_VERSION
from dvscraper.runs.quality import format_quality, judge_from_settings

logger = logging.getLogger(__name__)

LOAD_HINT = {
    "pandas": 'pd.read_parquet("{articles}", dtype_backend="pyarrow")',
    "polars": 'pl.read_parquet("{articles}/**/*.parquet", hive_partitioning=True)',
    "duckdb": "duckdb.sql(\"SELECT * FROM read_parquet('{articles}/**/*.parquet', hive_partitioning=true)\")",
}


def _prefixed(stats: dict, prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def build_summary(stats: dict, *, run_id: str, output: Path, reason: str, started_at: dt.datetime,
                  finished_at: dt.datetime, duration_s: float, params: dict | None = None) -> dict:
    if write_failed(stats):  # rows that could not be written: never a finished run
        reason = WRITE_FAILED
    layout = OutputLayout(output.resolve())
    rejects = _prefixed(stats, "dv/rejects/")
    failures = _prefixed(stats, "dv/failures/")
    pages = int(stats.get("response_received_count", 0))
    articles = int(stats.get("dv/articles_written", 0))
    return {
        "run_id": run_id,
        "schema_version": SCHEMA_VERSION,  # of the Parquet files this run wrote (dvscraper.dataset.schemas)
        "finish_reason": reason,
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "duration_s": round(duration_s, 3),
        **(params or {}),
        "pages_fetched": pages,
        "pages_received": int(stats.get("dv/pages/received", 0)),
        "requests_sent": int(stats.get("downloader/request_count", 0)),
        "articles_written": articles,
        "duplicates_skipped": int(stats.get("dv/duplicates_skipped", 0)),
        "out_of_range_skipped": int(stats.get("dv/skipped/out_of_range", 0)),
        "rejects_total": sum(rejects.values()),
        "rejects": rejects,
        "failures_total": sum(failures.values()),
        "failures": failures,
        "retries": int(stats.get("retry/count", 0)),
        "write_errors": _prefixed(stats, WRITE_ERRORS),
        "known_articles_at_start": int(stats.get("dv/known_articles_at_start", 0)),
        "known_skipped": int(stats.get("dv/skipped/known", 0)),  # incremental: not fetched again
        "listings_stopped_at_known": int(stats.get("dv/listings/stopped_at_known", 0)),
        "articles_replaced": int(stats.get("dv/articles_replaced", 0)),  # refetched, newer row kept
        "read_counts_recorded": int(stats.get("dv/read_counts_recorded", 0)),
        "retried_from_earlier_runs": int(stats.get("dv/retried_from_earlier_runs", 0)),
        "pages_per_s": round(pages / duration_s, 2) if duration_s > 0 else None,
        "articles_per_s": round(articles / duration_s, 2) if duration_s > 0 else None,
        "output": str(layout.root),
        "datasets": {
            "articles": str(layout.articles),
            "rejects": str(layout.rejects),
            "failures": str(layout.failures),
        },
        "summary_file": str(layout.run_summary(run_id)),
        # --redis: this run is one worker of a distributed crawl (dvscraper/distributed/)
        "distributed": ({"crawl": stats["dv/redis_crawl"], "worker": stats.get("dv/worker_id"),
                         "host_limit_waits": int(stats.get("dv/host_limit/waited", 0))}
                        if stats.get("dv/redis_crawl") else None),
    }


def format_summary(summary: dict) -> str:
    """A short human report of a run summary."""
    lines = [
        f"run {summary['run_id']}: {summary['finish_reason']} in {summary['duration_s']:.1f}s",
        f"  pages fetched:      {summary['pages_fetched']} ({summary['requests_sent']} requests,"
        f" {summary['retries']} retries)",
        f"  articles written:   {summary['articles_written']}",
        f"  duplicates skipped: {summary['duplicates_skipped']}",
        f"  known, not fetched: {summary.get('known_skipped', 0)} (listings stopped early: "
        f"{summary.get('listings_stopped_at_known', 0)}; refetched: {summary.get('articles_replaced', 0)})",
    ]
    if summary.get("distributed"):
        lines.append(f"  worker {summary['distributed']['worker']} of distributed crawl "
                     f"{summary['distributed']['crawl']} (its share only; other workers report theirs)")
    if summary.get("out_of_range_skipped"):
        lines.append(f"  outside --since/--until: {summary['out_of_range_skipped']}")
    if summary.get("write_errors"):
        lines.append(f"  WRITE ERRORS:       {sum(summary['write_errors'].values())} (rows not on disk are not "
                     f"counted above)")
    lines.append(f"  rejects:            {summary['rejects_total']}")
    lines += [f"    {count:6d}  {reason}" for reason, count in summary["rejects"].items()]
    lines.append(f"  failures:           {summary['failures_total']}")
    lines += [f"    {count:6d}  {kind}" for kind, count in summary["failures"].items()]
    lines += format_quality(summary.get("quality"))
    articles = summary["datasets"]["articles"]
    lines += [
        f"  data:     {articles}",
        f"  rejects:  {summary['datasets']['rejects']}",
        f"  failures: {summary['datasets']['failures']}",
        f"  summary:  {summary['summary_file']}",
        "load it:",
    ]
    lines += [f"  {name:7s} {hint.format(articles=articles)}" for name, hint in LOAD_HINT.items()]
    return "\n".join(lines)


last_summary: dict | None = None  # the last summary built in this process (its file may be unwritable)


class RunSummaryExtension:
    def __init__(self, crawler):
        self.crawler = crawler
        self.started_at = dt.datetime.now(dt.timezone.utc)
        self._t0 = time.monotonic()
        self.summary: dict | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.started_at = dt.datetime.now(dt.timezone.utc)
        self._t0 = time.monotonic()

    def spider_closed(self, spider, reason: str) -> None:
        settings = self.crawler.settings
        params = getattr(spider, "params", None)
        output = Path(settings.get("DV_OUTPUT_DIR") or defaults.DV_OUTPUT_DIR)
        run_id = settings.get("DV_RUN_ID") or "unknown"
        described = {}
        if params is not None:
            described = {
                "start_urls": list(params.start_urls),
                "sites": list(getattr(params, "site_names", [])),
                "since": params.since.isoformat() if params.since else None,
                "until": params.until.isoformat() if params.until else None,
                "max_pages": params.max_pages,
            }
        self.summary = build_summary(
            self.crawler.stats.get_stats(),
            run_id=run_id,
            output=output,
            reason=reason,
            started_at=self.started_at,
            finished_at=dt.datetime.now(dt.timezone.utc),
            duration_s=time.monotonic() - self._t0,
            params=described,
        )
        self.summary["quality"] = judge_from_settings(self.crawler.stats.get_stats(), settings)
        global last_summary
        last_summary = self.summary
        try:
            write_json_atomic(OutputLayout(output).run_summary(run_id), self.summary)
        except OSError as exc:  # disk full, read-only runs/: one line, no traceback from the signal handler
            self.summary["summary_file"] = None
            logger.error("cannot write the run summary to %s: %s", OutputLayout(output).runs, exc.strerror or exc)
