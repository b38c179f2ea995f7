"""FixtureSite: the offline copy of the portal in ``fixtures/replay/``.

``fixtures/replay/routes.json`` maps a request URI (``/path?query``) to a file
under ``fixtures/`` (a string, or ``{"file": ..., "status": ..., "content_type": ...}``);
``fixtures/replay/robots.txt`` is served at ``/robots.txt``. Absolute links to the
portal's own host (``https://dienbien.dcs.vn/...``) are rewritten to the replay
server's URL, so the copy is self-contained on any port. Unknown URIs are 404s.
ASP.NET routes are case-insensitive, and so is the lookup (after an exact match fails).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from dvscraper.replay.pages import TEXT, Page, content_type_for

PORTAL_HOSTS = ("dienbien.dcs.vn",)
DEFAULT_ROBOTS = b"User-agent: *\nDisallow:\n"


def normalize_uri(uri: str) -> str:
    """``https://host/a/b?x=1#f`` or ``a/b?x=1`` -> ``/a/b?x=1`` (the key the routes use)."""
    parts = urlsplit(uri.strip())
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{parts.query}" if parts.query else path


def _variants(uri: str) -> list[str]:
    """Lookup keys for a request URI, most exact first."""
    key = normalize_uri(uri)
    path, _, query = key.partition("?")
    sorted_query = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    out = [key, unquote(key)]
    if query:
        out.append(f"{path}?{sorted_query}")
    if path != "/" and path.endswith("/"):
        out.append(path.rstrip("/") + (f"?{query}" if query else ""))
    return out


class FixtureSite:
    def __init__(self, fixtures: Path, *, link_to: str | None = None):
        self.fixtures = Path(fixtures)
        self.replay_dir = self.fixtures / "replay"
        routes_file = self.replay_dir / "routes.json"
        if not routes_file.is_file():
            raise FileNotFoundError(f"no replay routes: {routes_file}")
        routes = json.loads(routes_file.read_text(encoding="utf-8"))
        if isinstance(routes, dict) and isinstance(routes.get("routes"), dict):
            routes = routes["routes"]
        self.link_to = link_to
        self._sources: dict[str, tuple[Path, int, bytes | None]] = {}
        for uri, target in routes.items():
            if isinstance(target, str):
                target = {"file": target}
            path = (self.fixtures / target["file"]).resolve()
            content_type = target.get("content_type")
            self._sources[normalize_uri(uri)] = (
                path,
                int(target.get("status", 200)),
                content_type.encode("latin-1") if content_type else None,
            )
        self._folded = {key.lower(): key for key in self._sources}
        self._pages: dict[str, Page] = {}
        self._robots: bytes = DEFAULT_ROBOTS

    # -- ReplaySite -------------------------------------------------------------------------
    def bind(self, base_url: str) -> None:
        base = base_url.rstrip("/")
        netloc = urlsplit(base).netloc
        pages: dict[str, Page] = {}
        for key, (path, status, content_type) in self._sources.items():
            body = self._rewrite(path.read_bytes(), base, netloc, html=path.suffix.lower() in (".html", ".htm"))
            pages[key] = Page(status, content_type or content_type_for(path.name, body), body)
        self._pages = pages
        robots = self.replay_dir / "robots.txt"
        if robots.is_file():
            self._robots = self._rewrite(robots.read_bytes(), base, netloc, html=False)

    def page(self, uri: str) -> Page | None:
        key = normalize_uri(uri)
        if key.split("?", 1)[0] == "/robots.txt" and key not in self._pages:
            return Page(200, TEXT, self._robots)
        for variant in _variants(uri):
            page = self._pages.get(variant) or self._pages.get(self._folded.get(variant.lower(), ""))
            if page is not None:
                return page
        return None

    def article_paths(self) -> list[str]:
        return sorted(key for key, (path, status, _) in self._sources.items()
                      if status == 200 and is_article_fixture(path))

    # -- helpers ----------------------------------------------------------------------------
    def _rewrite(self, body: bytes, base: str, netloc: str, *, html: bool) -> bytes:
        for host in PORTAL_HOSTS:
            host_bytes = host.encode("ascii")
            for scheme in (b"https://", b"http://"):
                body = body.replace(scheme + host_bytes, base.encode("ascii"))
            body = body.replace(b"//" + host_bytes + b"/", b"//" + netloc.encode("ascii") + b"/")
        if html and self.link_to:
            anchor = f'<a href="{self.link_to}">Liên kết ngoài</a>'.encode()
            lowered = body.lower()
            at = lowered.rfind(b"</body>")
            body = body[:at] + anchor + body[at:] if at >= 0 else body + anchor
        return body


def is_article_fixture(path: Path) -> bool:
    """An article page of the fixtures: its expected JSON is an article record (or it lives in articles/)."""
    expected = path.with_suffix(".json")
    if expected.is_file():
        try:
            data = json.loads(expected.read_text(encoding="utf-8"))
        except ValueError:
            data = None
        if isinstance(data, dict):
            if "items" in data or "reason" in data:
                return False
            if "published_at" in data and "title" in data:
                return True
    return path.parent.name == "articles"
