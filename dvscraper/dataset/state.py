"""What an incremental crawl knows before it starts, read from the output folder only.

- ``known`` article ids come from ``articles/`` (the ``article_id`` column);
- ``output/state.json`` (written atomically) says whether the last crawl on this
  output *finished*. A crawl marks it unfinished when it opens and finished when it
  closes with reason ``finished``. After an unfinished (killed, crashed) crawl the
  next one still skips known articles but pages every listing to its end: the
  "stop at a page with nothing new" rule is only sound when the pages past it were
  crawled before.

``CrawlPlan`` is what the spider asks: is this teaser URL worth fetching, and may a
listing stop here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from dvscraper.dataset.layout import OutputLayout, parquet_files, read_article_ids, write_json_atomic
from dvscraper.dataset.state_file import load_state
from dvscraper.normalize.urls import article_id


def state_path(output: Path) -> Path:
    return OutputLayout(Path(output)).state


def read_state(output: Path) -> dict:
    return load_state(state_path(output))  # a bad file is moved aside with a warning (issue 17)


def mark_started(output: Path, run_id: str) -> None:
    state = read_state(output)
    state.update(running_run_id=run_id, last_run_finished=False)
    write_json_atomic(state_path(output), state)


def mark_finished(output: Path, run_id: str, reason: str) -> None:
    state = read_state(output)
    finished = reason == "finished"
    state.update(running_run_id=None, last_run_id=run_id, last_run_finished=finished, last_reason=reason)
    if finished:
        state["last_finished_run_id"] = run_id
        state["last_finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
    write_json_atomic(state_path(output), state)


def id_of(url: str) -> str | None:
    try:
        return article_id(url)
    except ValueError:
        return None


@dataclass(slots=True)
class CrawlPlan:
    """Incremental decisions. ``full``: fetch everything; ``refresh_since``: refetch known articles
    published at or after it; ``stop_when_known``: a listing page holding only known teasers ends
    that listing's paging."""

    known: set[str] = field(default_factory=set)
    full: bool = False
    refresh_since: dt.datetime | None = None
    stop_when_known: bool = True
    retry: list[str] = field(default_factory=list)  # transient failures of earlier runs, still missing

    @classmethod
    def load(cls, output: Path, *, full: bool = False, refresh_days: float | None = None,
             now: dt.datetime | None = None) -> CrawlPlan:
        known = set() if full else read_article_ids(OutputLayout(Path(output)).articles)
        refresh_since = None
        if refresh_days is not None and refresh_days > 0:
            now = now or dt.datetime.now(dt.timezone.utc)
            refresh_since = now - dt.timedelta(days=float(refresh_days))
        # Paging may stop early only when the previous crawl got to the end of every listing.
        state = read_state(Path(output))
        stop = bool(known) and bool(state.get("last_run_finished", False))
        retry = retry_urls(Path(output), known) if known else []
        return cls(known=known, full=full, refresh_since=refresh_since, stop_when_known=stop, retry=retry)

    def is_known(self, url: str) -> bool:
        return bool(self.known) and id_of(url) in self.known

    def wants(self, url: str, published_at: dt.datetime | None) -> bool:
        """Fetch this article URL? New ones always; known ones only inside the refresh window."""
        if not self.is_known(url):
            return True
        return self.in_refresh_window(published_at)

    def in_refresh_window(self, published_at: dt.datetime | None) -> bool:
        try:
            return self.refresh_since is not None and published_at is not None and published_at >= self.refresh_since
        except OverflowError:  # a teaser dated next to year 1 or 9999: not worth a refetch
            return False


# Failures worth another try in a later crawl (the server or the network may have recovered).
RETRYABLE_KINDS = ("timeout", "dns", "connection_refused", "connection", "data_loss", "cancelled")


def retry_urls(output: Path, known: set[str], *, limit: int = 10_000) -> list[str]:
    """URLs that failed for a transient reason in the runs since the last finished one, not in the
    dataset since: an incremental crawl that stops paging early would otherwise never reach them."""
    folder = OutputLayout(Path(output)).failures
    since = read_state(Path(output)).get("last_finished_run_id") or ""
    urls: list[str] = []
    seen: set[str] = set()
    for path in parquet_files(folder):
        run_id = path.stem[len("part-"):].rsplit("-", 1)[0]
        if run_id < since:
            continue
        for row in pq.ParquetFile(path).read(columns=["url", "kind"]).to_pylist():
            kind, url = row["kind"], row["url"]
            worth = kind in RETRYABLE_KINDS or kind == "http_429" or kind.startswith("http_5")
            if worth and url not in seen and id_of(url) not in known:
                seen.add(url)
                urls.append(url)
    return urls[:limit]
