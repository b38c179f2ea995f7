"""Issue 17, in-process: bad pages, bad files, bad arguments, old data. One test (or more) per case;
each failed on the fork point (34b91f1). No network: pages are fixtures and generated strings."""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import io
import json
import logging
import stat
import time
from pathlib import Path

import pytest

from dvscraper.cli import main
from dvscraper.normalize.dates import VN_TZ
from tests.conftest import FIXTURES, build_article

ARTICLE = FIXTURES / "articles" / "byline-nguon-ttxvn.html"
DATE_LINE = "Thời gian đăng: 28/12/2023 06:40:12 PM"


def _page_dated(tmp_path: Path, shown: str) -> Path:
    text = ARTICLE.read_text(encoding="utf-8")
    assert DATE_LINE in text
    path = tmp_path / f"page-{abs(hash(shown))}.html"
    path.write_text(text.replace(DATE_LINE, f"Thời gian đăng: {shown}"), encoding="utf-8")
    return path


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def _pathological(attributes: int = 64_000) -> bytes:
    attrs = " ".join(f'data-a{i}="v"' for i in range(attributes))
    return f"<!DOCTYPE html><html><head><title>x</title></head><body><div {attrs}>x</div></body></html>".encode()


# -- 3. bounded work per page ---------------------------------------------------------------------
def test_case03_a_div_with_64000_attributes_is_refused_before_libxml2_fast():
    from dvscraper.parse.limits import check_page_limits

    page = _pathological()
    assert len(page) > 700_000
    started = time.perf_counter()
    reason = check_page_limits(page)
    assert time.perf_counter() - started < 1.0
    assert reason and "64000 attributes" in reason
    assert check_page_limits(b"<p>" * 300_000, max_elements=200_000).startswith("page refused: more than")
    assert "bytes" in check_page_limits(b"x" * 101, max_bytes=100)
    for page in FIXTURES.rglob("*.html"):  # every real page passes
        assert check_page_limits(page.read_bytes()) is None, page


def test_case03_the_parse_command_refuses_it_with_exit_3(tmp_path, capsys):
    path = tmp_path / "attrs.html"
    path.write_bytes(_pathological())
    started = time.perf_counter()
    assert main(["parse", str(path)]) == 3
    assert time.perf_counter() - started < 5
    assert "attributes" in _one_line(capsys)


def _spider(**settings):
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from dvscraper.runs.runner import project_settings
    from dvscraper.spiders.portal import PortalSpider

    values = {**project_settings().copy_to_dict(), "DV_OUTPUT_DIR": "/nonexistent-dv-test", **settings}
    from tests.conftest import StatsStub

    crawler = Crawler(PortalSpider, Settings(values))
    spider = PortalSpider.from_crawler(crawler, start_urls="http://127.0.0.1:9/")
    crawler.stats = StatsStub()
    return spider


def _response(body: bytes, url: str = "http://127.0.0.1:9/TinTuc/x"):
    from scrapy.http import HtmlResponse, Request

    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))


def test_case03_the_crawl_refuses_a_pathological_page_and_bounds_parse_time(monkeypatch):
    from dvscraper.dataset.outcomes import PageReject
    from dvscraper.spiders import portal

    spider = _spider(DV_PAGE_MAX_ATTRIBUTES=256)
    out = list(spider.parse_page(_response(_pathological())))
    assert len(out) == 1 and isinstance(out[0], PageReject) and "attributes" in out[0].reason

    def slow_parser(*args, **kwargs):  # a parse that would take a minute
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sum(range(1000))

    monkeypatch.setattr(portal, "extract_article", slow_parser)
    spider = _spider(DV_PARSE_TIME_BUDGET=0.3)
    started = time.monotonic()
    out = list(spider.parse_page(_response(ARTICLE.read_bytes())))
    assert time.monotonic() - started < 5
    assert len(out) == 1 and "parsing took longer than 0.3 s" in out[0].reason


# -- 6. unreadable Parquet in stats/report/compact (the crawl: tests/test_reliability_crawl.py) -----
def _write_articles(out: Path, *articles) -> None:
    from pipelines.parquet import ParquetPipeline

    pipeline = ParquetPipeline(out, run_id="r1")
    for article in articles:
        pipeline.process_item(article)
    pipeline.close_spider()


@pytest.mark.parametrize("command", ["stats", "report", "compact"])
def test_case06_stats_report_compact_read_past_an_unreadable_file(tmp_path, capsys, command):
    out = tmp_path / "out"
    _write_articles(out, build_article(0), build_article(1))
    month = next((out / "articles").rglob("*.parquet")).parent
    (month / "part-bad-0.parquet").write_bytes(b"PAR1 garbage")
    assert main([command, str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "part-bad-0.parquet" in err[0] and "unexpected error" not in err[0]
    assert (out / "quarantine" / month.relative_to(out) / "part-bad-0.parquet").exists()


# -- 7. extreme dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("shown", "why"), [("01/01/0001 12:00:00 AM", "before 1995-01-01"),
                                            ("31/12/9999 11:59:59 PM", "in the future"),
                                            ("12/05/1980 08:00:00 AM", "before 1995-01-01")])
def test_case07_parse_refuses_absurd_publish_dates_with_exit_3(tmp_path, capsys, shown, why):
    assert main(["parse", str(_page_dated(tmp_path, shown)), "--url", "https://dienbien.dcs.vn/TinTuc/x"]) == 3
    line = _one_line(capsys)
    assert why in line and "OverflowError" not in line


def test_case07_no_overflow_in_validate_event_date_or_stats(tmp_path, capsys):
    from dvscraper.normalize.event_date import event_date_from_lead
    from pipelines.validate import ValidatePipeline, check_article

    year1 = dt.datetime(1, 1, 1, tzinfo=VN_TZ)
    year9999 = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=VN_TZ)
    assert event_date_from_lead("Sáng 31/12, hội nghị", year9999) is None  # no OverflowError
    assert event_date_from_lead("Hôm qua, hội nghị", year1) is None
    for when in (year1, year9999):
        problems = check_article(build_article(0, published_at=when))
        assert problems and "published_at" in problems[0]
    floor = ValidatePipeline(floor="2024-01-01")
    assert "before 2024-01-01" in floor.process_item(build_article(0)).reason
    # rows written before the check: stats and report read past them
    out = tmp_path / "old"
    _write_articles(out, build_article(0, published_at=year1), build_article(1, published_at=year9999),
                    build_article(2))
    assert main(["stats", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert "OverflowError" not in capsys.readouterr().err


# -- 8. terminal escapes in stored titles -------------------------------------------------------------------
def test_case08_stats_prints_no_terminal_escape_from_old_rows(tmp_path):
    from rich.console import Console

    from dvscraper.analysis.figures import load_output
    from dvscraper.analysis.tables import print_stats

    out = tmp_path / "out"
    evil = "\x1b]0;owned\x07\x1b[2J\x1b[31mĐỎ\x9b31m [bold]markup[/bold]"
    _write_articles(out, build_article(0, title=evil, category="\x1b[5mblink"))
    buffer = io.StringIO()
    print_stats(load_output(out), console=Console(file=buffer, width=160, color_system=None))
    text = buffer.getvalue()
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "ĐỎ" in text and "[bold]markup[/bold]" in text  # the text itself is kept, markup not applied


# -- 9. host names that would be folders -------------------------------------------------------------------
def test_case09_a_warc_record_for_host_dotdot_writes_nothing_outside_articles(tmp_path):
    from scrapy.http import Headers

    from dvscraper.dataset.warc import WarcWriterFile

    warc = tmp_path / "in" / "evil.warc.gz"
    archive = WarcWriterFile(warc)
    headers = Headers({"Content-Type": "text/html; charset=utf-8"})
    for url in ("http://../TinTuc/a", "http://./TinTuc/b", "http://127.0.0.1:9/TinTuc/c"):
        archive.write_response(url, 200, headers, ARTICLE.read_bytes(), dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc))
    archive.close()
    out = tmp_path / "re" / "out"
    assert main(["reparse", str(warc), "--output", str(out), "-s", "DV_COVERAGE_CHECK=False"]) == 0
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents and p != warc]
    assert outside == []
    top = sorted(p.name for p in out.iterdir())
    assert not [name for name in top if name.startswith("year=")], top
    articles = [p.relative_to(out / "articles").parts[0] for p in (out / "articles").rglob("*.parquet")]
    assert articles == ["127.0.0.1"]  # the good record only; the others are rejected with a reason


def test_case09_site_dir_never_leaves_its_parent():
    from dvscraper.dataset.layout import site_dir
    from dvscraper.sites.hosts import valid_host

    for site in ("..", ".", "...", ".hidden", "a/b", "../x"):
        folder = site_dir(site)
        assert "/" not in folder and folder not in (".", "..") and not folder.startswith(".")
    assert not valid_host("..") and not valid_host("a..b") and valid_host("dienbien.dcs.vn")


# -- 11. reparse takes the output lock ------------------------------------------------------------------------
def test_case11_reparse_refuses_an_output_in_use(tmp_path, capsys):
    from scrapy.http import Headers

    from dvscraper.dataset.lock import OutputLock
    from dvscraper.dataset.warc import WarcWriterFile

    warc = tmp_path / "a.warc.gz"
    archive = WarcWriterFile(warc)
    archive.write_response("http://127.0.0.1:9/TinTuc/a", 200, Headers({"Content-Type": "text/html"}),
                           ARTICLE.read_bytes(), dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc))
    archive.close()
    out = tmp_path / "out"
    with OutputLock(out):
        assert main(["reparse", str(warc), "--output", str(out)]) == 1
        assert "in use" in _one_line(capsys)
        assert not (out / "articles").exists()
    assert main(["reparse", str(warc), "--output", str(out), "-s", "DV_COVERAGE_CHECK=False"]) == 0


# -- 13. state.json of any shape ----------------------------------------------------------------------------
@pytest.mark.parametrize("content", ["[1, 2, 3]", "null", "{{{ not json", '"a string"', "DIR",
                                     '{"last_run_finished": "yes", "last_run_id": 7}'])
def test_case13_any_state_json_is_validated_or_moved_aside_with_a_warning(tmp_path, caplog, content):
    from dvscraper.dataset.state import CrawlPlan, mark_finished, mark_started, read_state

    out = tmp_path / "out"
    out.mkdir()
    state = out / "state.json"
    if content == "DIR":
        (state / "sub").mkdir(parents=True)
    else:
        state.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="dvscraper.dataset.state"):
        plan = CrawlPlan.load(out)
        mark_started(out, "r2")
        mark_finished(out, "r2", "finished")
    assert plan.stop_when_known is False  # a first run
    assert any("state.json" in r.getMessage() for r in caplog.records), content
    assert read_state(out)["last_run_finished"] is True
    if not content.startswith('{"last'):
        assert list(out.glob("state.json.bad-*"))


# -- 15. unchecked CLI input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<p>x", "ftp://dienbien.dcs.vn/a",
                                 "http:///x", "https://"])
def test_case15_parse_url_must_be_http_with_a_host(capsys, url):
    assert main(["parse", str(ARTICLE), "--url", url]) == 2
    assert "invalid --url" in _one_line(capsys)


@pytest.mark.parametrize("args", [
    ["--refresh-read-counts", "inf"], ["--refresh-read-counts", "nan"], ["--refresh-read-counts", "1e300"],
    ["-s", "DOWNLOAD_TIMEOUT=abc"], ["-s", "DV_PARQUET_ROW_GROUP_SIZE=0"], ["-s", "CONCURRENT_REQUESTS=-1"],
    ["-s", "RETRY_ENABLED=maybe"], ["-s", "DV_PARQUET_FILE_ROWS=1.5"],
])
def test_case15_bad_crawl_values_exit_2_with_one_line(tmp_path, capsys, args):
    assert main(["crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path / "o"), *args]) == 2
    _one_line(capsys)
    assert not (tmp_path / "o").exists()


def test_case15_output_that_is_a_file_report_to_a_folder_and_a_non_warc(tmp_path, capsys):
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0\n")
    assert main(["crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(a_file)]) == 2
    assert "not a folder" in _one_line(capsys)
    out = tmp_path / "out"
    _write_articles(out, build_article(0))
    assert main(["report", str(out), "-o", str(tmp_path)]) == 2
    assert "is a folder" in _one_line(capsys)
    not_warc = tmp_path / "x.warc.gz"
    not_warc.write_bytes(b"hello, not an archive\n")
    assert main(["reparse", str(not_warc), "--output", str(tmp_path / "re")]) == 2
    assert "not a WARC file" in _one_line(capsys)


def test_case15_disk_full_is_one_clear_line(tmp_path, capsys, monkeypatch, stats):
    from pipelines.parquet import ParquetPipeline

    pipeline = ParquetPipeline(tmp_path / "out", run_id="r1", row_group_size=1, stats=stats)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline.sink, "_file_for", full)
    pipeline.process_item(build_article(0))  # no exception out of the pipeline
    pipeline.close_spider()
    assert stats.values["dv/articles_written"] == 0
    assert any(k.startswith("dv/write_errors/") for k in stats.values)
    import dvscraper.cli as cli

    monkeypatch.setattr(cli, "run", lambda args: full())
    assert main(["stats", str(tmp_path)]) == 1
    assert _one_line(capsys) == "dvscraper: disk full: [Errno 28] No space left on device"


# -- 16. smaller ones ---------------------------------------------------------------------------------------
def test_case16_state_and_run_files_have_the_mode_of_the_parquet_files(tmp_path):
    from dvscraper.dataset.layout import write_json_atomic
    from dvscraper.dataset.state import mark_started

    _write_articles(tmp_path, build_article(0))
    parquet = next((tmp_path / "articles").rglob("*.parquet"))
    mark_started(tmp_path, "r1")
    write_json_atomic(tmp_path / "runs" / "r1.json", {"a": 1})
    mode = stat.S_IMODE(parquet.stat().st_mode)
    assert stat.S_IMODE((tmp_path / "state.json").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "runs" / "r1.json").stat().st_mode) == mode


def test_case16_retry_after_over_the_cap_is_not_waited_for(monkeypatch):
    import scrapy
    from scrapy.http import Response

    from tests.test_middlewares import retry_mw

    mw, slept = retry_mw(monkeypatch, DV_RETRY_AFTER_MAX=120.0, DV_RETRY_WAIT_MAX_PER_URL=30.0)
    request = scrapy.Request("https://dienbien.dcs.vn/T/KINH-TE")
    busy = Response(request.url, status=429, headers={"Retry-After": "99999"}, request=request)
    assert asyncio.run(mw.process_response(request, busy)) is busy and slept == []
    # under the cap, but the waits of one URL together stay within DV_RETRY_WAIT_MAX_PER_URL
    first = asyncio.run(mw.process_response(request, Response(request.url, status=429,
                                                              headers={"Retry-After": "20"}, request=request)))
    assert isinstance(first, scrapy.Request) and slept == [20.0]
    again = Response(request.url, status=429, headers={"Retry-After": "20"}, request=first)
    assert asyncio.run(mw.process_response(first, again)) is again and slept == [20.0]


def test_case16_a_fractional_read_count_is_never_truncated():
    from dvscraper.normalize.numbers import parse_vn_int

    for text in ("12.5", "12,5", "12.50", "1.05", "7.2k"):
        assert parse_vn_int(text) is None, text
    assert parse_vn_int("1.053") == 1053


def test_case16_a_fractional_read_count_on_a_page_is_null(tmp_path, capsys):
    text = ARTICLE.read_text(encoding="utf-8").replace("Lượt đọc: 274", "Lượt đọc: 12.5")
    path = tmp_path / "p.html"
    path.write_text(text, encoding="utf-8")
    assert main(["parse", str(path), "--url", "https://dienbien.dcs.vn/TinTuc/x"]) == 0
    assert json.loads(capsys.readouterr().out)["read_count"] is None


# -- 5. no public-suffix fetch, whatever the cookie settings ------------------------------------------------
def test_case05_a_set_cookie_never_makes_tldextract_go_online(monkeypatch, tmp_path):
    import tldextract.suffix_list
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from dvscraper.middlewares.cookies import CappedCookiesMiddleware
    from dvscraper.spiders.portal import PortalSpider

    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "empty-cache"))
    asked: list = []
    original = tldextract.suffix_list.find_first_response

    def no_fetch(cache, urls, *args, **kwargs):
        if urls:  # a fetch from a public host (publicsuffix.org, GitHub)
            asked.append(tuple(urls))
            raise AssertionError("tldextract tried to fetch the public suffix list")
        return original(cache, urls, *args, **kwargs)  # () raises SuffixListNotFound: the bundled snapshot

    monkeypatch.setattr(tldextract.suffix_list, "find_first_response", no_fetch)
    import scrapy.downloadermiddlewares.cookies as scrapy_cookies

    assert tuple(scrapy_cookies._split_domain.suffix_list_urls) == ()
    crawler = get_crawler(PortalSpider, {"COOKIES_ENABLED": True, "DV_COOKIES_MAX": 10, "DV_COOKIES_MAX_BYTES": 2000})
    middleware = CappedCookiesMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1:9/a")
    headers = [("Set-Cookie", f"c{i}={'x' * 300}; Domain=sub.example.co.uk; Path=/") for i in range(50)]
    headers += [("Set-Cookie", "p=1; Domain=127.0.0.1; Path=/"), ("Set-Cookie", "q=1; Domain=co.uk")]
    middleware.process_response(request, Response(request.url, headers=headers, request=request))
    follow = Request("http://127.0.0.1:9/b")
    middleware.process_request(follow)
    assert asked == []
    assert len(follow.headers.get(b"Cookie") or b"") <= 2100


def test_case07_teasers_dated_year_1_or_9999_do_not_break_the_crawl_decisions():
    from dvscraper.dataset.state import CrawlPlan
    from dvscraper.spiders.params import CrawlParams

    params = CrawlParams.parse(start_urls="http://127.0.0.1:9/", since="2023-01-01T00:00:00Z",
                               until="2024-01-01T00:00:00Z")
    plan = CrawlPlan(known={"x"}, refresh_since=dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc))
    for when in (dt.datetime(1, 1, 1, tzinfo=VN_TZ), dt.datetime(9999, 12, 31, 23, 59, tzinfo=VN_TZ)):
        params.in_range(when)
        params.before_since(when)
        plan.in_refresh_window(when)  # none raises OverflowError
