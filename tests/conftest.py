"""Shared paths and a frozen clock for the test suite."""

from __future__ import annotations

import datetime as dt
import json as _json
import subprocess as _subprocess
import sys as _sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
# The parser has no clock: tests pass this as ``crawled_at`` so records are reproducible.
FIXED_CRAWLED_AT = dt.datetime(2024, 1, 1, 0, 0, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def fixed_crawled_at() -> dt.datetime:
    return FIXED_CRAWLED_AT


# -- crawl side (spider, pipelines, replay): shared helpers ------------------------------------


class StatsStub:
    """The slice of Scrapy's stats collector the pipelines use, as a dict."""

    def __init__(self):
        self.values: dict = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key, value):
        self.values[key] = value

    def get_value(self, key, default=None):
        return self.values.get(key, default)

    def get_stats(self):
        return dict(self.values)


@pytest.fixture
def stats() -> StatsStub:
    return StatsStub()


def build_article(index: int = 0, **overrides):
    """A valid ``Article`` for pipeline tests (no parser involved)."""
    import hashlib

    from dvscraper.normalize.dates import VN_TZ
    from dvscraper.normalize.urls import article_id
    from dvscraper.records import Article, Image

    url = overrides.pop("url", f"https://dienbien.dcs.vn/T/TIN-TUC/bai-{index}.html")
    body = overrides.pop("body_text", f"Đoạn một của bài {index}.\n\nĐoạn hai.")
    values = {
        "url": url,
        "article_id": article_id(url),
        "site": "dienbien.dcs.vn",
        "title": f"Bài viết số {index}",
        "category": "Tin tức",
        "breadcrumb": ["Trang chủ", "Tin tức"],
        "published_at": dt.datetime(2023, 1, 13, 17, 36, 49, tzinfo=VN_TZ) - dt.timedelta(days=20 * index),
        "published_at_raw": "13/01/2023 05:36:49 PM",
        "read_count": 7444 + index,
        "summary": "Chiều nay (13/1), hội nghị.",
        "event_date": dt.date(2023, 1, 13),
        "body_text": body,
        "headings": ["Đoạn hai."],
        "images": [Image(src="https://dienbien.dcs.vn/a.jpg", caption="Quang cảnh", alt=None)],
        "byline": "Tin, ảnh: Minh Thùy",
        "authors": ["Minh Thùy"],
        "source": None,
        "word_count": len(body.split()),
        "content_sha256": hashlib.sha256(body.encode()).hexdigest(),
        "crawled_at": FIXED_CRAWLED_AT,
    }
    values.update(overrides)
    return Article(**values)


@pytest.fixture
def make_article():
    return build_article


def run_cli_crawl(*args: str, cwd: Path | None = None,
                  timeout: float = 300) -> tuple[_subprocess.CompletedProcess, dict | None]:
    """``dvscraper crawl ARGS`` in a subprocess (a reactor per process) -> (result, run summary or None)."""
    result = _subprocess.run(
        [_sys.executable, "-m", "dvscraper.cli", "crawl", "--log-level", "WARNING", *args],
        capture_output=True, text=True, cwd=cwd or REPO, timeout=timeout,
    )
    summary = None
    for line in result.stdout.splitlines():
        if line.strip().startswith("summary:"):
            path = Path(line.split("summary:", 1)[1].strip())
            if path.is_file():
                summary = _json.loads(path.read_text(encoding="utf-8"))
    return result, summary


PORTAL_SELECTORS = """[site.selectors]
title = ".title-detail"
meta = ".date-detail"
summary = ".sapo"
body = ".content-detail"
breadcrumb = ".breadcrumb"
"""


def write_sites_file(path: Path, portal_url: str, sibling_url: str, *, concurrency: int | None = None) -> Path:
    """A sites file of two replay sites: the portal's template with its selectors, a sibling with none.

    ``concurrency``: a ``[site.politeness]`` per-host limit (delay 0) for both."""
    politeness = f"[site.politeness]\nconcurrency = {concurrency}\ndelay = 0\n" if concurrency else ""
    path.write_text(
        f'[[site]]\nname = "portal-replay"\nstart_urls = ["{portal_url}"]\n{PORTAL_SELECTORS}{politeness}\n'
        f'[[site]]\nname = "sibling-replay"\nstart_urls = ["{sibling_url}"]\n{politeness}',
        encoding="utf-8")
    return path
