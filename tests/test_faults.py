"""A crawl of the replay site in fault mode (``dvscraper/replay/faults.py``) finishes, retries what is
worth retrying, stays on its host and out of robots.txt's disallowed section, records every failure,
and writes every article that was served intact at least once, exactly once.

Short timeouts and backoffs (``-s``) keep the wall time to a few seconds.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pyarrow.dataset as pads
import pytest

from dvscraper.normalize.urls import canonical_url
from dvscraper.replay import serve_replay
from dvscraper.replay.faults import intact, to_windows_1258
from tests.conftest import run_cli_crawl

FAST = ("-s", "DV_COVERAGE_CHECK=False", "-s", "DV_PROGRESS=off", "-s", "DOWNLOAD_TIMEOUT=1",
        "-s", "DV_RETRY_BACKOFF_BASE=0.05", "-s", "DV_RETRY_AFTER_MAX=1", "-s", "DOWNLOAD_MAXSIZE=4000000")


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    log = tmp / "requests.log"
    with serve_replay(generate=100, page_size=10, faults=True, fault_delay=3, request_log=log) as url:
        result, summary = run_cli_crawl("--start-url", url, "--output", str(tmp / "out"), *FAST)
        lines = log.read_text(encoding="utf-8").splitlines()
        again = run_cli_crawl("--start-url", url, "--output", str(tmp / "out"), *FAST)
        return url, tmp / "out", result, summary, lines, again


def test_the_crawl_finishes(fault_crawl):
    _url, _out, result, summary, _lines, _ = fault_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary["finish_reason"] == "finished"
    assert "Traceback" not in result.stderr


def test_transient_faults_are_retried_and_permanent_ones_recorded(fault_crawl):
    url, out, _result, summary, lines, _ = fault_crawl
    assert summary["retries"] > 0
    failures = summary["failures"]
    for kind in ("http_500", "data_loss", "offsite_redirect", "redirect_loop", "too_many_redirects",
                 "too_large", "robots"):
        assert failures.get(kind), (kind, failures)
    assert failures["too_large"] == 2  # the oversized body and the gzip bomb
    first_run = sorted((out / "failures").glob(f"part-{summary['run_id']}-*.parquet"))
    table = pads.dataset(first_run, format="parquet").to_table().to_pylist()
    assert len(table) == summary["failures_total"]
    assert all(row["url"].startswith(url) and row["reason"] for row in table)
    # nothing transient ends as a failure: every URL failed for good was faulty on every attempt
    failed = {row["url"] for row in table}
    for line in lines:
        if intact(line):
            assert canonical_url(urljoin(url, line.split()[1])) not in failed, line


def test_never_leaves_the_host_nor_fetches_a_disallowed_url(fault_crawl):
    _url, _out, _result, _summary, lines, _ = fault_crawl
    uris = [line.split()[1] for line in lines]
    assert not any(uri.startswith("/fault/private/") for uri in uris)
    assert "/fault/elsewhere" not in uris  # the off-site redirect target (127.0.0.2) was never reached
    assert "/robots.txt" in uris


def test_every_article_served_intact_is_in_the_dataset_once(fault_crawl):
    url, out, _result, _summary, lines, _ = fault_crawl
    articles = set(url.article_paths)
    served = {line.split()[1] for line in lines if intact(line) and line.split()[1] in articles}
    rows = pads.dataset(out / "articles", format="parquet", partitioning="hive").to_table().to_pylist()
    urls = [row["url"] for row in rows]
    assert len(urls) == len(set(urls))
    assert set(urls) == {canonical_url(urljoin(url, path)) for path in served}
    assert len(served) < len(articles)  # some were never served intact (500 / truncated every time)
    for row in rows:
        assert "\ufffd" not in row["title"] + row["body_text"]


def test_windows_1258_round_trip():
    import unicodedata

    text = "Thực hiện tốt công tác dân vận, tạo sức lan tỏa trong Nhân dân. Điện Biên"
    decoded = to_windows_1258(text).decode("cp1258")
    assert unicodedata.normalize("NFC", decoded) == text


def test_a_later_crawl_retries_the_transient_failures_and_adds_no_duplicate(fault_crawl):
    _url, out, _result, summary, _lines, (again, later) = fault_crawl
    assert again.returncode == 0, again.stderr[-2000:]
    transient = summary["failures"].get("http_500", 0) + summary["failures"].get("data_loss", 0)
    assert later["retried_from_earlier_runs"] == transient
    assert later["articles_written"] == 0 and later["requests_sent"] < summary["requests_sent"] / 2
    urls = pads.dataset(out / "articles", format="parquet", partitioning="hive").to_table().column("url").to_pylist()
    assert len(urls) == len(set(urls)) == summary["articles_written"]
