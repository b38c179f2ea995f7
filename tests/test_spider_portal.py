"""PortalSpider callbacks fed hand-built responses: what they yield, never what they fetch."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import scrapy
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from dvscraper.dataset.outcomes import FetchFailure, PageReject
from dvscraper.normalize.dates import VN_TZ
from dvscraper.records import RawArticle
from dvscraper.replay.generated import GeneratedSite
from dvscraper.spiders.params import CrawlParams
from dvscraper.spiders.portal import ARTICLE_PRIORITY, DISCOVERY_PRIORITY, PortalSpider
from tests.conftest import FIXTURES

BASE = "http://127.0.0.1:8000"


def spider(**params) -> PortalSpider:
    return PortalSpider(params=CrawlParams.parse(start_urls=params.pop("start_urls", BASE + "/"), **params))


def response(path: str, body: bytes, *, base: str = BASE, cls=HtmlResponse, meta=None, **kwargs) -> Response:
    url = base + path
    request = scrapy.Request(url, meta=meta or {})
    if cls is Response:
        return Response(url, body=body, request=request, **kwargs)
    return cls(url, body=body, encoding="utf-8", request=request, **kwargs)


def split(results):
    results = list(results)
    requests = [r for r in results if isinstance(r, scrapy.Request)]
    items = [r for r in results if not isinstance(r, scrapy.Request)]
    return requests, items


@pytest.fixture(scope="module")
def site() -> GeneratedSite:
    site = GeneratedSite(200, page_size=10)
    site.bind(BASE + "/")
    return site


def page(site: GeneratedSite, path: str) -> bytes:
    return site.page(path).body


# -- start ----------------------------------------------------------------------------------------
def test_start_yields_the_start_urls():
    s = spider(start_urls=[BASE + "/", "http://127.0.0.1:9000/T/KINH-TE"])

    async def collect():
        return [r async for r in s.start()]

    import asyncio

    requests = asyncio.run(collect())
    assert [r.url for r in requests] == [BASE + "/", "http://127.0.0.1:9000/T/KINH-TE"]
    assert all(r.callback == s.parse_page and r.errback == s.on_error for r in requests)
    assert s.allowed_hosts == {"127.0.0.1:8000", "127.0.0.1:9000"}


# -- articles -------------------------------------------------------------------------------------
def test_article_page_yields_the_raw_article_stamped_and_no_requests(site):
    a = site.article(7)
    requests, items = split(spider().parse_page(response(a.path, page(site, a.path))))
    assert requests == []  # links out of article pages are not followed
    (raw,) = items
    assert isinstance(raw, RawArticle)
    assert raw.url == BASE + a.path
    assert raw.title == a.title
    assert raw.crawled_at is not None and raw.crawled_at.tzinfo is not None


def test_a_start_url_that_reads_as_an_article_is_still_routed(site):
    a = site.article(7)
    resp = response(a.path, page(site, a.path), meta={"dv_start": True})
    requests, items = split(spider(start_urls=BASE + a.path).parse_page(resp))
    assert isinstance(items[0], RawArticle)
    assert {BASE + "/T/KINH-TE", BASE + "/T/DAN-VAN"} <= {r.url for r in requests}  # the menu is discovered


def test_article_outside_since_until_is_skipped(site):
    a = site.article(0)  # 2024-06-28
    _, items = split(spider(since="2024-07-01").parse_page(response(a.path, page(site, a.path))))
    assert items == []
    _, items = split(spider(until="2024-06-27").parse_page(response(a.path, page(site, a.path))))
    assert items == []
    _, items = split(spider(since="2024-06-28", until="2024-06-28").parse_page(response(a.path, page(site, a.path))))
    assert len(items) == 1


# -- listings and discovery -----------------------------------------------------------------------
def test_listing_page_is_rejected_then_routed(site):
    path = site.listing_path(3, 1)  # /T/KINH-TE?PageIndex=1
    requests, items = split(spider().parse_page(response(path, page(site, path))))
    (reject,) = items
    assert isinstance(reject, PageReject) and reject.stage == "spider" and reject.url == BASE + path
    teasers = [BASE + a.path for a in site.listing_items(3, 1)]
    article_requests = [r.url for r in requests if r.priority == ARTICLE_PRIORITY]
    assert article_requests == teasers
    next_requests = [r for r in requests if r.url == BASE + site.listing_path(3, 2)]
    assert len(next_requests) == 1 and DISCOVERY_PRIORITY < next_requests[0].priority < ARTICLE_PRIORITY
    assert next_requests[0].meta["dv_listing_depth"] == 1
    urls = {r.url for r in requests}
    # the menu is discovered; this listing's own numbered pages are not (paged through next_page only)
    assert BASE + "/T/DAN-VAN" in urls and BASE + "/GioiThieu/Dang-bo-tinh-Dien-Bien" in urls
    assert BASE + "/T/KINH-TE" not in urls
    assert BASE + site.listing_path(3, 3) not in urls
    # off-site links (sidebar "Liên kết web") are never requested
    assert all(r.url.startswith(BASE + "/") for r in requests)
    assert len(urls) == len(requests)


def test_deeper_pages_come_later(site):
    path = site.listing_path(0, 2)
    requests, _ = split(spider().parse_page(response(path, page(site, path), meta={"dv_listing_depth": 1})))
    (next_request,) = [r for r in requests if r.url == BASE + site.listing_path(0, 3)]
    assert next_request.meta["dv_listing_depth"] == 2
    shallow, _ = split(spider().parse_page(response(site.listing_path(0, 1), page(site, site.listing_path(0, 1)))))
    (first_next,) = [r for r in shallow if r.url == BASE + site.listing_path(0, 2)]
    assert next_request.priority < first_next.priority


def test_paging_stops_once_a_whole_page_is_older_than_since(site):
    path = site.listing_path(0, 2)
    items = site.listing_items(0, 2)
    newest_on_page = max(a.published_at for a in items)
    since = (newest_on_page + dt.timedelta(days=1)).date().isoformat()
    requests, _ = split(spider(since=since).parse_page(response(path, page(site, path))))
    urls = {r.url for r in requests}
    assert BASE + site.listing_path(0, 3) not in urls  # no next page
    assert not urls & {BASE + a.path for a in items}  # and no teaser older than since


def test_paging_continues_while_some_items_are_new_enough(site):
    path = site.listing_path(0, 2)
    items = site.listing_items(0, 2)
    since = max(a.published_at for a in items).date().isoformat()
    requests, _ = split(spider(since=since).parse_page(response(path, page(site, path))))
    urls = {r.url for r in requests}
    assert BASE + site.listing_path(0, 3) in urls
    assert BASE + items[0].path in urls


def test_listing_links_to_another_port_are_not_followed(site):
    other = "http://127.0.0.1:9999"
    path = site.listing_path(1, 1)
    body = page(site, path).replace(b'href="/T/', f'href="{other}/T/'.encode())
    requests, _ = split(spider().parse_page(response(path, body)))
    assert requests and all(r.url.startswith(BASE + "/") for r in requests)


def test_max_pages_stops_routing(site):
    s = spider(max_pages=1)
    s.pages_seen = 0
    requests, items = split(s.parse_page(response("/", page(site, "/"))))
    assert requests == [] and len(items) == 1  # the page budget is spent: nothing more is scheduled


# -- failures -------------------------------------------------------------------------------------
def test_non_html_response_is_a_failure():
    resp = response("/files/report.pdf", b"%PDF-1.4 ...", cls=Response, status=200,
                    headers={"Content-Type": "application/pdf"})
    _, items = split(spider().parse_page(resp))
    (failure,) = items
    assert isinstance(failure, FetchFailure)
    assert failure.kind == "non_html" and "application/pdf" in failure.reason


def test_html_served_as_text_is_still_parsed(site):
    a = site.article(3)
    resp = response(a.path, page(site, a.path), cls=TextResponse, headers={"Content-Type": "text/plain"})
    _, items = split(spider().parse_page(resp))
    assert isinstance(items[0], RawArticle)


def test_errback_records_http_errors_with_status():
    request = scrapy.Request(BASE + "/missing")
    resp = Response(BASE + "/missing", status=404, request=request)
    failure = Failure(HttpError(resp, "Ignoring non-200 response"))
    failure.request = request
    (item,) = list(spider().on_error(failure))
    assert isinstance(item, FetchFailure)
    assert (item.url, item.kind, item.status) == (BASE + "/missing", "http_404", 404)
    assert item.reason == "HTTP 404 Not Found"


def test_errback_records_network_errors():
    from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError

    for exc, kind in ((DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
                      (CannotResolveHostError("no such host"), "dns")):
        failure = Failure(exc)
        failure.request = scrapy.Request(BASE + "/x")
        (item,) = list(spider().on_error(failure))
        assert item.kind == kind and item.status is None and item.reason


# -- settings pushed by from_crawler --------------------------------------------------------------
def new_crawler(values: dict | None = None) -> Crawler:
    """A crawler whose settings are not frozen yet: the state ``from_crawler`` sees in a real crawl."""
    return Crawler(PortalSpider, Settings(values or {}))


def test_from_crawler_parses_arguments_and_pushes_settings(tmp_path):
    crawler = new_crawler({"DV_OUTPUT_DIR": "output"})
    s = PortalSpider.from_crawler(crawler, start_url=f"{BASE}/", since="2023-01-01", max_pages="5",
                                  output=str(tmp_path))
    assert s.params.start_urls == (BASE + "/",)
    assert s.params.since == dt.datetime(2023, 1, 1, tzinfo=VN_TZ)
    settings = crawler.settings
    assert settings.getint("CLOSESPIDER_PAGECOUNT") == 5
    assert settings.get("DV_OUTPUT_DIR") == str(tmp_path) and s.params.output == tmp_path
    assert settings.get("DV_RUN_ID")
    # a loopback replay site goes fast; the live host keeps the polite defaults
    assert settings.getfloat("DOWNLOAD_DELAY") == 0 and not settings.getbool("AUTOTHROTTLE_ENABLED")
    live = new_crawler({"DOWNLOAD_DELAY": 1.0, "AUTOTHROTTLE_ENABLED": True, "CONCURRENT_REQUESTS_PER_DOMAIN": 2})
    PortalSpider.from_crawler(live, start_url="https://dienbien.dcs.vn/")
    assert live.settings.getfloat("DOWNLOAD_DELAY") == 1.0 and live.settings.getbool("AUTOTHROTTLE_ENABLED")
    assert live.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"start_url": "ftp://example.org/"}, "http(s)"),
    ({"start_url": "not a url"}, "http(s)"),
    ({"since": "13/01/2023"}, "bad --since"),
    ({"since": "2023-02-01", "until": "2023-01-01"}, "before"),
    ({"max_pages": "0"}, "max-pages"),
])
def test_bad_arguments_are_refused(kwargs, message):
    crawler = new_crawler()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        PortalSpider.from_crawler(crawler, **kwargs)


# -- the saved fixture pages ----------------------------------------------------------------------
def _fixture_pairs(kind: str):
    folder = FIXTURES / kind
    return sorted(folder.glob("*.html")) if folder.is_dir() else []


def _fixture_url(html: Path) -> str:
    expected = html.with_suffix(".json")
    data = json.loads(expected.read_text(encoding="utf-8")) if expected.is_file() else {}
    return data.get("url") or f"https://dienbien.dcs.vn/{html.stem}"


@pytest.mark.parametrize("html", _fixture_pairs("articles"), ids=lambda p: p.stem)
def test_fixture_article_yields_one_raw_article(html):
    url = _fixture_url(html)
    s = spider(start_urls=url)
    requests, items = split(s.parse_page(HtmlResponse(url, body=html.read_bytes(), request=scrapy.Request(url))))
    rejected = [i.reason for i in items if isinstance(i, PageReject)]
    assert not rejected, f"the parser says {html.stem} is not an article: {rejected[0]}"
    assert requests == []  # nothing is followed from an article page
    (raw,) = items
    assert isinstance(raw, RawArticle) and raw.crawled_at is not None and raw.url == url


@pytest.mark.parametrize("html", _fixture_pairs("not_articles"), ids=lambda p: p.stem)
def test_fixture_non_article_is_rejected_with_its_reason(html):
    url = _fixture_url(html)
    expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    s = spider(start_urls=url)
    _, items = split(s.parse_page(HtmlResponse(url, body=html.read_bytes(), request=scrapy.Request(url))))
    rejects = [i for i in items if isinstance(i, PageReject)]
    if rejects:  # the parser refused it in the spider
        assert rejects[0].reason.startswith(expected["reason"].split(":")[0])
    else:  # extract_article passed it on; to_article must refuse it in NormalizePipeline
        from pipelines.normalize import NormalizePipeline

        (raw,) = items
        reject = NormalizePipeline().process_item(raw)
        assert isinstance(reject, PageReject), (
            f"{html.stem} is read as an article (title {raw.title!r}, time {raw.published_raw!r}); "
            f"expected not an article: {expected['reason']}")
        assert reject.reason.startswith(expected["reason"].split(":")[0])


@pytest.mark.parametrize("html", _fixture_pairs("listings"), ids=lambda p: p.stem)
def test_fixture_listing_follows_its_teasers_and_next_page(html):
    expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    url = expected.get("url") or _fixture_url(html)
    s = spider(start_urls=url)
    requests, _items = split(s.parse_page(HtmlResponse(url, body=html.read_bytes(), request=scrapy.Request(url))))
    urls = [r.url for r in requests]
    from dvscraper.sites.hosts import host_key

    same_host = [i["url"] for i in expected["items"] if host_key(i["url"]) == host_key(url)]
    assert [u for u in urls if u in same_host] == same_host
    assert all(r.priority == ARTICLE_PRIORITY for r in requests if r.url in same_host)
    if expected.get("next_page") and host_key(expected["next_page"]) == host_key(url):
        assert expected["next_page"] in urls
    assert all(host_key(u) == host_key(url) for u in urls)
