"""Command line: ``dvscraper parse | crawl | demo``.

``main(argv) -> int`` returns the exit code; expected failures print one
``dvscraper: <reason>`` line on stderr (tracebacks only with ``--debug``).
Exit codes: 0 ok, 1 failed crawl, 2 unreadable input / bad arguments, 3 not an article,
4 field-coverage alarm (dvscraper/coverage.py).
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_ARTICLE = 3


class CliError(Exception):
    """An expected failure: a one-line message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + exits 2; keep it to one line
        raise CliError(f"{self.prog.split()[-1]}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dvscraper", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    parse = commands.add_parser("parse", help="print the record of one saved page as JSON")
    parse.add_argument("file", help="saved HTML file ('-' for standard input)")
    parse.add_argument("--url", help="the page's URL (default: a file:// URL)")
    parse.add_argument("--listing", action="store_true", help="parse as a listing page")

    from dvscraper import crawl as crawl_command  # light module: argparse wiring only

    crawl_command.add_crawl_parser(commands)
    crawl_command.add_demo_parser(commands)
    from dvscraper import commands as output_commands  # stats, report, reparse (argparse wiring only)

    output_commands.add_parsers(commands)
    from dvscraper.compact import add_compact_parser

    add_compact_parser(commands)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def _read_input(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise CliError(f"cannot read {path}: is a directory", EXIT_USAGE) from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", EXIT_USAGE) from None


def run_parse(args: argparse.Namespace) -> int:
    from dvscraper.normalize.urls import canonical_url
    from dvscraper.parse import parse_article, parse_listing
    from dvscraper.records import NotAnArticle

    html = _read_input(args.file)
    url = args.url or (Path(args.file).resolve().as_uri() if args.file != "-" else "file:///dev/stdin")
    if not html.strip():
        raise CliError(f"cannot read {args.file}: empty file", EXIT_USAGE)
    try:
        canonical_url(url)
    except ValueError as exc:
        raise CliError(f"invalid --url {url!r}: {exc}", EXIT_USAGE) from None
    if args.url is not None:
        from dvscraper.cli_checks import check_page_url

        problem = check_page_url(url)
        if problem:
            raise CliError(f"invalid --url {url!r}: {problem}", EXIT_USAGE)
    from dvscraper.parse.limits import check_page_limits

    refused = check_page_limits(html)  # before libxml2 sees the page (bounded work per page)
    if refused:
        raise CliError(f"not an article: {refused} ({url})", EXIT_NOT_ARTICLE)
    try:
        record = parse_listing(html, url) if args.listing else parse_article(html, url)
    except NotAnArticle as exc:
        raise CliError(f"not an article: {exc.reason} ({url})", EXIT_NOT_ARTICLE) from None
    except OverflowError as exc:  # a date next to year 1 or 9999 that some normaliser still choked on
        raise CliError(f"not an article: unusable date ({exc}) ({url})", EXIT_NOT_ARTICLE) from None
    if not args.listing:
        from dvscraper.normalize.dates import published_out_of_bounds

        bad_date = published_out_of_bounds(record.published_at, now=record.crawled_at)
        if bad_date:
            raise CliError(f"not an article: {bad_date} ({url})", EXIT_NOT_ARTICLE)
    text = json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # UTF-8 whatever the locale says
    sys.stdout.buffer.flush()
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.command == "parse":
        return run_parse(args)
    if args.command == "compact":
        from dvscraper.compact import run_compact

        return run_compact(args)
    from dvscraper import commands as output_commands

    if args.command in output_commands.COMMANDS:
        return output_commands.run(args)
    from dvscraper import crawl as crawl_command

    return crawl_command.run(args)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        return run(parse_args(argv))
    except CliError as exc:
        from dvscraper.redact import mask_secrets

        print(f"dvscraper: {mask_secrets(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("dvscraper: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never a traceback for the user; --debug shows it
        if debug:
            raise
        from dvscraper.redact import mask_secrets

        message = str(exc).splitlines()[0] if str(exc) else ""
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            print(f"dvscraper: disk full: {mask_secrets(message)}", file=sys.stderr)
            return EXIT_FAILED
        print(f"dvscraper: unexpected error: {type(exc).__name__}: {mask_secrets(message)}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    # Run the importable module, not this __main__ copy: `dvscraper.crawl` raises
    # `dvscraper.cli.CliError`, which must be the class `main` catches.
    from dvscraper.cli import main as _main

    sys.exit(_main())
