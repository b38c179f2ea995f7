"""Downloader middlewares: Retry-After aware retries; offsite filtering by host and port."""

from __future__ import annotations

import asyncio
import datetime as dt
from email.utils import format_datetime

import pytest
import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import Settings

import dvscraper.middlewares.retry as retry_module
from dvscraper.middlewares.offsite import HostOffsiteMiddleware, OffsiteRedirectError, OffsiteRedirectMiddleware
from dvscraper.middlewares.retry import RetryAfterMiddleware, parse_retry_after
from dvscraper.sites.hosts import host_key, is_loopback
from dvscraper.spiders.failures import describe_failure
from dvscraper.spiders.params import CrawlParams
from dvscraper.spiders.portal import PortalSpider


class StatsStub:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count


class CrawlerStub:
    def __init__(self, spider=None, settings=None):
        self.settings = Settings(settings or {})
        self.stats = StatsStub()
        self.spider = spider


def retry_mw(monkeypatch, **settings) -> tuple[RetryAfterMiddleware, list[float]]:
    values = {"RETRY_ENABLED": True, "RETRY_TIMES": 2, "RETRY_HTTP_CODES": [429, 503],
              "RETRY_PRIORITY_ADJUST": -1, "RETRY_GIVE_UP_LOG_LEVEL": "ERROR",
              "RETRY_EXCEPTIONS": ["scrapy.exceptions.DownloadTimeoutError"], **settings}
    mw = RetryAfterMiddleware(Settings(values))
    crawler = Crawler(PortalSpider, Settings(values))
    crawler.stats = StatsStub()
    crawler.spider = PortalSpider(params=CrawlParams())
    crawler.spider.crawler = crawler  # what Spider._set_crawler does, without signals
    mw.crawler = crawler
    slept: list[float] = []

    async def fake_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(retry_module, "sleep", fake_sleep)
    return mw, slept


# -- Retry-After ----------------------------------------------------------------------------------
def test_parse_retry_after():
    now = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    assert parse_retry_after(b"120") == 120.0
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after(format_datetime(now + dt.timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(format_datetime(now - dt.timedelta(seconds=30), usegmt=True), now=now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after(b"soon") is None
    assert parse_retry_after(b"") is None


def test_retry_delay_honours_retry_after_then_backs_off(monkeypatch):
    mw, _ = retry_mw(monkeypatch, DV_RETRY_BACKOFF_BASE=1.0, DV_RETRY_BACKOFF_MAX=5.0, DV_RETRY_AFTER_MAX=60.0)
    assert mw.retry_delay(1, b"3") == 3.0
    assert mw.retry_delay(1, b"3600") == 60.0  # capped
    assert [mw.retry_delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    mw.backoff_base = 0
    assert mw.retry_delay(3) == 0.0


def test_429_waits_retry_after_then_retries(monkeypatch):
    mw, slept = retry_mw(monkeypatch, DV_RETRY_BACKOFF_BASE=0.5)
    request = scrapy.Request("https://dienbien.dcs.vn/T/KINH-TE")
    response = Response(request.url, status=429, headers={"Retry-After": "7"}, request=request)
    retry = asyncio.run(mw.process_response(request, response))
    assert isinstance(retry, scrapy.Request) and retry.meta["retry_times"] == 1 and retry.dont_filter
    assert slept == [7.0]
    # no Retry-After on a 503: exponential backoff
    response = Response(request.url, status=503, request=retry)
    again = asyncio.run(mw.process_response(retry, response))
    assert again.meta["retry_times"] == 2 and slept == [7.0, 1.0]
    # retries exhausted: the response goes on (the errback records it)
    final = Response(request.url, status=503, request=again)
    assert asyncio.run(mw.process_response(again, final)) is final
    assert len(slept) == 2


def test_other_statuses_and_dont_retry_pass(monkeypatch):
    mw, slept = retry_mw(monkeypatch)
    request = scrapy.Request("https://dienbien.dcs.vn/")
    ok = Response(request.url, status=200, request=request)
    assert asyncio.run(mw.process_response(request, ok)) is ok
    request = scrapy.Request("https://dienbien.dcs.vn/", meta={"dont_retry": True})
    busy = Response(request.url, status=429, request=request)
    assert asyncio.run(mw.process_response(request, busy)) is busy
    assert slept == []


def test_exceptions_back_off_before_retrying(monkeypatch):
    mw, slept = retry_mw(monkeypatch, DV_RETRY_BACKOFF_BASE=2.0)
    request = scrapy.Request("https://dienbien.dcs.vn/")
    retry = asyncio.run(mw.process_exception(request, DownloadTimeoutError("slow")))
    assert isinstance(retry, scrapy.Request) and slept == [2.0]
    assert asyncio.run(mw.process_exception(request, ValueError("not retried"))) is None


# -- offsite --------------------------------------------------------------------------------------
def test_host_keys():
    assert host_key("HTTP://DienBien.dcs.vn:80/x") == "dienbien.dcs.vn"
    assert host_key("https://dienbien.dcs.vn:443/") == "dienbien.dcs.vn"
    assert host_key("http://127.0.0.1:8123/a") == "127.0.0.1:8123"
    assert host_key("http://[::1]:8000/") == "[::1]:8000"
    assert is_loopback("http://127.0.0.1:8000/") and is_loopback("http://localhost/")
    assert is_loopback("http://[::1]:8000/") and not is_loopback("https://dienbien.dcs.vn/")


def test_offsite_compares_ports():
    spider = PortalSpider(params=CrawlParams.parse(start_urls="http://127.0.0.1:8000/"))
    mw = HostOffsiteMiddleware(StatsStub())
    mw.crawler = CrawlerStub(spider)
    assert mw.should_follow(scrapy.Request("http://127.0.0.1:8000/T/X"), spider)
    assert not mw.should_follow(scrapy.Request("http://127.0.0.1:8001/T/X"), spider)
    assert not mw.should_follow(scrapy.Request("https://dienbien.dcs.vn/"), spider)
    with pytest.raises(IgnoreRequest):
        mw.process_request(scrapy.Request("http://127.0.0.1:8001/T/X"))


def test_offsite_redirects_are_failures():
    spider = PortalSpider(params=CrawlParams.parse(start_urls="http://127.0.0.1:8000/"))
    mw = OffsiteRedirectMiddleware(CrawlerStub(spider))
    request = scrapy.Request("http://127.0.0.1:8000/old")
    inside = Response(request.url, status=301, headers={"Location": "/new"}, request=request)
    assert mw.process_response(request, inside) is inside
    outside = Response(request.url, status=302, headers={"Location": "http://127.0.0.1:9000/x"}, request=request)
    with pytest.raises(OffsiteRedirectError) as caught:
        mw.process_response(request, outside)
    kind, reason, _ = describe_failure(caught.value)
    assert kind == "offsite_redirect" and "127.0.0.1:9000" in reason


def test_a_start_url_redirected_to_another_host_moves_the_crawl():
    spider = PortalSpider(params=CrawlParams.parse(start_urls="http://127.0.0.1:8000/"))
    mw = OffsiteRedirectMiddleware(CrawlerStub(spider))
    start = scrapy.Request("http://127.0.0.1:8000/", meta={"dv_start": True})
    moved = Response(start.url, status=301, headers={"Location": "http://localhost:8000/"}, request=start)
    assert mw.process_response(start, moved) is moved
    assert spider.allowed_hosts == {"127.0.0.1:8000", "localhost:8000"}
