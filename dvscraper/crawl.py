"""`dvscraper crawl` and `dvscraper demo`: argparse wiring and the crawl runner.

Both run ``CrawlerProcess(get_project_settings() + overrides)`` with ``PortalSpider``,
so they share one configuration with ``scrapy crawl portal``. Arguments are
validated up front (exit 2 with one line); a crawl that does not finish, or that
could fetch nothing, exits 1 with one line. The summary goes to stdout, Scrapy's
log to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
FINISHED_REASONS = frozenset({"finished", "closespider_pagecount"})
DEMO_PORT = 47613  # the demo's replay port when free (any free port otherwise)


def add_crawl_parser(commands) -> None:
    crawl = commands.add_parser("crawl", help="crawl the portal into Parquet datasets")
    crawl.add_argument("--start-url", action="append", dest="start_urls", metavar="URL",
                       help="where to start (repeatable; default https://dienbien.dcs.vn/); "
                            "the crawl stays on the start URLs' hosts")
    crawl.add_argument("--site", action="append", dest="sites", metavar="NAME",
                       help="crawl the site of this profile (repeatable; bundled: dienbien, the default; "
                            "or a name from --sites-file); with --start-url: that site at a mirror")
    crawl.add_argument("--sites-file", metavar="FILE",
                       help="a TOML file of [[site]] profiles; alone: crawl all of them in one run")
    crawl.add_argument("--output", default="output", help="output folder (default: output/)")
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
    _add_common(crawl, default_log_level="INFO")


def add_demo_parser(commands) -> None:
    demo = commands.add_parser("demo", help="crawl the bundled replay site into --output")
    demo.add_argument("--output", default="output", help="output folder (default: output/)")
    demo.add_argument("--generate", type=int, metavar="N",
                      help="crawl a generated replay site of N articles instead of the fixture copy")
    _add_common(demo, default_log_level="WARNING")


def _add_common(parser: argparse.ArgumentParser, *, default_log_level: str) -> None:
    parser.add_argument("--log-level", default=default_log_level,
                        choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
                        help=f"Scrapy log level on stderr (default {default_log_level})")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                        help="override a Scrapy setting, as with `scrapy crawl -s`")


def run(args: argparse.Namespace) -> int:
    if args.command == "crawl":
        return run_crawl(args)
    if args.command == "demo":
        return run_demo(args)
    raise ValueError(f"unknown command {args.command!r}")


# -- commands ---------------------------------------------------------------------------------
def run_crawl(args: argparse.Namespace) -> int:
    from dvscraper.spiders.params import CrawlParams

    try:
        overrides = _overrides(args)
        params = CrawlParams.parse(start_urls=args.start_urls, since=args.since, until=args.until,
                                   max_pages=args.max_pages, output=args.output,
                                   sites=args.sites or overrides.get("DV_SITES"),
                                   sites_file=args.sites_file or overrides.get("DV_SITES_FILE"))
    except ValueError as exc:
        raise _cli_error(str(exc), EXIT_USAGE) from None
    if getattr(args, "full", False):
        overrides["DV_FULL"] = True
    if getattr(args, "refresh_read_counts", None) is not None:
        from dvscraper.cli_checks import check_days

        problem = check_days(args.refresh_read_counts, "--refresh-read-counts")
        if problem:
            raise _cli_error(problem, EXIT_USAGE)
        overrides["DV_REFRESH_READ_COUNTS_DAYS"] = args.refresh_read_counts
    redis_url = getattr(args, "redis_url", None) or overrides.get("DV_REDIS_URL")
    if redis_url:
        _check_redis(redis_url, overrides)
        if args.redis_crawl:
            overrides["DV_REDIS_CRAWL"] = args.redis_crawl
        _claim_output(redis_url, params, args.redis_crawl)
    elif getattr(args, "redis_crawl", None):
        raise _cli_error("--redis-crawl needs --redis URL", EXIT_USAGE)
    _ensure_writable(params.output)
    summary = crawl(params, overrides)
    return _report(summary)


def run_demo(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from dvscraper.replay import serve_replay
    from dvscraper.spiders.params import CrawlParams

    output = Path(args.output)
    _ensure_writable(output)
    overrides = _overrides(args)
    if args.generate is not None and args.generate < 1:
        raise _cli_error("--generate must be a positive number of articles", EXIT_USAGE)
    with ExitStack() as stack:
        # The same port every time when it is free, so a second demo into the same output finds the
        # same article URLs (same article_ids: skipped as duplicates); any free port otherwise.
        site = stack.enter_context(serve_replay(generate=args.generate, port=_demo_port()))
        print(f"replay site: {site.url} ({site.article_count} article pages)", flush=True)
        params = CrawlParams.parse(start_urls=[site.url], output=output)
        summary = crawl(params, overrides)
    code = _report(summary)
    in_dataset = _urls_in_dataset(output) & set(site.article_urls)
    missing = sorted(set(site.article_urls) - in_dataset)
    print(f"article pages of the replay site in the dataset: {len(in_dataset)} of {site.article_count}"
          + (f" (missing: {' '.join(missing[:5])}{' ...' if len(missing) > 5 else ''})" if missing else ""))
    return code


def _demo_port() -> int:
    """``DEMO_PORT`` when it is free on 127.0.0.1, else 0 (any free port)."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", DEMO_PORT))
        except OSError:
            return 0
    return DEMO_PORT


def _urls_in_dataset(output: Path) -> set[str]:
    import pyarrow.parquet as pq

    from dvscraper.dataset import OutputLayout, parquet_files

    urls: set[str] = set()
    for path in parquet_files(OutputLayout(output).articles):
        urls.update(pq.read_table(path, columns=["url"]).column("url").to_pylist())
    return urls


# -- the runner -------------------------------------------------------------------------------
def project_settings(overrides: dict | None = None):
    """``dvscraper.settings`` (or $SCRAPY_SETTINGS_MODULE) plus overrides at command-line priority."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "dvscraper.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if overrides:
        settings.setdict(overrides, priority="cmdline")
    return settings


def crawl(params, overrides: dict | None = None) -> dict:
    """Run one crawl in this process (it starts the reactor: once per process) -> the run summary."""
    from scrapy.crawler import CrawlerProcess

    from dvscraper.dataset import OutputLayout, new_run_id
    from dvscraper.spiders.portal import PortalSpider

    overrides = dict(overrides or {})
    overrides.setdefault("DV_RUN_ID", new_run_id())
    overrides["DV_OUTPUT_DIR"] = str(params.output)
    overrides["DV_LOCK_HELD"] = True  # taken here, so a second crawl is refused before Scrapy starts
    settings = project_settings(overrides)
    from dvscraper.lock import OutputLocked, hold_output

    try:
        # A worker of a distributed crawl shares the folder with the crawl's other workers.
        lock = hold_output(params.output, shared=bool(settings.get("DV_REDIS_URL")))
    except OutputLocked as exc:
        raise _cli_error(str(exc), EXIT_FAILED) from None
    settings.set("DV_TEMP_FILES_REMOVED", len(lock.removed), priority="cmdline")  # for the run's stats
    _print_warnings(lock.quarantined)
    try:
        process = CrawlerProcess(settings)
        from dvscraper.redact import install_log_filter

        install_log_filter()  # no password of a Redis URL in the log (Scrapy logs its overridden settings)
        process.crawl(PortalSpider, params=params)
        process.start()
    finally:
        lock.release()
    summary_file = OutputLayout(params.output).run_summary(settings.get("DV_RUN_ID"))
    try:
        return json.loads(summary_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from dvscraper import summary as run_summary

        last = run_summary.last_summary
        if last and last.get("run_id") == settings.get("DV_RUN_ID"):
            if last.get("finish_reason") in FINISHED_REASONS:
                last = {**last, "finish_reason": "summary_not_written"}  # a run without its record: failed
            return last
        raise _cli_error("the crawl did not start or did not finish (no run summary); see the log above",
                         EXIT_FAILED) from None


def _report(summary: dict) -> int:
    from dvscraper.summary import format_summary

    print(format_summary(summary), flush=True)
    reason = summary.get("finish_reason")
    if reason == "write_failed":
        what = ", ".join(f"{name} ({n})" for name, n in (summary.get("write_errors") or {}).items())
        raise _cli_error(f"the crawl failed: rows could not be written ({what or 'see the log above'}); "
                         f"{summary.get('articles_written', 0)} articles reached the disk; not recorded as "
                         f"finished", EXIT_FAILED)
    if reason not in FINISHED_REASONS:
        raise _cli_error(f"crawl did not finish: {reason} (partial data kept; summary in "
                         f"{summary.get('summary_file')})", EXIT_FAILED)
    if not summary.get("pages_received"):
        failures = ", ".join(f"{kind} {n}" for kind, n in summary.get("failures", {}).items()) or "none recorded"
        starts = " ".join(summary.get("start_urls", []))
        raise _cli_error(f"no page could be fetched from {starts} (failures: {failures})", EXIT_FAILED)
    from dvscraper.coverage import EXIT_QUALITY, alarm_message

    alarm = alarm_message(summary.get("quality"))
    if alarm:
        raise _cli_error(f"{alarm}; summary in {summary.get('summary_file')}", EXIT_QUALITY)
    return EXIT_OK


def _overrides(args: argparse.Namespace) -> dict:
    overrides: dict = {"LOG_LEVEL": args.log_level}
    if getattr(args, "archive", False):
        overrides["DV_ARCHIVE"] = True
    for item in args.settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _cli_error(f"bad -s {item!r} (expected NAME=VALUE)", EXIT_USAGE)
        overrides[name.strip()] = value
    from dvscraper.cli_checks import check_overrides

    problem = check_overrides(overrides)  # -s DOWNLOAD_TIMEOUT=abc: one line, not a traceback from Scrapy
    if problem:
        raise _cli_error(problem, EXIT_USAGE)
    return overrides


def _claim_output(url: str, params, explicit: str | None) -> None:
    """One output folder per distributed crawl: a worker with another ``--output`` is refused (exit 2)."""
    from dvscraper.distributed import connect, crawl_name
    from dvscraper.redis_claim import claim_output

    client = connect(url)
    try:
        claim_output(client, crawl_name(params.start_urls, explicit), params.output)
    except ValueError as exc:
        raise _cli_error(str(exc), EXIT_USAGE) from None
    finally:
        client.close()


def _check_redis(url: str, overrides: dict) -> None:
    """Validate ``--redis URL`` and prove the server answers (exit 2 / exit 1 with one line)."""
    from dvscraper.distributed import RedisUnavailable, check_redis_url, connect

    try:
        check_redis_url(url)
    except ValueError as exc:
        raise _cli_error(str(exc), EXIT_USAGE) from None
    try:
        connect(url).close()
    except RedisUnavailable as exc:
        raise _cli_error(str(exc), EXIT_FAILED) from None
    overrides["DV_REDIS_URL"] = url


def _ensure_writable(output: Path) -> None:
    from dvscraper.cli_checks import check_output_dir
    from dvscraper.dataset import check_writable

    problem = check_output_dir(output)
    if problem:
        raise _cli_error(f"cannot write to {output}: {problem}", EXIT_USAGE)
    try:
        check_writable(output)
    except OSError as exc:
        raise _cli_error(f"cannot write to {output}: {exc.strerror or exc}", EXIT_USAGE) from None


def _print_warnings(lines: list[str]) -> None:
    import sys

    for line in lines:
        print(f"dvscraper: {line}", file=sys.stderr, flush=True)


def _cli_error(message: str, code: int):
    from dvscraper.cli import CliError

    return CliError(message, code)
