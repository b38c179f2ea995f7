"""Issue 17, Redis side: the shared frontier is JSON (a pickle pushed into it runs nothing), secrets in
Redis URLs never reach a message, and workers writing to different output folders refuse to share a crawl."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.redis_server import redis_server, redis_server_binary


@pytest.fixture(scope="module")
def redis_url():
    if redis_server_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with redis_server() as url:
        yield url


class _Evil:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _scheduler(redis_url, crawl="evil-test"):
    import scrapy
    from scrapy.utils.test import get_crawler

    from dvscraper.distributed.coordination import CrawlKeys, scheduler_settings
    from dvscraper.distributed.scheduler import RedisScheduler

    class Spider(scrapy.Spider):
        name = "portal"

        def parse_page(self, response):
            return None

    settings = {**scheduler_settings(redis_url, CrawlKeys(crawl)), "SCHEDULER_PERSIST": False}
    crawler = get_crawler(Spider, settings)
    spider = Spider.from_crawler(crawler)
    crawler.spider = spider
    scheduler = RedisScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider, CrawlKeys(crawl)


def test_serializer_round_trips_a_request():
    from scrapy import Request
    from scrapy.utils.request import request_from_dict

    from dvscraper.distributed import serializer as redis_serializer
    from dvscraper.spiders.portal import PortalSpider

    spider = PortalSpider()
    request = Request("https://dienbien.dcs.vn/a?x=1", callback=spider.parse_page, errback=spider.on_error,
                      priority=50, body=b"\x00\xff", headers={"X-A": "b"},
                      meta={"dv_listing_depth": 2, "dv_start": True, "redirect_urls": ["u"], "slot": ("h", "t")})
    data = redis_serializer.dumps(request.to_dict(spider=spider))
    assert b"\x80" not in data[:2] and data.startswith(redis_serializer.MAGIC)
    back = request_from_dict(redis_serializer.loads(data), spider=spider)
    assert (back.url, back.priority, back.body, back.meta) == (request.url, 50, b"\x00\xff", request.meta)
    assert back.callback == spider.parse_page and back.headers[b"X-A"] == b"b"


@pytest.mark.parametrize("payload", [pickle.dumps({"url": "x"}), b"junk", b'{"dvreq":1,"r":{"url":"x",'
                                     b'"callback":"__import__(\'os\')"}}', b'{"dvreq":1,"r":{"url":"x",'
                                     b'"_class":"os.system"}}'])
def test_serializer_refuses_anything_else(payload):
    from dvscraper.distributed.serializer import UnsafePayload, loads

    with pytest.raises(UnsafePayload):
        loads(payload)


def test_a_pickled_payload_in_the_frontier_runs_nothing_and_is_dropped_with_a_warning(redis_url, tmp_path, caplog):
    import redis
    from scrapy import Request

    marker = tmp_path / "pwned"
    scheduler, spider, keys = _scheduler(redis_url)
    client = redis.Redis.from_url(redis_url)
    client.execute_command("ZADD", keys.requests, -1000, pickle.dumps(_Evil(marker)))  # first in line
    scheduler.enqueue_request(Request("http://127.0.0.1:9/ok", callback=spider.parse_page))
    with caplog.at_level(logging.WARNING):
        first = scheduler.next_request()
    assert not marker.exists()
    assert first is not None and first.url == "http://127.0.0.1:9/ok"
    assert any("dropped a frontier entry" in r.getMessage() for r in caplog.records)
    assert scheduler.next_request() is None
    scheduler.close("finished")


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "dvscraper.cli", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=timeout)


def test_a_redis_password_is_never_printed(tmp_path):
    import socket

    with socket.socket() as probe:  # a closed loopback port: the connection fails
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _cli("crawl", "--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path / "o"),
                  "--redis", f"redis://:hunter2secret@127.0.0.1:{port}/0")
    assert result.returncode == 1
    assert "hunter2secret" not in result.stderr + result.stdout
    assert "***" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_mask_secrets_in_text():
    from dvscraper.distributed.redact import mask_secrets
    from dvscraper.sites.hosts import strip_userinfo

    text = "cannot use redis://user:pa55@h:1/0 nor rediss://:x@h nor http://a:b@site/p?q"
    masked = mask_secrets(text)
    assert "pa55" not in masked and ":x@" not in masked and "a:b@" not in masked
    assert strip_userinfo("http://u:p@Example.org:8080/a?b#c") == "http://Example.org:8080/a?b#c"
    assert strip_userinfo("http://example.org/") == "http://example.org/"


def test_workers_with_other_output_folders_refuse_to_share_a_crawl(redis_url, tmp_path):
    import redis

    from dvscraper.distributed.claim import claim_output

    client = redis.Redis.from_url(redis_url)
    claim_output(client, "same-crawl", tmp_path / "a")
    claim_output(client, "same-crawl", tmp_path / "a")  # the same folder: fine
    with pytest.raises(ValueError, match="output"):
        claim_output(client, "same-crawl", tmp_path / "b")


def test_a_worker_with_another_output_exits_2_with_one_line(redis_url, tmp_path):
    import redis

    from dvscraper.distributed.claim import claim_output
    from dvscraper.distributed.coordination import crawl_name
    from dvscraper.spiders.params import parse_start_urls

    start = "http://127.0.0.1:9/"
    claim_output(redis.Redis.from_url(redis_url), crawl_name(parse_start_urls(start)), tmp_path / "a")
    result = _cli("crawl", "--start-url", start, "--output", str(tmp_path / "b"), "--redis", redis_url)
    assert result.returncode == 2, result.stderr
    assert "output" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_worker_logs_no_redis_password_even_at_info_level(tmp_path):
    """A worker whose Redis needs a password: the password is in no line of its log, nor in any file."""
    import socket
    import time

    import redis

    from dvscraper.replay import serve_replay, stop_process

    binary = redis_server_binary()
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    password = "Zq8pw-not-for-logs"
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path), "--requirepass", password],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://:{password}@127.0.0.1:{port}/0"
    try:
        for _ in range(200):
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.RedisError:
                time.sleep(0.05)
        with serve_replay(generate=10, page_size=5) as site:
            out = tmp_path / "out"
            result = _cli("crawl", "--log-level", "INFO", "--start-url", site, "--output", str(out), "--redis", url,
                          "-s", "DV_REDIS_IDLE_SECONDS=1", "-s", "DV_PROGRESS=off", "-s", "DV_COVERAGE_CHECK=False",
                          timeout=180)
    finally:
        stop_process(server)
    assert result.returncode == 0, result.stderr[-2000:]
    assert password not in result.stdout + result.stderr
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".parquet":
            assert password.encode() not in path.read_bytes(), path


def test_the_log_filter_masks_what_any_logger_writes(caplog):
    from dvscraper.distributed.redact import RedactingFilter

    handler = logging.StreamHandler(stream := __import__("io").StringIO())
    handler.addFilter(RedactingFilter())
    log = logging.getLogger("dvscraper.test.redact")
    log.addHandler(handler)
    try:
        log.warning("Overridden settings: %r", {"REDIS_URL": "redis://user:pa55w0rd@10.0.0.5:6379/0"})
    finally:
        log.removeHandler(handler)
    assert "pa55w0rd" not in stream.getvalue() and "redis://user:***@10.0.0.5" in stream.getvalue()
