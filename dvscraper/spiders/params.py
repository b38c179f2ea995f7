"""CrawlParams: the crawl's arguments, parsed and validated once.

Both entry points build it: ``dvscraper crawl`` (to fail fast with exit 2 before
starting Scrapy) and ``PortalSpider.from_crawler`` (``scrapy crawl portal -a ...``).
Raw ``-a`` strings never travel further than ``CrawlParams.parse``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dvscraper import settings as defaults
from dvscraper.normalize.dates import VN_TZ
from dvscraper.parse.profile import EMPTY_PROFILE, default_profile
from dvscraper.sites import resolve_sites
from dvscraper.sites.hosts import DEFAULT_START_URL, host_key, is_loopback, parse_start_urls

__all__ = ["DEFAULT_OUTPUT", "CrawlParams", "parse_bound", "parse_start_urls"]

DEFAULT_OUTPUT = Path(defaults.DV_OUTPUT_DIR)


def parse_bound(value: str | dt.date | dt.datetime | None, *, name: str, end: bool) -> dt.datetime | None:
    """``2023-01-13`` -> the start of that day in Asia/Ho_Chi_Minh (``end``: the start of the next day).

    A full ISO timestamp is taken as is (naive = local Vietnam time).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, dt.date):
        stamp = None
        day = value
    else:
        text = str(value).strip()
        try:
            if len(text) == 10:
                stamp, day = None, dt.date.fromisoformat(text)
            else:
                stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"bad {name} date {text!r} (expected YYYY-MM-DD or an ISO 8601 timestamp)") from None
    if stamp is None:
        start = dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
        return start + dt.timedelta(days=1) if end else start
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=VN_TZ)


@dataclass(frozen=True, slots=True, kw_only=True)
class CrawlParams:
    start_urls: tuple[str, ...] = (DEFAULT_START_URL,)
    since: dt.datetime | None = None  # inclusive: published_at >= since
    until: dt.datetime | None = None  # exclusive: published_at < until (a date means "to the end of that day")
    max_pages: int | None = None
    output: Path = DEFAULT_OUTPUT
    # The site profiles crawled (dvscraper.sites). Empty: the parser's default profile for every host.
    sites: tuple = field(default=(), compare=False)

    @classmethod
    def parse(
        cls,
        *,
        start_urls: str | Iterable[str] | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        max_pages: str | int | None = None,
        output: str | Path | None = None,
        sites: str | Iterable[str] | None = None,
        sites_file: str | Path | None = None,
    ) -> CrawlParams:
        """Validate raw values; raise ``ValueError`` with a one-line message.

        ``sites`` (names) / ``sites_file``: the site profiles to crawl (``dvscraper.sites.resolve_sites``);
        neither: the dienbien profile. ``start_urls``: where to start (with one site: its mirror);
        by default the sites' own start URLs.
        """
        explicit = parse_start_urls(start_urls) if start_urls not in (None, "", [], ()) else None
        resolved = resolve_sites(sites, sites_file, explicit)
        urls = explicit or tuple(dict.fromkeys(url for site in resolved for url in site.start_urls))
        since_at = parse_bound(since, name="--since", end=False)
        until_at = parse_bound(until, name="--until", end=True)
        if since_at and until_at and since_at >= until_at:
            raise ValueError(f"--since ({since}) must be before --until ({until})")
        pages = None
        if max_pages not in (None, ""):
            try:
                pages = int(max_pages)
            except (TypeError, ValueError):
                raise ValueError(f"bad --max-pages {max_pages!r} (expected a positive integer)") from None
            if pages < 1:
                raise ValueError(f"bad --max-pages {max_pages!r} (expected a positive integer)")
        return cls(
            start_urls=urls,
            since=since_at,
            until=until_at,
            max_pages=pages,
            output=Path(output) if output not in (None, "") else DEFAULT_OUTPUT,
            sites=resolved,
        )

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """The host keys (``host[:port]``) of the start URLs and of the sites' hosts: the crawl never
        leaves them (a site crawled at a mirror ``--start-url`` stays on the mirror)."""
        keys = {host_key(url) for url in self.start_urls}
        for site in self.sites:
            keys |= site.allowed_hosts
        return frozenset(keys)

    def site_for(self, url: str):
        """The ``Site`` whose profile reads ``url``: by host key (``host[:port]``), then host name;
        with one site, that one. None when no site claims it (several sites) or none are set."""
        if not self.sites:
            return None
        key = host_key(url)
        for site in self.sites:
            if key in site.allowed_hosts:
                return site
        hostname = (urlsplit(url).hostname or "").lower()
        for site in self.sites:
            if hostname in site.hosts:
                return site
        return self.sites[0] if len(self.sites) == 1 else None

    def profile_for(self, url: str):
        """The parser profile for a page: its site's, the default one without sites, the empty one
        (label-anchored rules only) for a host no site claims."""
        if not self.sites:
            return default_profile()
        site = self.site_for(url)
        return site.profile if site is not None else EMPTY_PROFILE

    @property
    def site_names(self) -> list[str]:
        return [site.name for site in self.sites]

    @property
    def loopback(self) -> bool:
        """Every start URL is on this machine (a replay site): politeness delays can go."""
        return all(is_loopback(url) for url in self.start_urls)

    def in_range(self, published_at: dt.datetime) -> bool:
        try:
            if self.since is not None and published_at < self.since:
                return False
            return self.until is None or published_at < self.until
        except OverflowError:  # a date next to year 1 or 9999 (a UTC bound): ValidatePipeline refuses it
            return True

    def before_since(self, published_at: dt.datetime | None) -> bool:
        try:
            return self.since is not None and published_at is not None and published_at < self.since
        except OverflowError:
            return False
