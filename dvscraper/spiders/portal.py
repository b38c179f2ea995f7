"""PortalSpider: fetch and route. Every page is asked what it is; the parsers do all reading.

- Every HTML page goes through ``extract_article``. An article yields its
  ``RawArticle`` stamped with ``crawled_at`` (``NormalizePipeline`` types it).
- A page that is not an article yields a ``PageReject`` (url, reason) and is routed
  as a listing: ``parse_listing`` gives its teasers (followed first) and its
  ``next_page`` (followed unless ``--since`` says the listing is past); in-host links
  found on it (menus, categories, "Xem thêm") are followed too, so categories are
  discovered from the home page. A listing's own pagination is followed only
  through ``next_page``, so ``--since`` can stop it.
- Links out of article pages are not followed: articles are reached via listings
  (a start URL is routed as a listing even when it reads as an article).
- A failed request (HTTP error after retries, timeout, DNS, off-site redirect,
  robots.txt) or a non-HTML response yields a ``FetchFailure``.

Scheduling keeps memory flat: teasers go first (priority 100), then the next page of
the shallowest listing (50 - depth), then discovered links (0); the queue holds one
listing page's teasers plus one pending next page per category, whatever the size
of the site.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, TextResponse
from scrapy.linkextractors import LinkExtractor

from dvscraper import settings as defaults
from dvscraper.dataset.layout import new_run_id
from dvscraper.dataset.outcomes import STAGE_SPIDER, FetchFailure, PageReject, utc_now
from dvscraper.dataset.state import CrawlPlan
from dvscraper.distributed.coordination import CrawlKeys, crawl_name, scheduler_settings
from dvscraper.middlewares.host_limit import total_concurrency
from dvscraper.normalize.dates import parse_published
from dvscraper.normalize.urls import canonical_url
from dvscraper.parse import extract_article, parse_listing
from dvscraper.parse.limits import check_page_limits, limits_from_settings
from dvscraper.records import NotAnArticle
from dvscraper.sites import download_slots, fixed_delay_hosts
from dvscraper.sites.hosts import host_key
from dvscraper.spiders.budget import ParseTimeout, parse_budget
from dvscraper.spiders.failures import describe_failure
from dvscraper.spiders.oversize import oversized
from dvscraper.spiders.params import CrawlParams

ARTICLE_PRIORITY = 100
NEXT_PAGE_PRIORITY = 50
DISCOVERY_PRIORITY = 0
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body")


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, params: CrawlParams | None = None, **kwargs):
        super().__init__(**kwargs)
        self.params = params or CrawlParams()
        self.start_urls = list(self.params.start_urls)
        self.allowed_hosts: set[str] = set(self.params.allowed_hosts)
        # Scrapy's own offsite check (host names only) as a fallback; HostOffsiteMiddleware adds ports.
        self.allowed_domains = sorted({urlsplit(f"//{key}").hostname for key in self.allowed_hosts} - {None})
        self._profiles: dict = {}  # host key -> the site profile reading its pages (dvscraper/sites)
        self._fixed_delay_hosts = fixed_delay_hosts(self.params.sites)  # politeness.autothrottle = false
        self.link_extractor = LinkExtractor(unique=True)
        self.pages_seen = 0
        self.plan = CrawlPlan()  # incremental decisions (dvscraper/dataset/state.py), loaded in from_crawler
        # bounded work per page (dvscraper/parse/limits.py, spiders/budget.py); from settings in from_crawler
        self._check_page = check_page_limits
        self.page_limits: dict = {}
        self.parse_time_budget = defaults.DV_PARSE_TIME_BUDGET

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        params = kwargs.pop("params", None)
        if params is None:
            start = kwargs.pop("start_urls", None) or kwargs.pop("start_url", None)
            params = CrawlParams.parse(
                start_urls=start or settings.getlist("DV_START_URLS") or None,
                since=kwargs.pop("since", None) or settings.get("DV_SINCE"),
                until=kwargs.pop("until", None) or settings.get("DV_UNTIL"),
                max_pages=kwargs.pop("max_pages", None) or settings.get("DV_MAX_PAGES"),
                output=kwargs.pop("output", None) or settings.get("DV_OUTPUT_DIR"),
                sites=kwargs.pop("site", None) or kwargs.pop("sites", None) or settings.getlist("DV_SITES") or None,
                sites_file=kwargs.pop("sites_file", None) or settings.get("DV_SITES_FILE"),
            )
        params = cls.push_settings(params, settings)
        spider = super().from_crawler(crawler, *args, params=params, **kwargs)
        spider.page_limits = limits_from_settings(settings)
        spider.parse_time_budget = settings.getfloat("DV_PARSE_TIME_BUDGET", defaults.DV_PARSE_TIME_BUDGET)
        refresh = settings.get("DV_REFRESH_READ_COUNTS_DAYS")
        spider.plan = CrawlPlan.load(params.output, full=settings.getbool("DV_FULL", defaults.DV_FULL),
                                     refresh_days=float(refresh) if refresh not in (None, "") else None)
        return spider

    @staticmethod
    def push_settings(params: CrawlParams, settings) -> CrawlParams:
        """Push the parameters into the crawl settings (priority "spider": ``-s`` still wins)."""
        settings.set("DV_OUTPUT_DIR", str(params.output), priority="spider")
        if not settings.get("DV_RUN_ID"):
            settings.set("DV_RUN_ID", new_run_id(), priority="spider")
        settings.set("DV_START_URLS", list(params.start_urls), priority="spider")
        if params.max_pages:
            settings.set("CLOSESPIDER_PAGECOUNT", params.max_pages, priority="spider")
        if params.loopback and settings.getbool("DV_LOOPBACK_FAST", defaults.DV_LOOPBACK_FAST):
            # A replay site on this machine: no politeness delay, more parallel requests.
            concurrency = settings.getint("DV_LOOPBACK_CONCURRENCY", defaults.DV_LOOPBACK_CONCURRENCY)
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", concurrency, priority="spider")
            settings.set("CONCURRENT_REQUESTS", max(concurrency, settings.getint("CONCURRENT_REQUESTS")),
                         priority="spider")
        if params.sites:
            settings.set("DV_SITES", params.site_names, priority="spider")
            # Politeness written in a profile: Scrapy's per-host download slots (they win over the
            # defaults above, loopback ones included); DOWNLOAD_SLOTS entries given with -s win over them.
            slots = {**download_slots(params.sites), **settings.getdict("DOWNLOAD_SLOTS")}
            if slots:
                settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        # Requests waiting for a host's slot (HostLimitMiddleware) count against CONCURRENT_REQUESTS:
        # leave room for every host of the crawl to be at its limit meanwhile.
        total = total_concurrency(settings, {urlsplit(url).hostname or "" for url in params.start_urls})
        given = settings.getpriority("CONCURRENT_REQUESTS") >= 40  # with -s
        if total > settings.getint("CONCURRENT_REQUESTS") and not given:
            settings.set("CONCURRENT_REQUESTS", total, priority="spider")
        if settings.get("DV_REDIS_URL"):
            # A worker of a distributed crawl: frontier and duplicate filter in Redis (scrapy-redis).
            name = crawl_name(params.start_urls, settings.get("DV_REDIS_CRAWL"))
            settings.set("DV_REDIS_CRAWL", name, priority="spider")
            for key, value in scheduler_settings(settings.get("DV_REDIS_URL"), CrawlKeys(name)).items():
                settings.set(key, value, priority="spider")
            if params.max_pages:  # --max-pages counts for the whole crawl, not for each worker
                settings.set("CLOSESPIDER_PAGECOUNT", 0, priority="spider")
                settings.set("DV_REDIS_MAX_PAGES", params.max_pages, priority="spider")
        # -s DV_OUTPUT_DIR=... on the command line outranks -a output=...: follow what the pipelines see.
        return replace(params, output=Path(settings.get("DV_OUTPUT_DIR")))

    # -- requests ---------------------------------------------------------------------------
    async def start(self):
        for url in self.params.start_urls:
            request = self._request(url, priority=ARTICLE_PRIORITY, depth=0)
            request.meta["dv_start"] = True  # a redirect of a start URL to another host moves the crawl there
            yield request
        # Incremental: what failed for a transient reason last time (and is still missing) is tried again.
        for url in self.plan.retry:
            if host_key(url) in self.allowed_hosts:
                self._inc("dv/retried_from_earlier_runs")
                yield self._request(url, priority=NEXT_PAGE_PRIORITY, depth=1)

    def allow_host(self, url: str) -> None:
        """Add a host (a start URL's redirect target, e.g. ``www.``) to the crawl."""
        key = host_key(url)
        if key and key not in self.allowed_hosts:
            self.logger.info("start URL redirected: crawling %s too", key)
            self.allowed_hosts.add(key)

    def _request(self, url: str, *, priority: int, depth: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            priority=priority,
            meta={"dv_listing_depth": depth, **self._slot_meta(url)},
        )

    def _slot_meta(self, url: str) -> dict:
        """A site whose profile fixes its delay: AutoThrottle leaves that host's slot alone."""
        if self._fixed_delay_hosts and (urlsplit(url).hostname or "") in self._fixed_delay_hosts:
            return {"autothrottle_dont_adjust_delay": True}
        return {}

    def profile_for(self, url: str):
        """The parser profile of the site ``url`` belongs to (by host; cached per host key)."""
        key = host_key(url)
        profile = self._profiles.get(key)
        if profile is None:
            profile = self._profiles[key] = self.params.profile_for(url)
        return profile

    def _budget_left(self) -> bool:
        return not self.params.max_pages or self.pages_seen < self.params.max_pages

    # -- callbacks --------------------------------------------------------------------------
    def parse_page(self, response):
        """Any page: an article, or a page to route as a listing."""
        self.pages_seen += 1
        self._inc("dv/pages/received")
        now = utc_now()
        html = self._as_html(response)
        if html is None:
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no Content-Type"
            yield FetchFailure(url=response.url, kind="non_html", reason=f"not HTML: {content_type}",
                               status=response.status, at=now)
            return
        refused = self._check_page(response.body, **self.page_limits)
        if refused is None:
            try:
                with parse_budget(self.parse_time_budget):
                    raw = extract_article(html.text, html.url, profile=self.profile_for(html.url))
            except ParseTimeout as exc:
                refused = exc.reason
            except NotAnArticle as exc:
                raw = exc
        if refused is not None:  # pathological page: neither read as an article nor routed as a listing
            self._inc("dv/pages/refused")
            yield PageReject(url=html.url, reason=refused, stage=STAGE_SPIDER, at=now)
            return
        if isinstance(raw, NotAnArticle):
            self._inc("dv/pages/not_article")
            yield PageReject(url=html.url, reason=raw.reason, stage=STAGE_SPIDER, at=now)
            yield from self.route_listing(html)
            return
        self._inc("dv/pages/article")
        published = parse_published(raw.published_raw)
        if published is None or self.params.in_range(published):
            yield replace(raw, crawled_at=now)
        else:
            self._inc("dv/skipped/out_of_range")
        if response.meta.get("dv_start"):
            # A start URL is an entry point even when it reads as an article (a home page led by one
            # full story): the crawl must not end there.
            yield from self.route_listing(html)

    def route_listing(self, response: HtmlResponse):
        """Follow a non-article page's teasers, its next page and its in-host links."""
        if not self._budget_left():
            return
        try:
            with parse_budget(self.parse_time_budget):
                listing = parse_listing(response.text, response.url, profile=self.profile_for(response.url),
                                        limits=self.page_limits)
        except ParseTimeout as exc:
            self._inc("dv/pages/refused")
            yield PageReject(url=response.url, reason=exc.reason, stage=STAGE_SPIDER, at=utc_now())
            return
        depth = response.meta.get("dv_listing_depth", 0)
        params = self.params
        known: set[str] = {canonical_url(response.url)}
        all_before_since = bool(listing.items) and params.since is not None
        plan = self.plan
        # Incremental: a whole page of known teasers (none to refresh) ends this listing's paging.
        nothing_new = bool(listing.items) and plan.stop_when_known and not plan.full
        for item in listing.items:
            url = canonical_url(item.url)
            known.add(url)
            if not params.before_since(item.published_at):
                all_before_since = False
            if host_key(url) not in self.allowed_hosts:
                self._inc("dv/links/offsite")
                continue
            if item.published_at is not None and not params.in_range(item.published_at):
                self._inc("dv/skipped/out_of_range")
                continue
            if not plan.full and not plan.wants(url, item.published_at):
                self._inc("dv/skipped/known")
                continue
            nothing_new = False
            if plan.is_known(url):
                self._inc("dv/refetched/read_counts")
            yield self._request(url, priority=ARTICLE_PRIORITY, depth=depth)
        if listing.next_page:
            next_url = canonical_url(listing.next_page)
            known.add(next_url)
            if all_before_since:
                self._inc("dv/listings/stopped_at_since")
            elif nothing_new:
                self._inc("dv/listings/stopped_at_known")
            elif host_key(next_url) in self.allowed_hosts:
                yield self._request(next_url, priority=NEXT_PAGE_PRIORITY - depth - 1, depth=depth + 1)
        # A listing's own numbered pages are paged through next_page only (so --since can stop it);
        # when the parser found no next page, its pager links are followed as a fallback.
        own_pages_via_next = bool(listing.items) and (listing.next_page is not None or all_before_since)
        yield from self._discover(response, known, skip_own_pages=own_pages_via_next)

    def _discover(self, response: HtmlResponse, known: set[str], *, skip_own_pages: bool):
        """In-host links of a non-article page (menus, categories, "Xem thêm")."""
        own_path = _path_of(response.url)
        for link in self.link_extractor.extract_links(response):
            url = canonical_url(link.url)
            if url in known or not url.startswith(("http://", "https://")):
                continue
            if host_key(url) not in self.allowed_hosts:
                self._inc("dv/links/offsite")
                continue
            if skip_own_pages and _path_of(url) == own_path:
                continue  # this listing's other pages: paged through next_page only
            if not self.plan.full and self.plan.is_known(url):
                self._inc("dv/skipped/known")  # an article already in the dataset (sidebars, "most read")
                continue
            known.add(url)
            yield self._request(url, priority=DISCOVERY_PRIORITY, depth=0)

    def on_error(self, failure):
        """Errback: record the failed request (after retries) with a reason."""
        request = getattr(failure, "request", None)
        kind, reason, status = describe_failure(failure.value)
        if kind == "cancelled" and oversized(request):  # an endless body: not worth another try
            kind, reason = "too_large", "too large: the body grew past DOWNLOAD_MAXSIZE (no Content-Length)"
        url = request.url if request is not None else "?"
        yield FetchFailure(url=url, kind=kind, reason=reason, status=status, at=utc_now())

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _as_html(response) -> HtmlResponse | None:
        """The response as HTML, or None when it is something else (PDF, image, JSON...)."""
        if isinstance(response, HtmlResponse):
            return response
        head = response.body[:1024].lstrip().lower()
        if not head.startswith(_HTML_SNIFF) and b"<html" not in head:
            return None
        if isinstance(response, TextResponse):
            return response.replace(cls=HtmlResponse, encoding=response.encoding)
        return response.replace(cls=HtmlResponse)

    def _inc(self, key: str, count: int = 1) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(key, count)


def _path_of(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]
