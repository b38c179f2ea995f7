"""The replay server: fixture copy and generated site, on an ephemeral loopback port."""

from __future__ import annotations

import datetime as dt
import http.client
import json
from urllib.parse import urlsplit

import pytest

from dvscraper.normalize.urls import canonical_url
from dvscraper.parse import parse_article, parse_listing
from dvscraper.replay import build_site, serve_replay
from dvscraper.replay.fixture_site import FixtureSite, normalize_uri
from dvscraper.replay.generated import GeneratedSite, shown_time, vn_int
from tests.conftest import FIXTURES

HAS_FIXTURE_SITE = (FIXTURES / "replay" / "routes.json").is_file()
needs_fixture_site = pytest.mark.skipif(not HAS_FIXTURE_SITE, reason="fixtures/replay/routes.json not written yet")


def fetch(base: str, uri: str, method: str = "GET") -> tuple[int, str, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, uri)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type") or "", resp.read()
    finally:
        conn.close()


# -- the server process ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    log = tmp_path_factory.mktemp("replay") / "requests.log"
    with serve_replay(generate=60, page_size=10, request_log=log, link_to="http://127.0.0.1:9/elsewhere") as url:
        yield url, log


def test_first_line_is_a_loopback_url_on_a_free_port(generated):
    url, _ = generated
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port not in (None, 0)
    assert url.endswith("/")
    assert url.article_count == 61  # 60 generated + the intro page
    assert url.article_urls[0].startswith(url)


def test_pages_robots_and_404(generated):
    url, log = generated
    status, ctype, body = fetch(url, "/")
    assert status == 200 and ctype == "text/html; charset=utf-8" and b"</html>" in body
    assert b'href="http://127.0.0.1:9/elsewhere"' in body  # --link-to: an off-site link on every page
    status, ctype, body = fetch(url, "/robots.txt")
    assert status == 200 and ctype.startswith("text/plain") and b"User-agent" in body
    assert fetch(url, "/no/such/page")[0] == 404
    assert fetch(url, "/T/KINH-TE?PageIndex=999")[0] == 404
    status, _, body = fetch(url, "/", method="HEAD")
    assert status == 200 and body == b""
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "GET / 200" in lines and "GET /no/such/page 404" in lines and "HEAD / 200" in lines


def test_keep_alive_serves_many_requests_on_one_connection(generated):
    url, _ = generated
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        for path in url.article_paths[:20]:
            conn.request("GET", path)
            resp = conn.getresponse()
            assert resp.status == 200 and resp.read()
    finally:
        conn.close()


def test_a_bad_start_is_reported(tmp_path):
    with pytest.raises(Exception), serve_replay(fixtures=tmp_path):  # no routes.json there
        pass


# -- the fixture copy -----------------------------------------------------------------------------
@needs_fixture_site
def test_fixture_site_serves_every_route():
    routes = json.loads((FIXTURES / "replay" / "routes.json").read_text(encoding="utf-8"))
    with serve_replay() as url:
        base = url.rstrip("/")
        for uri, target in routes.items():
            target = target if isinstance(target, str) else target["file"]
            status, ctype, body = fetch(url, normalize_uri(uri))
            assert status == 200, uri
            raw = (FIXTURES / target).read_bytes()
            expected = raw.replace(b"https://dienbien.dcs.vn", base.encode()).replace(
                b"http://dienbien.dcs.vn", base.encode())
            assert body == expected.replace(b"//dienbien.dcs.vn/", b"//" + urlsplit(base).netloc.encode() + b"/")
            if target.endswith(".html"):
                assert ctype.startswith("text/html; charset=")
        assert fetch(url, "/robots.txt")[1].startswith("text/plain")


@needs_fixture_site
def test_fixture_site_declares_the_page_charset():
    site = FixtureSite(FIXTURES)
    site.bind("http://127.0.0.1:1/")
    for key, (path, _, _) in site._sources.items():
        if path.suffix == ".html" and b"windows-1258" in path.read_bytes()[:2048]:
            assert site.page(key).content_type == b"text/html; charset=windows-1258"
            break


@needs_fixture_site
def test_fixture_site_article_paths_are_the_article_fixtures():
    site = FixtureSite(FIXTURES)
    paths = site.article_paths()
    assert paths and all(site._sources[p][0].parent.name == "articles" for p in paths)
    for key, (path, _, _) in site._sources.items():
        if path.parent.name == "articles":
            assert key in paths


def test_lookup_is_case_insensitive_and_tolerant(tmp_path):
    (tmp_path / "replay").mkdir()
    (tmp_path / "a.html").write_bytes(b"<html><body>A</body></html>")
    (tmp_path / "replay" / "routes.json").write_text(json.dumps({
        "/T/KINH-TE?PageIndex=2": "a.html",
        "https://dienbien.dcs.vn/TinTuc/X": {"file": "a.html", "status": 200},
    }))
    site = FixtureSite(tmp_path)
    site.bind("http://127.0.0.1:1/")
    assert site.page("/T/KINH-TE?PageIndex=2") is not None
    assert site.page("/t/kinh-te?pageindex=2") is not None
    assert site.page("/TinTuc/X") is not None
    assert site.page("/TinTuc/Y") is None
    assert site.page("/robots.txt").status == 200  # a default robots.txt when the fixtures have none


# -- the generated site ---------------------------------------------------------------------------
def test_generated_site_is_deterministic_and_complete():
    site = GeneratedSite(137, page_size=10)
    site.bind("http://127.0.0.1:1/")
    again = GeneratedSite(137, page_size=10)
    again.bind("http://127.0.0.1:1/")
    assert site.page(site.article(42).path).body == again.page(site.article(42).path).body
    listed = []
    for c in range(len(site.categories)):
        for p in range(1, site.category_pages(c) + 1):
            assert site.page(site.listing_path(c, p)) is not None
            listed += [a.path for a in site.listing_items(c, p)]
        assert site.page(site.listing_path(c, site.category_pages(c) + 1)) is None
    assert sorted(listed) == sorted(site.article(i).path for i in range(137))
    assert len(set(site.article_paths())) == 138
    titles = {site.article(i).title for i in range(137)}
    assert len(titles) == 137  # every article differs
    assert site.page(site.article(10).path[: -len("-10")] + "-11") is None  # wrong slug


@pytest.mark.parametrize("n", [10_000, 50_000])
def test_large_generated_sites_need_no_files(n):
    site = build_site(generate=n)
    site.bind("http://127.0.0.1:1/")
    last = site.article(n - 1)
    assert site.page(last.path).status == 200
    assert last.published_at < site.article(0).published_at
    assert len(site.article_paths()) == n + 1


def test_generated_pages_have_the_portal_anatomy():
    """The generated markup reads back, through the real parsers, as the model that made it."""
    site = GeneratedSite(300, page_size=20)
    base = "http://127.0.0.1:1"
    site.bind(base + "/")
    path = site.listing_path(2, 2)
    listing = parse_listing(site.page(path).body, base + path)
    model = site.listing_items(2, 2)
    assert [i.url for i in listing.items] == [canonical_url(base + a.path) for a in model]
    assert [i.title for i in listing.items] == [a.title for a in model]
    assert listing.next_page == canonical_url(base + site.listing_path(2, 3))
    a = site.article(1234 % 300)
    record = parse_article(site.page(a.path).body, base + a.path, crawled_at=dt.datetime.now(dt.timezone.utc))
    assert record.title == a.title
    assert record.published_at == a.published_at
    assert record.published_at_raw == shown_time(a.published_at)
    assert record.read_count == a.read_count and vn_int(1053) == "1.053"
    assert record.summary == a.summary
    assert record.body_text and "BẢN ĐỒ HÀNH CHÍNH" not in record.body_text
    assert record.authors


@needs_fixture_site
def test_generated_site_is_cut_from_the_fixtures():
    """With fixtures, the generated pages are the fixture pages with generated content, and read back exactly."""
    from dvscraper.replay.fixture_theme import FixtureTheme

    site = GeneratedSite(300, page_size=20, fixtures=FIXTURES)
    assert isinstance(site.theme, FixtureTheme)
    base = "http://127.0.0.1:1"
    site.bind(base + "/")
    assert site.categories and all(name and not name.isupper() for _, name in site.categories)
    for c in range(len(site.categories)):
        for p in range(1, site.category_pages(c) + 1):
            path = site.listing_path(c, p)
            listing = parse_listing(site.page(path).body, base + path)
            model = site.listing_items(c, p)
            assert [(i.url, i.title, i.published_at) for i in listing.items] == [
                (canonical_url(base + a.path), a.title, a.published_at) for a in model], path
            last = p == site.category_pages(c)
            assert listing.next_page == (None if last else canonical_url(base + site.listing_path(c, p + 1)))
    digests = set()
    for i in range(0, 300, 7):
        a = site.article(i)
        record = parse_article(site.page(a.path).body, base + a.path, crawled_at=dt.datetime.now(dt.timezone.utc))
        assert (record.title, record.published_at, record.read_count, record.summary) == (
            a.title, a.published_at, a.read_count, a.summary)
        assert f"Bài {i}:" in record.body_text
        digests.add(record.content_sha256)
    assert len(digests) == len(range(0, 300, 7))
    # the home, intro and contact pages are the fixtures', with their article links pointing at generated ones
    home = site.page("/").body.decode("utf-8")
    assert site.article(0).path in home
    assert site.page("/LienHe").status == 200
    assert "/GioiThieu/Dang-bo-tinh-Dien-Bien" in site.article_paths()
