"""What a replay site serves: a ``Page`` per request URI, and the protocol both sites follow."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from typing import Protocol

HTML = b"text/html; charset=utf-8"
TEXT = b"text/plain; charset=utf-8"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Page:
    status: int
    content_type: bytes
    body: bytes


NOT_FOUND = Page(
    404,
    HTML,
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>404</title></head>"
    "<body><h1>404 - Không tìm thấy trang</h1></body></html>".encode(),
)


class ReplaySite(Protocol):
    """A site the replay server can serve."""

    def bind(self, base_url: str) -> None:
        """Called once the server knows its own URL (absolute links point at it)."""

    def page(self, uri: str) -> Page | None:
        """The page for a request URI (``/path?query``), or None for a 404."""

    def article_paths(self) -> list[str]:
        """URIs of the site's article pages: what a complete crawl must write."""


def content_type_for(path: str, body: bytes) -> bytes:
    """Content-Type with a charset for text: from the file name, and a ``<meta charset>`` if the page has one."""
    lowered = path.lower()
    if lowered.endswith((".html", ".htm", ".aspx")) or body[:512].lstrip().lower().startswith((b"<!doctype", b"<html")):
        match = _META_CHARSET.search(body[:2048])
        charset = match.group(1).decode("ascii").lower() if match else "utf-8"
        return f"text/html; charset={charset}".encode("ascii")
    if lowered.endswith(".txt"):
        return TEXT
    guessed, _ = mimetypes.guess_type(lowered)
    if guessed and guessed.startswith("text/"):
        return f"{guessed}; charset=utf-8".encode("ascii")
    return (guessed or "application/octet-stream").encode("ascii")
