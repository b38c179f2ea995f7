"""`dvscraper report [OUTPUT] [-o FILE]`: one self-contained HTML file about an output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvscraper.commands.options import add_output
from dvscraper.errors import UsageError

NAME = "report"


def add_parser(commands) -> None:
    report = commands.add_parser(NAME, help="write a self-contained HTML report with plots")
    add_output(report, positional=True)
    report.add_argument("-o", "--out", dest="report_file", metavar="FILE",
                        help="HTML file to write (default: OUTPUT/report.html)")


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if not output.is_dir():
        raise UsageError(f"no output folder at {output}")
    from dvscraper.analysis import figures, html_report  # pandas and matplotlib: loaded only here

    target = Path(args.report_file) if args.report_file else output / "report.html"
    html_report.write_report(figures.load_output(output), target)
    print(f"report: {target.resolve()}")
    return 0
