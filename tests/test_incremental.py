"""Incremental crawls, read-count history, compaction and the output lock, on a generated replay site.

The site is served twice on the same port (same host key, same article_ids): first without its
5 newest articles (``first=5``), then with them and with grown read counts (``read_epoch=1``).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.dataset as pads
import pytest

from dvscraper.dataset.compact import latest_per_key
from dvscraper.dataset.layout import parquet_files
from dvscraper.dataset.lock import OutputLock, OutputLocked, clean_temp_files
from dvscraper.dataset.state import CrawlPlan
from dvscraper.replay import serve_replay
from tests.conftest import REPO, run_cli_crawl

N, PAGE = 120, 10
QUIET = ("-s", "DV_COVERAGE_CHECK=False", "-s", "DV_PROGRESS=off")


def articles(out) -> pa.Table:
    return pads.dataset(out / "articles", format="parquet", partitioning="hive").to_table()


def read_counts(out) -> pa.Table:
    return pads.dataset(out / "read_counts", format="parquet").to_table()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Crawl 1 (site without its 5 newest), crawl 2 (5 new), crawl 3 (--refresh-read-counts)."""
    out = tmp_path_factory.mktemp("incremental") / "out"
    runs = {}
    with serve_replay(generate=N, page_size=PAGE, first=5) as old:
        runs["first"] = run_cli_crawl("--start-url", old, "--output", str(out), *QUIET)
        port = urlsplit(old).port
    with serve_replay(generate=N, page_size=PAGE, port=port, read_epoch=1) as new:
        runs["second"] = run_cli_crawl("--start-url", new, "--output", str(out), *QUIET)
        runs["third"] = run_cli_crawl("--start-url", new, "--output", str(out), "--refresh-read-counts", "100000",
                                      *QUIET)
        runs["site"] = new
    return out, runs


def test_first_crawl_is_complete(history):
    _out, runs = history
    result, summary = runs["first"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["known_articles_at_start"] == 0
    assert summary["articles_written"] == N - 5 + 1  # + the intro page the fixture theme serves


def test_second_crawl_fetches_the_new_articles_and_a_few_listing_pages(history):
    out, runs = history
    first, second = runs["first"][1], runs["second"][1]
    assert runs["second"][0].returncode == 0, runs["second"][0].stderr[-2000:]
    assert second["articles_written"] == 5
    assert second["requests_sent"] < 25 < first["requests_sent"], (first["requests_sent"], second["requests_sent"])
    table = articles(out)
    assert set(table.column("url").to_pylist()) >= set(runs["site"].article_urls)


def test_refresh_records_a_second_read_count_and_keeps_one_row_per_article(history):
    out, runs = history
    result, _summary = runs["third"]
    assert result.returncode == 0, result.stderr[-2000:]
    table = articles(out)
    ids = table.column("article_id").to_pylist()
    assert len(ids) == len(set(ids)) == N + 1
    counts = read_counts(out).to_pylist()
    by_id: dict[str, list] = {}
    for row in counts:
        by_id.setdefault(row["article_id"], []).append((row["crawled_at"], row["read_count"]))
    # An article of the first crawl was observed twice, with a grown count; articles/ holds the latest.
    grown = [aid for aid, seen in by_id.items() if len({c for _, c in seen}) > 1]
    assert grown
    latest = {r["article_id"]: r["read_count"] for r in table.select(["article_id", "read_count"]).to_pylist()}
    for aid in grown:
        assert latest[aid] == max(by_id[aid])[1]
    # compaction at close: one file per partition of the refetched articles
    for folder in {p.parent for p in parquet_files(out / "articles")}:
        assert len(list(folder.glob("*.parquet"))) == 1


def test_compact_command_rewrites_everything(history, tmp_path):
    out, _ = history
    done = subprocess.run([sys.executable, "-m", "dvscraper.cli", "compact", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "compacted" in done.stdout
    assert len(parquet_files(out / "read_counts")) == 1
    rows = articles(out).num_rows
    assert rows == N + 1


def test_full_recrawls_everything(history):
    out, runs = history
    with serve_replay(generate=N, page_size=PAGE, port=urlsplit(runs["site"]).port, read_epoch=2) as url:
        result, summary = run_cli_crawl("--start-url", url, "--output", str(out), "--full", *QUIET)
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["articles_written"] == N + 1
    ids = articles(out).column("article_id").to_pylist()
    assert len(ids) == len(set(ids)) == N + 1


def test_a_second_crawl_on_a_locked_output_is_refused(tmp_path):
    out = tmp_path / "out"
    with OutputLock(out):
        result, summary = run_cli_crawl("--start-url", "http://127.0.0.1:9/", "--output", str(out), *QUIET,
                                        timeout=60)
    assert result.returncode == 1 and summary is None
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use by another crawl" in lines[0] and f"pid {os.getpid()}" in lines[0]


def test_a_stale_lock_file_does_not_block(tmp_path):
    (tmp_path / ".lock").write_text('{"pid": 999999, "host": "elsewhere", "since": "2020-01-01"}\n')
    with OutputLock(tmp_path) as lock:  # nobody holds the flock: the stale content is overwritten
        assert lock.held
    with pytest.raises(OutputLocked), OutputLock(tmp_path):
        OutputLock(tmp_path).acquire()


def test_temp_files_of_killed_runs_are_removed(tmp_path):
    stray = tmp_path / "articles" / "year=2024" / "month=01" / ".part-x-0.parquet.tmp"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"PAR1 half")
    keep = stray.parent / "part-x-1.parquet"
    keep.write_bytes(b"x")
    assert clean_temp_files(tmp_path) == [stray]
    assert keep.exists() and not stray.exists()


def test_latest_per_key_keeps_the_latest_crawl():
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    table = pa.table({"article_id": ["a", "b", "a", "a"], "crawled_at": [t0, t0, t0 + dt.timedelta(1), t0],
                      "read_count": [1, 2, 3, 4]})
    kept = latest_per_key(table, ["article_id"], "crawled_at").to_pylist()
    assert sorted((r["article_id"], r["read_count"]) for r in kept) == [("a", 3), ("b", 2)]


def test_plan_skips_known_articles_unless_refreshing(tmp_path):
    from dvscraper.normalize.urls import article_id

    url = "https://dienbien.dcs.vn/TinTuc/bai-1"
    now = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
    plan = CrawlPlan(known={article_id(url)}, refresh_since=now - dt.timedelta(days=3))
    assert not plan.wants(url, now - dt.timedelta(days=10))
    assert plan.wants(url, now - dt.timedelta(days=1))
    assert plan.wants("https://dienbien.dcs.vn/TinTuc/bai-2", None)
    assert CrawlPlan.load(tmp_path).stop_when_known is False  # nothing known: page everything
