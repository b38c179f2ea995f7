"""`dvscraper reparse WARC... [--output DIR]`: rebuild the datasets from raw archives, offline.

Every archived response goes through what a crawl does with it, minus the network:
``PortalSpider.parse_page`` decides what the page is (article, or a page that is
not one), requests it would follow are dropped, and the items go through the
pipelines of ``ITEM_PIPELINES`` in their order (normalize, validate, dedupe,
Parquet, rejects, ...), built from the project settings. ``crawled_at`` is the
record's ``WARC-Date``, so a re-parse reproduces the crawl's rows with the current
parser. A response with an HTTP error status becomes a ``FetchFailure``, like the
crawl's errback makes it; robots.txt is skipped. A run summary is written to
``<output>/runs/<run_id>.json`` with ``"reparsed_from"``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.misc import load_object

from dvscraper.dataset.layout import OutputLayout, new_run_id, write_json_atomic
from dvscraper.dataset.outcomes import FetchFailure, PageReject
from dvscraper.dataset.warc import ArchivedResponse, iter_archived_responses, warc_dir
from dvscraper.records import RawArticle
from dvscraper.runs.quality import judge_from_settings
from dvscraper.runs.runner import project_settings
from dvscraper.runs.summary import build_summary
from dvscraper.spiders.params import CrawlParams
from dvscraper.spiders.portal import PortalSpider


class _Stats:
    """The stats-collector calls pipelines make, over a dict."""

    def __init__(self):
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_value(self, key, default=None):
        return self.values.get(key, default)

    def max_value(self, key, value):
        self.values[key] = max(self.values.get(key, value), value)

    def min_value(self, key, value):
        self.values[key] = min(self.values.get(key, value), value)

    def get_stats(self):
        return dict(self.values)


def find_archives(paths: list[Path]) -> list[Path]:
    """WARC files named, or found in a named folder (``output/warc/`` or an output folder)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            folder = warc_dir(path) if (warc_dir(path)).is_dir() else path
            found += sorted(p for p in folder.glob("*.warc*") if not p.name.startswith("."))
        else:
            found.append(path)
    return found


def _call(method, spider):
    """``open_spider``/``close_spider`` with or without the (deprecated) spider argument."""
    if method is None:
        return None
    params = [p for p in inspect.signature(method).parameters.values() if p.default is inspect.Parameter.empty]
    return method(spider) if params else method()


def _response(archived: ArchivedResponse):
    headers = Headers([(k, v) for k, v in archived.headers])
    cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
    return cls(url=archived.url, status=archived.status, headers=headers, body=archived.body,
               request=Request(archived.url))


def reparse(archives: list[Path], output: Path, *, overrides: dict | None = None) -> dict:
    """Rebuild ``output``'s datasets from WARC files -> the run summary (also written to ``runs/``)."""
    run_id = new_run_id()
    settings = project_settings({**(overrides or {}), "DV_OUTPUT_DIR": str(output), "DV_RUN_ID": run_id})
    stats = _Stats()
    crawler = SimpleNamespace(settings=settings, stats=stats)
    pipelines = []
    for path, order in sorted(settings.getwithbase("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
        if order is None:
            continue
        cls = load_object(path)
        pipelines.append(cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls())
    started, t0 = dt.datetime.now(dt.timezone.utc), time.monotonic()
    spider = None
    for pipeline in pipelines:
        _call(getattr(pipeline, "open_spider", None), spider)
    try:
        for archived in iter_archived_responses(archives):
            if archived.url.rstrip("/").endswith("/robots.txt"):
                continue
            if spider is None:
                spider = PortalSpider(params=CrawlParams.parse(start_urls=[archived.url], output=output))
            stats.inc_value("response_received_count")
            stats.inc_value("dv/pages/received")
            for item in _items(spider, archived):
                stats.inc_value("dv/reparse/items")
                for pipeline in pipelines:
                    try:
                        item = pipeline.process_item(item)
                    except DropItem:
                        break
    finally:
        for pipeline in pipelines:
            _call(getattr(pipeline, "close_spider", None), spider)
    summary = build_summary(stats.get_stats(), run_id=run_id, output=output, reason="finished", started_at=started,
                            finished_at=dt.datetime.now(dt.timezone.utc), duration_s=time.monotonic() - t0,
                            params={"reparsed_from": [str(p) for p in archives]})
    summary["quality"] = judge_from_settings(stats.get_stats(), settings)
    write_json_atomic(OutputLayout(output).run_summary(run_id), summary)
    return summary


def _items(spider, archived: ArchivedResponse):
    """What the crawl's callbacks make of one archived response, stamped with its WARC-Date."""
    at = archived.at
    if archived.status >= 400:
        yield FetchFailure(url=archived.url, kind=f"http_{archived.status}", reason=f"HTTP {archived.status}",
                           status=archived.status, at=at)
        return
    spider.pages_seen = 0  # no page budget offline
    for out in spider.parse_page(_response(archived)):
        if isinstance(out, Request):
            continue
        if isinstance(out, RawArticle):
            yield replace(out, crawled_at=at)
        elif isinstance(out, (PageReject, FetchFailure)):
            yield replace(out, at=at)
        else:
            yield out
