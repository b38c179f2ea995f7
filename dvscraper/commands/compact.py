"""`dvscraper compact [OUTPUT]`: rewrite each partition as one file, one row per ``article_id``.

Runs under the output's lock (exit 1 while a crawl holds it); see ``dvscraper.dataset.compact``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dvscraper.commands.options import add_output, print_warnings
from dvscraper.dataset.compact import compact_output
from dvscraper.dataset.layout import OutputLayout, migrate_legacy_articles
from dvscraper.dataset.lock import hold_output
from dvscraper.errors import UsageError

NAME = "compact"


def add_parser(commands) -> None:
    compact = commands.add_parser(NAME, help="rewrite each partition as one file, one row per article_id")
    add_output(compact, positional=True)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    layout = OutputLayout(output)
    if not layout.articles.is_dir():
        raise UsageError(f"{output} holds no articles/ to compact")
    lock = hold_output(output)  # raises OutputLocked (exit 1); also deletes .tmp leftovers of killed runs
    print_warnings(lock.quarantined)  # unreadable files moved aside: the rest compacts as usual
    try:
        migrate_legacy_articles(layout.articles)  # articles/year=... of older versions
        report = compact_output(output)
    finally:
        lock.release()
    print(f"compacted {report['partitions']} partitions of {layout.articles}: "
          f"{report['rows_before']} rows -> {report['rows_after']}; read_counts: "
          f"{report['read_counts_before']} -> {report['read_counts_after']} observations")
    return 0
