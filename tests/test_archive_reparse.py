"""Raw archive and reparse: crawl with --archive, rebuild from the WARC offline, same article rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
from scrapy.http import Headers

from dvscraper.dataset.warc import WarcWriterFile, iter_archived_responses
from dvscraper.replay import serve_replay
from tests.conftest import REPO, run_cli_crawl

AT = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def test_warc_file_is_renamed_on_close_and_reads_back(tmp_path):
    path = tmp_path / "warc" / "r1.warc.gz"
    archive = WarcWriterFile(path)
    headers = Headers({"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
    archive.write_response("http://127.0.0.1:1/a", 200, headers, "<html>Lượt đọc</html>".encode(), AT)
    assert not path.exists() and archive.tmp.exists()
    assert archive.close() == path and not archive.tmp.exists()
    [record] = list(iter_archived_responses([path]))
    assert record.url == "http://127.0.0.1:1/a" and record.status == 200 and record.at == AT
    assert record.body.decode() == "<html>Lượt đọc</html>"
    names = {name.lower() for name, _ in record.headers}
    assert "content-encoding" not in names  # the body is stored decoded


def _articles(folder):
    frame = pd.read_parquet(folder / "articles", dtype_backend="pyarrow")
    return frame.sort_values("article_id").reset_index(drop=True)


def test_reparse_of_an_archive_gives_the_crawled_rows(tmp_path):
    with serve_replay(generate=30) as url:
        result, summary = run_cli_crawl("--start-url", url, "--output", str(tmp_path / "crawl"), "--archive")
    assert result.returncode == 0, result.stderr[-2000:]
    warcs = sorted((tmp_path / "crawl" / "warc").glob("*.warc.gz"))
    assert [p.name for p in warcs] == [f"{summary['run_id']}.warc.gz"]
    assert not list((tmp_path / "crawl" / "warc").glob(".*"))  # no temporary file left

    reparsed = subprocess.run(
        [sys.executable, "-m", "dvscraper.cli", "reparse", str(warcs[0]), "--output", str(tmp_path / "re")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert reparsed.returncode == 0, reparsed.stderr[-2000:]
    crawled, rebuilt = _articles(tmp_path / "crawl"), _articles(tmp_path / "re")
    assert len(crawled) == summary["articles_written"] >= 30
    pd.testing.assert_frame_equal(crawled.drop(columns="crawled_at"), rebuilt.drop(columns="crawled_at"))
    # crawled_at comes from the WARC-Date (second precision): within a second of the crawl's
    assert (crawled["crawled_at"] - rebuilt["crawled_at"]).abs().max() < pd.Timedelta(seconds=2)
    rejects = pd.read_parquet(tmp_path / "re" / "rejects")
    assert set(rejects["reason_key"]) <= set(pd.read_parquet(tmp_path / "crawl" / "rejects")["reason_key"])
