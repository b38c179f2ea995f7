"""`dvscraper stats | report | reparse`: argparse wiring of the commands that read an output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
EXIT_USAGE = 2
COMMANDS = ("stats", "report", "reparse")


def add_parsers(commands) -> None:
    stats = commands.add_parser("stats", help="print the key figures of an output folder as tables")
    stats.add_argument("output", nargs="?", default="output", help="output folder (default: output/)")

    report = commands.add_parser("report", help="write a self-contained HTML report with plots")
    report.add_argument("output", nargs="?", default="output", help="output folder (default: output/)")
    report.add_argument("-o", "--out", dest="report_file", metavar="FILE",
                        help="HTML file to write (default: OUTPUT/report.html)")

    reparse = commands.add_parser("reparse", help="rebuild the datasets from WARC archives, offline")
    reparse.add_argument("archives", nargs="+", metavar="WARC",
                         help="WARC files (or folders holding them, e.g. output/warc/)")
    reparse.add_argument("--output", default="output-reparsed", help="output folder (default: output-reparsed/)")
    reparse.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                         help="override a setting, as with `dvscraper crawl -s`")


def run(args: argparse.Namespace) -> int:
    from dvscraper.cli import CliError

    if args.command in ("stats", "report"):
        output = Path(args.output)
        if not output.is_dir():
            raise CliError(f"no output folder at {output}", EXIT_USAGE)
        import sys

        from dvscraper.analysis import load_output
        from dvscraper.quarantine import quarantine_with_lock

        for line in quarantine_with_lock(output):  # an unreadable file must not hide the rest
            print(f"dvscraper: {line}", file=sys.stderr, flush=True)
        data = load_output(output)
        if args.command == "stats":
            from dvscraper.stats_table import print_stats

            print_stats(data)
            return EXIT_OK
        from dvscraper.report import write_report

        target = Path(args.report_file) if args.report_file else output / "report.html"
        if target.is_dir():
            raise CliError(f"cannot write the report to {target}: is a folder (give a file name)", EXIT_USAGE)
        if not target.parent.is_dir():
            raise CliError(f"cannot write the report to {target}: no folder {target.parent}", EXIT_USAGE)
        try:
            write_report(data, target)
        except OSError as exc:
            raise CliError(f"cannot write the report to {target}: {exc.strerror or exc}", 1) from None
        print(f"report: {target.resolve()}")
        return EXIT_OK
    if args.command == "reparse":
        return _run_reparse(args)
    raise ValueError(f"unknown command {args.command!r}")


def _run_reparse(args: argparse.Namespace) -> int:
    import sys

    from dvscraper.cli import CliError
    from dvscraper.crawl import _ensure_writable, _overrides
    from dvscraper.reparse import find_archives, reparse
    from dvscraper.summary import format_summary

    archives = find_archives([Path(p) for p in args.archives])
    missing = [str(p) for p in archives if not p.is_file()]
    if not archives or missing:
        raise CliError(f"no WARC file at {' '.join(missing or args.archives)}", EXIT_USAGE)
    from dvscraper.archive_checks import check_warc

    for path in archives:
        problem = check_warc(path)
        if problem:
            raise CliError(f"not a WARC file: {path} ({problem})", EXIT_USAGE)
    output = Path(args.output)
    _ensure_writable(output)
    args.log_level = "WARNING"
    overrides = _overrides(args)
    from dvscraper.lock import OutputLocked, hold_output

    try:
        lock = hold_output(output)  # like a crawl: one writer per output folder
    except OutputLocked as exc:
        raise CliError(str(exc), 1) from None
    for line in lock.quarantined:
        print(f"dvscraper: {line}", file=sys.stderr, flush=True)
    try:
        summary = reparse(archives, output, overrides=overrides)
    finally:
        lock.release()
    print(format_summary(summary), flush=True)
    return EXIT_OK
