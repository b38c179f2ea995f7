"""What several commands share: the ``--log-level`` and ``-s NAME=VALUE`` options, turning
them into Scrapy setting overrides (each value checked: ``dvscraper.commands.checks``), checking
that the output folder can be written, and printing warning lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dvscraper import settings as defaults
from dvscraper.commands.checks import check_output_dir, check_overrides
from dvscraper.dataset.layout import check_writable
from dvscraper.errors import UsageError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def add_output(parser: argparse.ArgumentParser, *, default: str = defaults.DV_OUTPUT_DIR,
               positional: bool = False) -> None:
    if positional:
        parser.add_argument("output", nargs="?", default=default, help=f"output folder (default: {default}/)")
    else:
        parser.add_argument("--output", default=default, help=f"output folder (default: {default}/)")


def add_settings(parser: argparse.ArgumentParser, *, what: str = "a Scrapy setting, as with `scrapy crawl -s`") -> None:
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                        help=f"override {what}")


def add_common(parser: argparse.ArgumentParser, *, default_log_level: str) -> None:
    parser.add_argument("--log-level", default=default_log_level, choices=LOG_LEVELS,
                        help=f"Scrapy log level on stderr (default {default_log_level})")
    add_settings(parser)


def overrides(args: argparse.Namespace) -> dict:
    """``--log-level``, ``--archive`` and every ``-s NAME=VALUE`` as Scrapy setting overrides."""
    found: dict = {"LOG_LEVEL": args.log_level}
    if getattr(args, "archive", False):
        found["DV_ARCHIVE"] = True
    for item in args.settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"bad -s {item!r} (expected NAME=VALUE)")
        found[name.strip()] = value
    problem = check_overrides(found)  # -s DOWNLOAD_TIMEOUT=abc: one line, not a traceback from Scrapy
    if problem:
        raise UsageError(problem)
    return found


def ensure_writable(output: Path) -> None:
    problem = check_output_dir(output)
    if problem:
        raise UsageError(f"cannot write to {output}: {problem}")
    try:
        check_writable(output)
    except OSError as exc:
        raise UsageError(f"cannot write to {output}: {exc.strerror or exc}") from None


def print_warnings(lines: list[str]) -> None:
    """One ``dvscraper: <line>`` on stderr each (unreadable Parquet files moved to ``quarantine/``)."""
    for line in lines:
        print(f"dvscraper: {line}", file=sys.stderr, flush=True)
