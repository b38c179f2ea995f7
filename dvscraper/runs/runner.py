"""The crawl runner: one crawl in this process, and what its summary says about it.

``crawl(params, overrides)`` runs ``CrawlerProcess(dvscraper.settings + overrides)`` with
``PortalSpider`` (the same configuration as ``scrapy crawl portal``), holding the output's
lock for the whole run, and returns the run summary (``runs/<run_id>.json``).
``check_summary(summary)`` raises the error the command exits with: ``CrawlFailed`` (1) for a
crawl that did not finish or fetched nothing, ``WriteFailed`` (1) for one whose rows could not all
be written, ``QualityAlarm`` (4) for a coverage breach.
"""

from __future__ import annotations

import json
import os
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from dvscraper.dataset.layout import OutputLayout, new_run_id
from dvscraper.dataset.lock import hold_output
from dvscraper.dataset.outcomes import WRITE_FAILED
from dvscraper.distributed.redact import install_log_filter
from dvscraper.errors import CrawlFailed, QualityAlarm, WriteFailed
from dvscraper.runs import summary as run_summary
from dvscraper.runs.quality import alarm_message
from dvscraper.runs.summary import format_summary
from dvscraper.spiders.params import CrawlParams
from dvscraper.spiders.portal import PortalSpider

FINISHED_REASONS = frozenset({"finished", "closespider_pagecount"})


def project_settings(overrides: dict | None = None):
    """``dvscraper.settings`` (or $SCRAPY_SETTINGS_MODULE) plus overrides at command-line priority."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "dvscraper.settings")
    settings = get_project_settings()
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def crawl(params: CrawlParams, overrides: dict | None = None) -> dict:
    """Run one crawl in this process (it starts the reactor: once per process) -> the run summary."""
    overrides = dict(overrides or {})
    overrides.setdefault("DV_RUN_ID", new_run_id())
    overrides["DV_OUTPUT_DIR"] = str(params.output)
    overrides["DV_LOCK_HELD"] = True  # taken here, so a second crawl is refused before Scrapy starts
    settings = project_settings(overrides)
    # A worker of a distributed crawl shares the folder with the crawl's other workers.
    lock = hold_output(params.output, shared=bool(settings.get("DV_REDIS_URL")))  # raises OutputLocked
    settings.set("DV_TEMP_FILES_REMOVED", len(lock.removed), priority="cmdline")  # for the run's stats
    for line in lock.quarantined:  # unreadable Parquet files moved to quarantine/
        print(f"dvscraper: {line}", file=sys.stderr, flush=True)
    try:
        process = CrawlerProcess(settings)
        install_log_filter()  # no password of a Redis URL in the log (Scrapy logs its overridden settings)
        process.crawl(PortalSpider, params=params)
        process.start()
    finally:
        lock.release()
    summary_file = OutputLayout(params.output).run_summary(settings.get("DV_RUN_ID"))
    try:
        return json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = run_summary.last_summary  # built in this process, but its file could not be written
        if last and last.get("run_id") == settings.get("DV_RUN_ID"):
            if last.get("finish_reason") in FINISHED_REASONS:
                last = {**last, "finish_reason": "summary_not_written"}  # a run without its record: failed
            return last
        raise CrawlFailed("the crawl did not start or did not finish (no run summary); see the log above") from None


def report(summary: dict) -> None:
    """Print the summary on stdout, then raise if the crawl failed or breached the coverage alarm."""
    print(format_summary(summary), flush=True)
    check_summary(summary)


def check_summary(summary: dict) -> None:
    """``CrawlFailed`` for a crawl that did not finish or fetched nothing; ``QualityAlarm`` for a breach."""
    reason = summary.get("finish_reason")
    if reason == WRITE_FAILED:
        what = ", ".join(f"{name} ({n})" for name, n in (summary.get("write_errors") or {}).items())
        raise WriteFailed(f"the crawl failed: rows could not be written ({what or 'see the log above'}); "
                          f"{summary.get('articles_written', 0)} articles reached the disk; not recorded as "
                          f"finished")
    if reason not in FINISHED_REASONS:
        raise CrawlFailed(f"crawl did not finish: {reason} (partial data kept; summary in "
                          f"{summary.get('summary_file')})")
    if not summary.get("pages_received"):
        failures = ", ".join(f"{kind} {n}" for kind, n in summary.get("failures", {}).items()) or "none recorded"
        starts = " ".join(summary.get("start_urls", []))
        raise CrawlFailed(f"no page could be fetched from {starts} (failures: {failures})")
    alarm = alarm_message(summary.get("quality"))
    if alarm:
        raise QualityAlarm(f"{alarm}; summary in {summary.get('summary_file')}")
