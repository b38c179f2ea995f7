"""`dvscraper report [OUTPUT] [-o FILE]`: one self-contained HTML file about an output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from dvscraper.commands.options import add_output, print_warnings
from dvscraper.dataset.lock import quarantine_with_lock
from dvscraper.errors import UsageError, WriteFailed

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

    print_warnings(quarantine_with_lock(output))  # an unreadable file must not hide the rest
    target = Path(args.report_file) if args.report_file else output / "report.html"
    if target.is_dir():
        raise UsageError(f"cannot write the report to {target}: is a folder (give a file name)")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write the report to {target}: no folder {target.parent}")
    data = figures.load_output(output)
    try:
        html_report.write_report(data, target)
    except OSError as exc:
        raise WriteFailed(f"cannot write the report to {target}: {exc.strerror or exc}") from None
    print(f"report: {target.resolve()}")
    return 0
