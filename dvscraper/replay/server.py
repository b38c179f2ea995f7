"""The replay HTTP server: Twisted Web (which Scrapy already brings), HTTP/1.1 keep-alive.

One leaf resource answers every URI from a ``ReplaySite``; unknown URIs are 404s.
With ``request_log`` every request is appended as ``METHOD URI STATUS`` (one line,
flushed), so tests can prove what a crawl did and did not fetch.

``latency`` makes every answer wait that many seconds (a slow host: what per-host
politeness is about), and a ``Meter`` counts the requests being answered at once; its
figures are at ``/__replay__/stats`` (JSON: ``requests``, ``in_flight``,
``max_in_flight``), so tests and benchmarks measure concurrency where it lands: at the host.
"""

from __future__ import annotations

import json
import time
from typing import TextIO

from twisted.web import resource, server

from dvscraper.replay.pages import NOT_FOUND, ReplaySite


class ReplayResource(resource.Resource):
    isLeaf = True

    def __init__(self, site: ReplaySite, request_log: TextIO | None = None):
        super().__init__()
        self.site = site
        self.request_log = request_log

    def render_GET(self, request) -> bytes:
        uri = request.uri.decode("latin-1")
        try:
            page = self.site.page(uri) or NOT_FOUND
        except Exception as exc:  # a bug in a site model must show, not hang the client
            request.setResponseCode(500)
            request.setHeader(b"Content-Type", b"text/plain; charset=utf-8")
            self._log(request, uri, 500)
            return f"replay error: {type(exc).__name__}: {exc}".encode()
        request.setResponseCode(page.status)
        request.setHeader(b"Content-Type", page.content_type)
        self._log(request, uri, page.status)
        return page.body if request.method != b"HEAD" else b""

    render_HEAD = render_GET

    def _log(self, request, uri: str, status: int) -> None:
        if self.request_log is not None:
            self.request_log.write(f"{request.method.decode('ascii', 'replace')} {uri} {status}\n")
            self.request_log.flush()


STATS_PATH = b"/__replay__/stats"


class Meter:
    """Requests answered so far, being answered now, and the most at once."""

    def __init__(self):
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.first_at: float | None = None  # wall clock (time.time) of the first request
        self.last_at: float | None = None  # ... and of the last answer

    def start(self) -> None:
        if self.first_at is None:
            self.first_at = time.time()
        self.requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def end(self, _=None) -> None:
        self.in_flight -= 1
        self.last_at = time.time()

    def as_dict(self) -> dict:
        return {"requests": self.requests, "in_flight": self.in_flight, "max_in_flight": self.max_in_flight,
                "first_at": self.first_at, "last_at": self.last_at}


class MeteredResource(ReplayResource):
    """``ReplayResource`` with a ``Meter``, an optional latency per answer, and the stats page."""

    def __init__(self, site: ReplaySite, request_log: TextIO | None = None, *, latency: float = 0.0):
        super().__init__(site, request_log)
        self.latency = latency
        self.meter = Meter()

    def render_GET(self, request):
        if request.path == STATS_PATH:
            request.setHeader(b"Content-Type", b"application/json")
            return json.dumps(self.meter.as_dict()).encode()
        self.meter.start()
        request.notifyFinish().addBoth(self.meter.end)
        if self.latency <= 0:
            return super().render_GET(request)
        from twisted.internet import reactor

        reactor.callLater(self.latency, self._answer_late, request)
        return server.NOT_DONE_YET

    render_HEAD = render_GET

    def _answer_late(self, request) -> None:
        if request._disconnected or request.finished:
            return
        body = super().render_GET(request)
        request.write(body)
        request.finish()


def make_server_factory(site: ReplaySite, request_log: TextIO | None = None, *, latency: float = 0.0) -> server.Site:
    factory = server.Site(MeteredResource(site, request_log, latency=latency))
    factory.displayTracebacks = False
    factory.log = lambda request: None  # no access log on stdout/stderr (see request_log)
    return factory
