"""`dvscraper crawl`: crawl the portal (or any site of the CMS) into Parquet datasets.

Arguments are validated up front (exit 2 with one line); the crawl itself runs in
``dvscraper.runs.runner`` with ``CrawlerProcess(dvscraper.settings + overrides)``, so it shares
one configuration with ``scrapy crawl portal``. A crawl that does not finish, or that could
fetch nothing, or whose rows could not all be written (``write_failed``), exits 1; a coverage
alarm exits 4. The summary goes to stdout, Scrapy's log to stderr.
"""

from __future__ import annotations

import argparse

from dvscraper.commands.checks import check_days
from dvscraper.commands.options import add_common, add_output, ensure_writable, overrides
from dvscraper.distributed.claim import claim_output
from dvscraper.distributed.coordination import check_redis_url, connect, crawl_name
from dvscraper.errors import UsageError
from dvscraper.spiders.params import CrawlParams

NAME = "crawl"


def add_parser(commands) -> None:
    crawl = commands.add_parser(NAME, help="crawl the portal into Parquet datasets")
    crawl.add_argument("--start-url", action="append", dest="start_urls", metavar="URL",
                       help="where to start (repeatable; default https://dienbien.dcs.vn/); "
                            "the crawl stays on the start URLs' hosts")
    crawl.add_argument("--site", action="append", dest="sites", metavar="NAME",
                       help="crawl the site of this profile (repeatable; bundled: dienbien, the default; "
                            "or a name from --sites-file); with --start-url: that site at a mirror")
    crawl.add_argument("--sites-file", metavar="FILE",
                       help="a TOML file of [[site]] profiles; alone: crawl all of them in one run")
    add_output(crawl)
    crawl.add_argument("--since", metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
    crawl.add_argument("--until", metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD)")
    crawl.add_argument("--max-pages", metavar="N", help="stop after N fetched pages")
    crawl.add_argument("--archive", action="store_true",
                       help="also write every fetched response to OUTPUT/warc/<run_id>.warc.gz (dvscraper reparse)")
    crawl.add_argument("--full", action="store_true",
                       help="fetch every article again (default when output holds data: only what is new)")
    crawl.add_argument("--refresh-read-counts", type=float, metavar="DAYS",
                       help="refetch known articles published in the last DAYS days (read-count history)")
    crawl.add_argument("--redis", metavar="URL", dest="redis_url",
                       help="be one worker of a distributed crawl whose frontier and duplicate filter are in "
                            "Redis at URL (redis://HOST:PORT/DB); start as many workers as wanted, anywhere")
    crawl.add_argument("--redis-crawl", metavar="NAME",
                       help="--redis: the crawl's name in Redis (default: derived from the start URLs)")
    add_common(crawl, default_log_level="INFO")


def run(args: argparse.Namespace) -> int:
    found = overrides(args)
    try:
        params = CrawlParams.parse(start_urls=args.start_urls, since=args.since, until=args.until,
                                   max_pages=args.max_pages, output=args.output,
                                   sites=args.sites or found.get("DV_SITES"),
                                   sites_file=args.sites_file or found.get("DV_SITES_FILE"))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.full:
        found["DV_FULL"] = True
    if args.refresh_read_counts is not None:
        problem = check_days(args.refresh_read_counts, "--refresh-read-counts")
        if problem:
            raise UsageError(problem)
        found["DV_REFRESH_READ_COUNTS_DAYS"] = args.refresh_read_counts
    redis_url = args.redis_url or found.get("DV_REDIS_URL")
    if redis_url:
        found["DV_REDIS_URL"] = check_redis(redis_url)
        if args.redis_crawl:
            found["DV_REDIS_CRAWL"] = args.redis_crawl
        claim(redis_url, params, args.redis_crawl)
    elif args.redis_crawl:
        raise UsageError("--redis-crawl needs --redis URL")
    ensure_writable(params.output)
    from dvscraper.runs import runner  # imports Scrapy: only the commands that crawl pay for it

    runner.report(runner.crawl(params, found))
    return 0


def check_redis(url: str) -> str:
    """``--redis URL``, validated (exit 2) and proven to answer (``RedisUnavailable``: exit 1)."""
    try:
        check_redis_url(url)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    connect(url).close()
    return url


def claim(url: str, params: CrawlParams, explicit: str | None) -> None:
    """One output folder per distributed crawl: a worker with another ``--output`` is refused (exit 2)."""
    client = connect(url)
    try:
        claim_output(client, crawl_name(params.start_urls, explicit), params.output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    finally:
        client.close()
