"""ProgressExtension: how far a crawl has got, while it runs.

On a terminal (stderr is a TTY) a live rich progress line: pages fetched, articles
written, rejects, failures, pages/s, elapsed, and a bar with an ETA when
``--max-pages`` bounds the crawl. Elsewhere (cron, Scrapyd, a pipe) a plain line
every ``DV_PROGRESS_INTERVAL`` seconds, and one at the end::

    dvscraper progress: 120 pages (11.8/s), 80 articles, 0 rejects, 2 failures, elapsed 0:00:10, ETA 0:00:30

The line goes to stderr (stdout carries the run summary). ``DV_PROGRESS``:
``auto`` (default), ``log`` (plain lines even on a terminal), ``off``.
"Rejects" are article pages refused by normalize/validate (``dv/quality/rejected_articles``),
not the listings and other pages that are not articles.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

from dvscraper import settings as defaults
from dvscraper.runs.console_log import log_through, restore
from dvscraper.runs.quality import REJECTED_ARTICLES


def progress_figures(stats: dict, elapsed: float, max_pages: int | None = None) -> dict:
    pages = int(stats.get("response_received_count", 0))
    rate = pages / elapsed if elapsed > 0 else 0.0
    eta = None
    if max_pages and rate > 0:
        eta = max(max_pages - pages, 0) / rate
    return {
        "pages": pages,
        "articles": int(stats.get("dv/articles_written", 0)),
        "rejects": int(stats.get(REJECTED_ARTICLES, 0)),
        "failures": sum(int(v) for k, v in stats.items() if k.startswith("dv/failures/")),
        "rate": rate,
        "elapsed": elapsed,
        "eta": eta,
    }


def _clock(seconds: float) -> str:
    return str(dt.timedelta(seconds=int(seconds)))


def format_progress(figures: dict, *, done: bool = False) -> str:
    line = (f"dvscraper progress: {figures['pages']} pages ({figures['rate']:.1f}/s), "
            f"{figures['articles']} articles, {figures['rejects']} rejects, {figures['failures']} failures, "
            f"elapsed {_clock(figures['elapsed'])}")
    if done:
        return line + ", done"
    if figures["eta"] is not None:
        line += f", ETA {_clock(figures['eta'])}"
    return line


class ProgressExtension:
    def __init__(self, crawler, *, mode: str = defaults.DV_PROGRESS, interval: float = defaults.DV_PROGRESS_INTERVAL,
                 max_pages: int | None = None,
                 stream=None):
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.live = mode == "auto" and _isatty(self.stream)
        self.interval = 0.5 if self.live else max(interval, 0.05)
        self.max_pages = max_pages
        self._t0 = time.monotonic()
        self._loop = None
        self._progress = None
        self._task = None
        self._logs: list = []  # log handlers printing through the live console (runs/console_log.py)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        mode = str(settings.get("DV_PROGRESS", defaults.DV_PROGRESS)).lower()
        if mode in ("off", "0", "false", "none"):
            raise NotConfigured
        max_pages = settings.getint("CLOSESPIDER_PAGECOUNT") or settings.getint("DV_MAX_PAGES") or None
        interval = settings.getfloat("DV_PROGRESS_INTERVAL", defaults.DV_PROGRESS_INTERVAL)
        ext = cls(crawler, mode=mode, interval=interval, max_pages=max_pages)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def figures(self) -> dict:
        return progress_figures(self.crawler.stats.get_stats(), time.monotonic() - self._t0, self.max_pages)

    def spider_opened(self, spider) -> None:
        from twisted.internet import task

        self._t0 = time.monotonic()
        # max_pages may only be known now (PortalSpider pushes CLOSESPIDER_PAGECOUNT in from_crawler)
        self.max_pages = self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT") or self.max_pages
        if self.live:
            self._start_live()
        self._loop = task.LoopingCall(self.tick)
        self._loop.start(self.interval, now=False)

    def tick(self) -> None:
        figures = self.figures()
        if self._progress is not None:
            self._progress.update(self._task, completed=figures["pages"], **_fields(figures, self.max_pages))
        else:
            self._write(format_progress(figures))

    def spider_closed(self, spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        figures = self.figures()
        if self._progress is not None:
            self._progress.update(self._task, completed=figures["pages"], **_fields(figures, self.max_pages))
            self._progress.stop()
            restore(self._logs)
        else:
            self._write(format_progress(figures, done=True))

    # -- output -------------------------------------------------------------------------------
    def _write(self, line: str) -> None:
        try:
            print(line, file=self.stream, flush=True)
        except (OSError, ValueError):
            pass

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        console = Console(file=self.stream)
        columns = []
        if self.max_pages and console.width >= 110:  # a bar only where the figures still fit
            columns.append(BarColumn(bar_width=16))
        columns.append(TextColumn("{task.fields[line]}"))
        self._progress = Progress(*columns, console=console, transient=False)
        self._task = self._progress.add_task("crawl", total=self.max_pages, completed=0,
                                             **_fields(progress_figures({}, 0.0), self.max_pages))
        self._progress.start()
        self._logs = log_through(console, self.stream)  # log records above the live line, not through it


def _fields(figures: dict, max_pages: int | None = None) -> dict:
    """The live line, compact enough for 80 columns."""
    pages = f"{figures['pages']}/{max_pages}" if max_pages else str(figures["pages"])
    line = (f"{pages} pages ({figures['rate']:.0f}/s), {figures['articles']} articles, {figures['rejects']} rejects,"
            f" {figures['failures']} failures, {_clock(figures['elapsed'])}")
    if figures["eta"] is not None:
        line += f", ETA {_clock(figures['eta'])}"
    return {"line": line}


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
