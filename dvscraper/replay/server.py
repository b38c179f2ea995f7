"""The replay HTTP server: Twisted Web (which Scrapy already brings), HTTP/1.1 keep-alive.

One leaf resource answers every URI from a ``ReplaySite``; unknown URIs are 404s.
With ``request_log`` every request is appended as ``METHOD URI STATUS`` (one line,
flushed), so tests can prove what a crawl did and did not fetch.
"""

from __future__ import annotations

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


def make_server_factory(site: ReplaySite, request_log: TextIO | None = None) -> server.Site:
    factory = server.Site(ReplayResource(site, request_log))
    factory.displayTracebacks = False
    factory.log = lambda request: None  # no access log on stdout/stderr (see request_log)
    return factory
