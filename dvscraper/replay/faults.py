"""Fault mode of the replay server (``python -m dvscraper.replay --faults``): a hostile network.

``FaultResource`` wraps any ``ReplaySite``. Each URI gets a fault picked from a stable hash of
its path (the same on every run), so tests know what to expect:

- transient, first attempt(s) only, then the page intact: ``503_burst`` (2 x 503), ``429``
  (with ``Retry-After: 1``), ``slow`` (answer after ``delay`` s: past the client's timeout),
  ``reset`` (TCP reset), ``truncated_once`` (Content-Length promised, half the body sent);
- content, always, page intact: ``no_content_type``, ``wrong_content_type`` (``text/plain``),
  ``charset_header`` (body in windows-1258, said in the header), ``charset_meta`` (said only in
  a ``<meta charset>``);
- permanent: ``500_always``, ``truncated_always`` (never served intact).

Extra URLs, linked from the home page: a redirect loop, an endless redirect chain, a redirect to
another host, an oversized body, a gzip bomb, and ``/fault/private/`` which robots.txt disallows.

Request log lines are ``METHOD URI STATUS FAULT`` (``FAULT`` is ``ok`` for a plain answer);
``intact(line)`` tells whether the page went out whole.
"""

from __future__ import annotations

import gzip
import io
import re
import unicodedata
import zlib
from urllib.parse import urlsplit

from twisted.web import server

from dvscraper.replay.pages import NOT_FOUND
from dvscraper.replay.server import ReplayResource

TRANSIENT = ("503_burst", "429", "slow", "reset", "truncated_once")
CONTENT = ("no_content_type", "wrong_content_type", "charset_header", "charset_meta")
PERMANENT = ("500_always", "truncated_always")
# Per 100 article pages: how many get each fault (the rest are served plainly).
ARTICLE_SHARES = (("503_burst", 7), ("429", 6), ("slow", 5), ("reset", 6), ("truncated_once", 6),
                  ("no_content_type", 5), ("wrong_content_type", 5), ("charset_header", 5),
                  ("charset_meta", 5), ("500_always", 3), ("truncated_always", 3))
LISTING_SHARES = (("503_burst", 15), ("429", 10), ("reset", 10))
FAULT_LINKS = ("/fault/loop", "/fault/hops", "/fault/offsite", "/fault/huge", "/fault/gzip-bomb",
               "/fault/private/secret", "/fault/server-error")
ROBOTS_EXTRA = b"Disallow: /fault/private/\n"
INTACT = {"ok", *CONTENT}


def intact(log_line: str) -> bool:
    parts = log_line.split()
    return len(parts) >= 4 and parts[2] == "200" and parts[3] in INTACT


def _pick(path: str, shares) -> str:
    bucket = zlib.crc32(path.encode()) % 100
    for fault, share in shares:
        if bucket < share:
            return fault
        bucket -= share
    return "ok"


def to_windows_1258(text: str) -> bytes:
    """Vietnamese text in windows-1258: base letters (â, ơ, đ...) plus combining tone marks."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in decomposed[1:] if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
        try:
            out += (base + tones).encode("cp1258")
        except UnicodeEncodeError:
            out += f"&#{ord(char)};".encode("ascii")
    return bytes(out)


class FaultResource(ReplayResource):
    def __init__(self, site, request_log=None, *, delay: float = 5.0, huge_bytes: int = 17 * 2**20,
                 bomb_bytes: int = 64 * 2**20):
        super().__init__(site, request_log)
        self.delay = delay
        self.huge_bytes = huge_bytes
        self.bomb_bytes = bomb_bytes
        self.attempts: dict[str, int] = {}
        self._bomb: bytes | None = None
        self.article_paths = set(site.article_paths())

    def fault_for(self, uri: str) -> str:
        path = urlsplit(uri).path
        if uri in self.article_paths or path in self.article_paths:
            return _pick(path, ARTICLE_SHARES)
        if path.startswith("/T/") or "pageindex=" in uri.lower():
            return _pick(uri, LISTING_SHARES)
        return "ok"

    def render_GET(self, request):
        uri = request.uri.decode("latin-1")
        path = urlsplit(uri).path
        attempt = self.attempts[uri] = self.attempts.get(uri, 0) + 1
        if path.startswith("/fault/"):
            return self._special(request, uri, path)
        page = self.site.page(uri) or NOT_FOUND
        body, content_type = page.body, page.content_type
        if path == "/robots.txt":
            body = body.rstrip(b"\n") + b"\n" + ROBOTS_EXTRA
        elif path == "/" and page.status == 200:
            links = "".join(f'<a href="{link}">{link}</a> ' for link in FAULT_LINKS).encode()
            at = body.lower().rfind(b"</body>")
            body = body[:at] + links + body[at:] if at >= 0 else body + links
        fault = self.fault_for(uri) if page.status == 200 else "ok"
        if (fault == "503_burst" and attempt <= 2) or fault == "500_always":
            return self._answer(request, uri, 503 if fault == "503_burst" else 500, b"text/plain", b"busy", fault)
        if fault == "429" and attempt == 1:
            request.setHeader(b"Retry-After", b"1")
            return self._answer(request, uri, 429, b"text/plain", b"slow down", fault)
        if fault == "reset" and attempt == 1:
            self._log(request, uri, 0, fault)
            request.channel.transport.abortConnection()
            return server.NOT_DONE_YET
        if fault in ("truncated_once", "truncated_always") and (attempt == 1 or fault == "truncated_always"):
            request.setResponseCode(200)
            request.setHeader(b"Content-Type", content_type)
            request.setHeader(b"Content-Length", str(len(body)).encode())
            request.write(body[: len(body) // 2])
            self._log(request, uri, 200, fault)
            request.channel.transport.loseConnection()
            return server.NOT_DONE_YET
        if fault == "slow" and attempt == 1:
            def late():
                if not request._disconnected and not request.finished:
                    self._answer(request, uri, page.status, content_type, body, "slow", write=True)
                else:
                    self._log(request, uri, 0, "slow")
            from twisted.internet import reactor

            reactor.callLater(self.delay, late)
            return server.NOT_DONE_YET
        if fault == "no_content_type":
            request.responseHeaders.removeHeader(b"Content-Type")
            request.defaultContentType = None
            return self._answer(request, uri, page.status, None, body, fault)
        if fault == "wrong_content_type":
            return self._answer(request, uri, page.status, b"text/plain", body, fault)
        if fault in ("charset_header", "charset_meta"):
            text = body.decode("utf-8", "replace")
            text = re.sub(r"(?i)charset\s*=\s*([\"']?)utf-8", r"charset=\1windows-1258", text, count=1)
            if "windows-1258" not in text[:4096]:
                text = re.sub(r"(?i)<head([^>]*)>", r'<head\1><meta charset="windows-1258">', text, count=1)
            encoded = to_windows_1258(text)
            ctype = b"text/html; charset=windows-1258" if fault == "charset_header" else b"text/html"
            return self._answer(request, uri, page.status, ctype, encoded, fault)
        return self._answer(request, uri, page.status, content_type, body, "ok")

    def _special(self, request, uri: str, path: str):
        if path == "/fault/loop":
            return self._redirect(request, uri, "/fault/loop-b")
        if path == "/fault/loop-b":
            return self._redirect(request, uri, "/fault/loop")
        if path == "/fault/hops":
            n = int(uri.rsplit("=", 1)[1]) if "=" in uri else 0
            return self._redirect(request, uri, f"/fault/hops?n={n + 1}")
        if path == "/fault/offsite":
            port = request.getHost().port
            return self._redirect(request, uri, f"http://127.0.0.2:{port}/fault/elsewhere")
        if path == "/fault/huge":
            body = b"<!DOCTYPE html><html><body>" + b"<p>x</p>" * (self.huge_bytes // 8) + b"</body></html>"
            return self._answer(request, uri, 200, b"text/html; charset=utf-8", body, "huge")
        if path == "/fault/gzip-bomb":
            if self._bomb is None:
                buffer = io.BytesIO()
                with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as handle:
                    chunk = b"\0" * 2**20
                    for _ in range(self.bomb_bytes // len(chunk)):
                        handle.write(chunk)
                self._bomb = buffer.getvalue()
            request.setHeader(b"Content-Encoding", b"gzip")
            return self._answer(request, uri, 200, b"text/html; charset=utf-8", self._bomb, "gzip_bomb")
        if path == "/fault/server-error":
            return self._answer(request, uri, 500, b"text/plain", b"broken", "500_always")
        return self._answer(request, uri, 404, NOT_FOUND.content_type, NOT_FOUND.body, "ok")

    def _redirect(self, request, uri: str, target: str):
        request.setHeader(b"Location", target.encode())
        return self._answer(request, uri, 302, b"text/plain", b"moved", "redirect")

    def _answer(self, request, uri, status, content_type, body, fault, *, write=False):
        request.setResponseCode(status)
        if content_type is not None:
            request.setHeader(b"Content-Type", content_type)
        self._log(request, uri, status, fault)
        if write:
            request.write(body)
            request.finish()
            return None
        return body

    def _log(self, request, uri: str, status: int, fault: str = "ok") -> None:
        if self.request_log is not None:
            self.request_log.write(f"{request.method.decode('ascii', 'replace')} {uri} {status} {fault}\n")
            self.request_log.flush()


def make_fault_factory(site, request_log=None, *, delay: float = 5.0) -> server.Site:
    factory = server.Site(FaultResource(site, request_log, delay=delay))
    factory.displayTracebacks = False
    factory.log = lambda request: None
    return factory
