"""Issue 17, crawl side: real crawls (``dvscraper crawl`` in a subprocess) against loopback servers only.

A hostile server (tests/reliability_server.py) floods cookies, asks for a retry in a day, streams an
endless body and sets a calendar trap; the replay site gives a normal portal. No test reaches a
public host: every start URL is on 127.0.0.1 (an IDN host is resolved to it by a test resolver).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dvscraper.replay import serve_replay
from tests.conftest import run_cli_crawl
from tests.reliability_server import hostile_server

QUIET = ("-s", "DV_COVERAGE_CHECK=False", "-s", "DV_PROGRESS=off")
TRAP_BUDGET = 30


def _rows(folder: Path) -> int:
    from dvscraper.dataset.layout import parquet_files

    return sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(folder))


@pytest.fixture(scope="module")
def replay():
    with serve_replay(generate=30, page_size=10) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """One crawl of the hostile server: cookie flood, Retry-After 99999, an endless body, a calendar trap."""
    out = tmp_path_factory.mktemp("hostile") / "out"
    links = ["/cookies", "/busy", "/endless", "/Calendar?PageIndex=1"]
    with hostile_server(home_links=links) as (server, url):
        result, summary = run_cli_crawl("--start-url", url, "--output", str(out), *QUIET,
                                        "-s", f"DV_MAX_PAGES_PER_PATTERN={TRAP_BUDGET}",
                                        "-s", "DOWNLOAD_MAXSIZE=300000", "--max-pages", "400", timeout=150)
        return out, result, summary, list(server.seen)


def test_hostile_crawl_ends_by_itself_without_traceback(hostile_crawl):
    _out, result, _summary, _seen = hostile_crawl
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


# -- 4. cookie flood ------------------------------------------------------------------------------------
def test_case04_no_cookie_is_sent_back_after_a_cookie_flood(hostile_crawl):
    _out, _result, summary, seen = hostile_crawl
    after = [length for path, length in seen if path == "/after-cookies"]
    assert after == [0]  # fetched, with no Cookie header
    assert "http_431" not in summary["failures"]


def test_case04_cookies_are_off_by_default():
    from dvscraper.runs.runner import project_settings

    settings = project_settings()
    assert settings.getbool("COOKIES_ENABLED") is False


# -- 14. crawl trap ---------------------------------------------------------------------------------------
def test_case14_a_calendar_trap_is_bounded_per_url_pattern(hostile_crawl):
    _out, result, _summary, seen = hostile_crawl
    calendar = {path for path, _ in seen if path.lower().startswith("/calendar")}
    assert len(calendar) <= TRAP_BUDGET
    assert "reached its budget" in result.stderr and "/calendar?pageindex" in result.stderr


def test_case14_the_bound_is_on_by_default_and_in_the_cron_example(repo_root):
    from dvscraper.runs.runner import project_settings

    settings = project_settings()
    assert 0 < settings.getint("DV_MAX_PAGES_PER_PATTERN") <= 10_000
    assert settings.getint("DV_MAX_PAGES_PER_RUN") > 0
    cron = [line for line in (repo_root / "README.md").read_text(encoding="utf-8").splitlines()
            if line.strip().startswith("30 2 * * *")]
    assert cron and all("--max-pages" in line for line in cron)


# -- 16. Retry-After 99999, endless body -----------------------------------------------------------------
def test_case16_retry_after_beyond_the_cap_is_not_waited_for(hostile_crawl):
    _out, _result, summary, seen = hostile_crawl
    assert summary["failures"].get("http_429") == 1
    assert [path for path, _ in seen].count("/busy") == 1  # not retried in this run
    assert summary["duration_s"] < 60


def test_case16_an_endless_body_is_too_large_and_not_retried_next_run(hostile_crawl):
    from dvscraper.dataset.state import RETRYABLE_KINDS, retry_urls

    out, _result, summary, _seen = hostile_crawl
    assert summary["failures"].get("too_large") == 1 and "cancelled" not in summary["failures"]
    assert "too_large" not in RETRYABLE_KINDS
    assert not [u for u in retry_urls(out, {"x"}) if u.endswith("/endless")]


# -- 2. rows that could not be written --------------------------------------------------------------------
@contextmanager
def read_only_folder(path: Path):
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield
        finally:
            path.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root and cannot mount a read-only folder")
    try:
        yield
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


def test_case02_a_crawl_whose_rows_cannot_be_written_fails_and_is_not_finished(replay, tmp_path):
    out = tmp_path / "out"
    with read_only_folder(out / "articles"):
        result, summary = run_cli_crawl("--start-url", replay, "--output", str(out), *QUIET)
    assert result.returncode == 1, result.stdout[-1500:] + result.stderr[-1500:]
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("dvscraper: the crawl failed: rows could not be written"), last
    assert summary["finish_reason"] == "write_failed"
    assert summary["articles_written"] == _rows(out / "articles") == 0
    state = json.loads((out / "state.json").read_text(encoding="utf-8"))
    assert state["last_run_finished"] is False


# -- 6. one unreadable Parquet file -------------------------------------------------------------------------
def test_case06_unreadable_parquet_files_are_quarantined_and_the_rest_is_read(replay, tmp_path):
    from dvscraper.cli import main
    from dvscraper.dataset.layout import parquet_files

    out = tmp_path / "out"
    first, _summary = run_cli_crawl("--start-url", replay, "--output", str(out), *QUIET)
    assert first.returncode == 0, first.stderr[-2000:]
    good = parquet_files(out / "articles")[0]
    rows = _rows(out / "articles")
    (good.parent / "part-x-empty-0.parquet").write_bytes(b"")
    (good.parent / "part-x-cut-0.parquet").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    (out / "failures" / "part-x-junk-0.parquet").write_bytes(b"not parquet at all")
    again, later = run_cli_crawl("--start-url", replay, "--output", str(out), *QUIET)
    assert again.returncode == 0, again.stderr[-2000:]
    warnings = [line for line in again.stderr.splitlines() if "moved unreadable" in line]
    assert len(warnings) == 3 and any("part-x-cut-0.parquet" in line for line in warnings)
    assert later["articles_written"] == 0 and _rows(out / "articles") == rows  # known, nothing refetched
    assert sorted(p.name for p in (out / "quarantine").rglob("*.parquet")) == [
        "part-x-cut-0.parquet", "part-x-empty-0.parquet", "part-x-junk-0.parquet"]
    # and once more, for stats, report and compact (a file that went bad after the crawl)
    shutil.copy(tmp_path / "out" / "quarantine" / good.relative_to(out).parent / "part-x-cut-0.parquet",
                good.parent / "part-y-cut-0.parquet")
    assert main(["stats", str(out)]) == 0
    shutil.copy(out / "quarantine" / good.relative_to(out).parent / "part-x-empty-0.parquet",
                good.parent / "part-z-empty-0.parquet")
    assert main(["report", str(out)]) == 0
    (good.parent / "part-w-junk-0.parquet").write_bytes(b"junk")
    assert main(["compact", str(out)]) == 0
    assert _rows(out / "articles") == rows
    assert len(list((out / "quarantine").rglob("*.parquet"))) == 6


# -- 10. userinfo in a start URL ----------------------------------------------------------------------------
def test_case10_userinfo_of_a_start_url_is_stored_nowhere(replay, tmp_path):
    out = tmp_path / "out"
    start = replay.replace("http://", "http://crawler:s3cr3tpw@")
    result, _summary = run_cli_crawl("--start-url", start, "--output", str(out), *QUIET)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "s3cr3tpw" not in result.stdout + result.stderr
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".parquet":
                import pyarrow.parquet as pq2

                data = json.dumps(pq2.read_table(path).to_pylist(), default=str).encode()
            assert b"s3cr3tpw" not in data and b"crawler:" not in data, path


# -- 12. IDN start URL ------------------------------------------------------------------------------------------
def test_case12_an_idn_start_url_is_crawled_in_punycode(tmp_path):
    out = tmp_path / "out"
    with hostile_server(home_links=["/after-cookies"]) as (server, url):
        port = url.rsplit(":", 1)[1].strip("/")
        result, summary = run_cli_crawl("--start-url", f"http://điệnbiên.vn:{port}/", "--output", str(out), *QUIET,
                                        "-s", "DNS_RESOLVER=tests.reliability_server.LoopbackResolver",
                                        "-s", "DV_LOOPBACK_FAST=False", "-s", "DOWNLOAD_DELAY=0",
                                        "-s", "AUTOTHROTTLE_ENABLED=False", timeout=120)
        seen = [path for path, _ in server.seen]
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["start_urls"] == [f"http://xn--inbin-ksa2y768s.vn:{port}/"]
    assert "/" in seen and "/after-cookies" in seen  # the start page and its on-site link
    assert "offsite" not in json.dumps(summary["failures"])


# -- 15. disk full during a crawl -------------------------------------------------------------------------------
def test_case15_a_crawl_on_a_full_disk_fails_with_one_clear_line_and_no_traceback(replay, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (the in-process disk-full test runs anyway)")
    out = tmp_path / "full"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs")
    try:
        free = os.statvfs(out).f_bavail * os.statvfs(out).f_frsize
        (out / "filler").write_bytes(b"\0" * (free - 16384))  # the lock and state.json fit, Parquet does not
        result, _summary = run_cli_crawl("--start-url", replay, "--output", str(out), *QUIET)
    finally:
        subprocess.run(["umount", str(out)], capture_output=True)
    assert result.returncode == 1, result.stdout[-1000:] + result.stderr[-1000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("dvscraper: ") and ("No space left" in result.stderr), last
