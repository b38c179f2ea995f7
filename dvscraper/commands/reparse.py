"""`dvscraper reparse WARC... [--output DIR]`: rebuild the datasets from WARC archives, offline."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvscraper.commands.options import add_settings, ensure_writable, overrides, print_warnings
from dvscraper.commands.warc_checks import check_warc
from dvscraper.dataset.lock import hold_output
from dvscraper.errors import UsageError

NAME = "reparse"


def add_parser(commands) -> None:
    reparse = commands.add_parser(NAME, help="rebuild the datasets from WARC archives, offline")
    reparse.add_argument("archives", nargs="+", metavar="WARC",
                         help="WARC files (or folders holding them, e.g. output/warc/)")
    reparse.add_argument("--output", default="output-reparsed", help="output folder (default: output-reparsed/)")
    add_settings(reparse, what="a setting, as with `dvscraper crawl -s`")


def run(args: argparse.Namespace) -> int:
    from dvscraper.runs import reparse, summary  # imports Scrapy: only the commands that crawl pay for it

    archives = reparse.find_archives([Path(p) for p in args.archives])
    missing = [str(p) for p in archives if not p.is_file()]
    if not archives or missing:
        raise UsageError(f"no WARC file at {' '.join(missing or args.archives)}")
    for path in archives:
        problem = check_warc(path)
        if problem:
            raise UsageError(f"not a WARC file: {path} ({problem})")
    output = Path(args.output)
    ensure_writable(output)
    args.log_level = "WARNING"
    found = overrides(args)
    lock = hold_output(output)  # like a crawl: one writer per output folder (OutputLocked: exit 1)
    print_warnings(lock.quarantined)
    try:
        result = reparse.reparse(archives, output, overrides=found)
    finally:
        lock.release()
    print(summary.format_summary(result), flush=True)
    return 0
