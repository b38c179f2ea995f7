"""`dvscraper stats` and `dvscraper report` on the output of a demo crawl."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pyarrow as pa
import pytest

from dvscraper.analysis.figures import field_coverage, key_figures, load_output
from dvscraper.analysis.html_report import render_report
from tests.conftest import REPO


def _cli(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "dvscraper.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=timeout)


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory):
    output = tmp_path_factory.mktemp("report") / "out"
    result = _cli("demo", "--generate", "40", "--output", str(output))
    assert result.returncode == 0, result.stderr[-2000:]
    return output


def test_report_renders_plots_and_key_figures(demo_output, tmp_path):
    target = tmp_path / "report.html"
    result = _cli("report", str(demo_output), "-o", str(target))
    assert result.returncode == 0, result.stderr[-2000:]
    text = target.read_text(encoding="utf-8")
    figures = key_figures(load_output(demo_output))
    assert figures["articles"] >= 40
    assert text.count('<img alt="') >= 6 and text.count("data:image/png;base64,") >= 6
    for alt in ("articles per month (publish date)", "articles by category", "top authors",
                "read-count distribution", "field coverage (share of articles with the field present)",
                "crawl history: articles written per run"):
        assert f'alt="{alt}"' in text, alt
    assert f"<b>{figures['articles']:,}</b><span>articles</span>" in text
    assert f"{figures['read_counts']['max']:,}" in text  # the most-read article's count
    assert "http://" not in text.split("<body>")[0]  # self-contained: nothing loaded from elsewhere
    assert "<script" not in text


def test_stats_prints_the_tables(demo_output):
    result = _cli("stats", str(demo_output))
    assert result.returncode == 0, result.stderr[-2000:]
    articles = key_figures(load_output(demo_output))["articles"]
    for heading in ("articles by category", "field coverage", "most read", "failed fetches by kind", "runs"):
        assert heading in result.stdout, heading
    assert "│ articles " in result.stdout and f"{articles:,}" in result.stdout


def test_growth_curves_come_from_read_counts(demo_output, tmp_path):
    data = load_output(demo_output)
    ids = list(data.articles["article_id"].astype("object")[:3])
    base = dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)
    rows = [{"article_id": a, "crawled_at": base + dt.timedelta(days=d), "read_count": 100 + 10 * d * (i + 1)}
            for i, a in enumerate(ids) for d in range(4)]
    data.read_counts = pa.Table.from_pylist(rows, schema=pa.schema([
        ("article_id", pa.string()), ("crawled_at", pa.timestamp("us", tz="UTC")), ("read_count", pa.int64())]),
    ).to_pandas()
    assert 'alt="read-count growth (read_counts/)"' in render_report(data)


def test_an_empty_output_still_renders(tmp_path):
    data = load_output(tmp_path)
    text = render_report(data)
    assert "no data" in text and "<b>0</b><span>articles</span>" in text
    assert field_coverage(data.articles).isna().all()
    assert _cli("stats", str(tmp_path)).returncode == 0
    assert _cli("stats", str(tmp_path / "missing")).returncode == 2
