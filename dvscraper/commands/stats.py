"""`dvscraper stats [OUTPUT]`: the key figures of an output folder as tables in the terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvscraper.commands.options import add_output, print_warnings
from dvscraper.dataset.lock import quarantine_with_lock
from dvscraper.errors import UsageError

NAME = "stats"


def add_parser(commands) -> None:
    stats = commands.add_parser(NAME, help="print the key figures of an output folder as tables")
    add_output(stats, positional=True)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if not output.is_dir():
        raise UsageError(f"no output folder at {output}")
    from dvscraper.analysis import figures, tables  # pandas and rich: loaded by the commands that use them

    print_warnings(quarantine_with_lock(output))  # an unreadable file must not hide the rest
    tables.print_stats(figures.load_output(output))
    return 0
