"""ProgressExtension: plain progress lines when the stream is not a terminal."""

from __future__ import annotations

import io
from types import SimpleNamespace

from scrapy.settings import Settings

from dvscraper.runs.progress import ProgressExtension, format_progress, progress_figures
from tests.conftest import StatsStub


def _stats(**values):
    stats = StatsStub()
    stats.values.update({"response_received_count": 50, "dv/articles_written": 30,
                         "dv/quality/rejected_articles": 2, "dv/failures/http_404": 1, "dv/failures/timeout": 2,
                         **values})
    return stats


def test_figures_and_eta():
    figures = progress_figures(_stats().get_stats(), elapsed=10.0, max_pages=150)
    assert figures == {"pages": 50, "articles": 30, "rejects": 2, "failures": 3, "rate": 5.0, "elapsed": 10.0,
                       "eta": 20.0}
    line = format_progress(figures)
    assert line == ("dvscraper progress: 50 pages (5.0/s), 30 articles, 2 rejects, 3 failures, "
                    "elapsed 0:00:10, ETA 0:00:20")
    assert "ETA" not in format_progress(progress_figures(_stats().get_stats(), 10.0, None))


def test_not_a_terminal_gives_plain_lines():
    stream = io.StringIO()  # isatty() is False: cron, Scrapyd, a pipe
    crawler = SimpleNamespace(stats=_stats(), settings=Settings({"CLOSESPIDER_PAGECOUNT": 100}))
    ext = ProgressExtension(crawler, mode="auto", interval=5.0, max_pages=100, stream=stream)
    assert not ext.live and ext.interval == 5.0
    ext.tick()
    ext.spider_closed(None, "finished")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("dvscraper progress: 50 pages") and "ETA" in lines[0]
    assert lines[1].endswith(", done")


def test_off_disables_the_extension():
    import pytest
    from scrapy.exceptions import NotConfigured

    crawler = SimpleNamespace(stats=_stats(), settings=Settings({"DV_PROGRESS": "off"}))
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(crawler)
