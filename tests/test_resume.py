"""Kill -9 a crawl at three points, run the same command again: the dataset ends as an uninterrupted crawl's.

Small row groups and files (``DV_PARQUET_ROW_GROUP_SIZE=2``, ``DV_PARQUET_FILE_ROWS=7``) keep a
temporary Parquet file open most of the time, so "during a Parquet write" is a point that lasts;
a small download delay stretches the crawl so the kills land where they should.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dvscraper.dataset.layout import parquet_files
from dvscraper.replay import serve_replay
from tests.conftest import REPO

N = 150
SETTINGS = ("-s", "DV_COVERAGE_CHECK=False", "-s", "DV_PROGRESS=off", "-s", "DV_PARQUET_ROW_GROUP_SIZE=2",
            "-s", "DV_PARQUET_FILE_ROWS=7", "-s", "DOWNLOAD_DELAY=0.01", "-s", "DV_LOOPBACK_CONCURRENCY=4")


def crawl_command(url: str, out: Path) -> list[str]:
    return [sys.executable, "-m", "dvscraper.cli", "crawl", "--log-level", "WARNING", "--start-url", url,
            "--output", str(out), *SETTINGS]


def ids_of(out: Path) -> list[str]:
    ids: list[str] = []
    for path in parquet_files(out / "articles"):
        ids += pq.read_table(path, columns=["article_id"]).column("article_id").to_pylist()  # every file readable
    return ids


def temp_files(out: Path) -> list[Path]:
    return list((out / "articles").rglob(".*.tmp")) if (out / "articles").is_dir() else []


@pytest.fixture(scope="module")
def site():
    with serve_replay(generate=N, page_size=10) as url:
        yield url


@pytest.fixture(scope="module")
def reference(site, tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("reference") / "out"
    done = subprocess.run(crawl_command(site, out), capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) == N + 1
    return set(ids)


def _written(out: Path) -> int:
    return len(parquet_files(out / "articles"))


KILL_POINTS = {
    "early": lambda out: (out / "state.json").exists(),  # the crawl has opened: nothing written yet
    "mid": lambda out: _written(out) >= 6,
    "during-parquet-write": lambda out: _written(out) >= 3 and bool(temp_files(out)),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_then_resume_gives_the_uninterrupted_article_set(point, site, reference, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(crawl_command(site, out), cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while not KILL_POINTS[point](out):
            assert process.poll() is None, f"the crawl ended before the {point} kill point"
            assert time.monotonic() < deadline
            time.sleep(0.002)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    partial = ids_of(out)
    print(f"{point}: killed with {len(partial)} of {len(reference)} articles written, "
          f"{len(temp_files(out))} temporary files open")
    assert len(partial) == len(set(partial)) and len(partial) < len(reference)
    if point == "during-parquet-write":
        assert temp_files(out), "the kill was meant to land while a Parquet file was open"

    done = subprocess.run(crawl_command(site, out), capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    ids = ids_of(out)
    assert len(ids) == len(set(ids)), "duplicates after resume"
    assert set(ids) == reference
    assert not temp_files(out)
