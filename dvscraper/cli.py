"""Command line: ``dvscraper parse | crawl | demo | stats | report | reparse | compact``.

``main(argv) -> int`` returns the exit code. Each command is a module of
``dvscraper.commands``; an expected failure is a ``dvscraper.errors.DvscraperError``, printed
as one ``dvscraper: <reason>`` line on stderr and ending the command with its ``exit_code``
(the codes are defined once, in ``dvscraper.errors``), a password in a URL masked
(``dvscraper.distributed.redact``). A full disk is ``disk full`` (exit 1). Tracebacks only with
``--debug``.
"""

from __future__ import annotations

import argparse
import errno
import sys

from dvscraper.commands import compact, crawl, demo, parse, reparse, report, stats
from dvscraper.distributed.redact import mask_secrets
from dvscraper.errors import EXIT_INTERRUPTED, CrawlFailed, DvscraperError, UsageError, WriteFailed

COMMANDS = {module.NAME: module for module in (parse, crawl, demo, stats, report, reparse, compact)}


DESCRIPTION = """\
dvscraper crawls the news portal of the Điện Biên Provincial Party Committee
(dienbien.dcs.vn), extracts every article into a typed record and writes Parquet datasets."""

EPILOG = """\
`dvscraper COMMAND --help` shows a command's options.
exit codes: 0 done, 1 the crawl failed (or its output is in use), 2 bad arguments or unreadable input,
3 not an article (parse), 4 the coverage alarm (crawl), 130 interrupted."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse prints usage + exits 2; keep it to one line
        if message == "the following arguments are required: COMMAND":
            message = f"a command is needed: {', '.join(COMMANDS)} (see dvscraper --help)"
        command = self.prog.split()[-1]
        # main() puts "dvscraper: " before every message; a command's own errors also name it
        raise UsageError(message if command == "dvscraper" else f"{command}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dvscraper", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                       title="commands", metavar="COMMAND")
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    for choice in subparsers._choices_actions:  # `dvscraper COMMAND --help` opens with the command's summary
        command = subparsers.choices[choice.dest]
        if command.description is None and choice.help:
            command.description = choice.help[0].upper() + choice.help[1:] + "."
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    return COMMANDS[args.command].run(args)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        return run(parse_args(argv))
    except DvscraperError as exc:
        print(f"dvscraper: {mask_secrets(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dvscraper: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # never a traceback for the user; --debug shows it
        if debug:
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            print(f"dvscraper: disk full: {mask_secrets(message)}", file=sys.stderr)
            return WriteFailed.exit_code
        print(f"dvscraper: unexpected error: {type(exc).__name__}: {mask_secrets(message)}", file=sys.stderr)
        return CrawlFailed.exit_code


if __name__ == "__main__":
    sys.exit(main())
