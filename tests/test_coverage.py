"""Field-coverage alarm: the counters, the judgement, and whole crawls of a normal and a changed template."""

from __future__ import annotations

import datetime as dt

import pytest

from dvscraper.dataset.outcomes import PageReject
from dvscraper.dataset.schemas import field_present
from dvscraper.errors import QualityAlarm
from dvscraper.replay import serve_replay
from dvscraper.runs.quality import ARTICLES_SEEN, COVERAGE_PREFIX, REJECTED_ARTICLES, alarm_message, judge_coverage
from pipelines.coverage import CoveragePipeline
from tests.conftest import run_cli_crawl

AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("value, present", [
    (None, False), ("", False), ("  ", False), ([], False), ("x", True), (0, True), (["a"], True),
])
def test_field_present(value, present):
    assert field_present(value) is present


def test_pipeline_counts_fields_and_real_rejects_only(stats, make_article):
    pipeline = CoveragePipeline(stats=stats)
    pipeline.process_item(make_article(0))
    pipeline.process_item(make_article(1, read_count=None, summary=None))
    pipeline.process_item(PageReject(url="https://h/", reason="no readable meta time", stage="spider", at=AT))
    pipeline.process_item(PageReject(url="https://h/a", reason="invalid record: x", stage="validate", at=AT))
    assert stats.values[ARTICLES_SEEN] == 2
    assert stats.values[COVERAGE_PREFIX + "read_count"] == 1
    assert stats.values[COVERAGE_PREFIX + "title"] == 2
    assert stats.values[REJECTED_ARTICLES] == 1  # the listing (stage spider) is not a reject


def _stats(articles, read_counts, rejected=0):
    return {ARTICLES_SEEN: articles, COVERAGE_PREFIX + "title": articles,
            COVERAGE_PREFIX + "read_count": read_counts, REJECTED_ARTICLES: rejected}


def test_judgement_names_the_field_and_figures():
    quality = judge_coverage(_stats(40, 10), minimums={"read_count": 0.9, "title": 1.0}, max_reject_rate=0.05,
                             min_articles=30)
    assert quality["judged"] and [b["field"] for b in quality["breaches"]] == ["read_count"]
    message = alarm_message(quality)
    assert "read_count present in 25.0% of articles (10 of 40), minimum 90%" in message
    assert "\n" not in message


def test_reject_rate_counts_article_pages_only():
    quality = judge_coverage(_stats(40, 40, rejected=10), minimums={}, max_reject_rate=0.05, min_articles=30)
    assert quality["reject_rate"] == 0.2
    assert "reject rate 20.0% (10 of 50 article pages)" in alarm_message(quality)


def test_too_few_articles_are_not_judged():
    quality = judge_coverage(_stats(5, 0), minimums='{"read_count": 0.9}', max_reject_rate=0.05, min_articles=30)
    assert not quality["judged"] and not quality["breaches"] and alarm_message(quality) is None
    assert quality["coverage"]["read_count"] == 0.0


# -- whole crawls -----------------------------------------------------------------------------
def _crawl(tmp_path, variant):
    with serve_replay(generate=40, template_variant=variant) as url:
        return run_cli_crawl("--start-url", url, "--output", str(tmp_path / "out"),
                             "-s", "DV_COVERAGE_MIN_ARTICLES=20")


def test_alarm_fires_when_the_template_loses_the_read_count(tmp_path):
    result, summary = _crawl(tmp_path, "no-read-count")
    assert result.returncode == QualityAlarm.exit_code, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("dvscraper: coverage alarm: read_count present in 0.0% of articles"), last
    assert summary["articles_written"] >= 40
    assert summary["quality"]["judged"] and summary["quality"]["breaches"][0]["field"] == "read_count"


def test_alarm_stays_quiet_on_the_normal_template(tmp_path):
    result, summary = _crawl(tmp_path, None)
    assert result.returncode == 0, result.stderr[-2000:]
    quality = summary["quality"]
    assert quality["judged"] and not quality["breaches"]
    assert quality["coverage"]["read_count"] >= 0.9 and quality["reject_rate"] == 0.0
    # not a terminal: plain progress lines on stderr, the last one at the close
    assert "dvscraper progress: " in result.stderr and ", done" in result.stderr
