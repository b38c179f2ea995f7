"""A small hostile HTTP server on loopback for the reliability tests (issue 17), in a thread.

Routes: ``/`` a listing page linking to the others; ``/cookies`` sets 300 cookies of 3 KB (with
``Domain=`` attributes) and answers 431 to a request whose Cookie header is over 8 KB;
``/endless`` a chunked body that never ends; ``/busy`` 429 with ``Retry-After: 99999``;
``/Calendar?PageIndex=N`` a crawl trap linking to N+1 ... N+20; anything else 404.
Every request is recorded (path, Cookie header length) in ``server.seen``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE = ("<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        "<ul>{links}</ul></body></html>")


def _page(title: str, hrefs) -> bytes:
    return PAGE.format(title=title, links="".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        cookie = self.headers.get("Cookie") or ""
        self.server.seen.append((self.path, len(cookie)))
        if len(cookie) > 8192:
            return self._send(431, b"Request Header Fields Too Large")
        if parts.path == "/":
            return self._send(200, _page("home", self.server.home_links))
        if parts.path == "/cookies":
            headers = [("Set-Cookie", f"c{i}={'x' * 3000}; Domain={self.server.cookie_domain}; Path=/")
                       for i in range(300)]
            return self._send(200, _page("cookies", ["/after-cookies"]), headers)
        if parts.path == "/after-cookies":
            return self._send(200, _page("after", []))
        if parts.path == "/busy":
            return self._send(429, b"slow down", [("Retry-After", "99999")])
        if parts.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 8192 + b"</p>"
            try:
                while not self.server.stopping.is_set():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            return None
        if parts.path.lower() == "/calendar":
            n = int(parse_qs(parts.query).get("PageIndex", ["1"])[0])
            return self._send(200, _page(f"calendar {n}", [f"/Calendar?PageIndex={n + k}" for k in range(1, 21)]))
        return self._send(404, b"not found")


@contextmanager
def hostile_server(home_links=("/cookies",), cookie_domain="127.0.0.1"):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.seen = []
    server.home_links = list(home_links)
    server.cookie_domain = cookie_domain
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


def _loopback_resolver():
    from scrapy.resolver import CachingThreadedResolver
    from twisted.internet import defer

    class LoopbackResolver(CachingThreadedResolver):
        """Every host name is 127.0.0.1: a crawl of an IDN host, offline (``-s DNS_RESOLVER=...``)."""

        def getHostByName(self, name, timeout=None):
            return defer.succeed("127.0.0.1")

    return LoopbackResolver


LoopbackResolver = _loopback_resolver()
