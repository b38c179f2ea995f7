"""`dvscraper parse FILE [--url URL] [--listing]`: print the record of one saved page as JSON.

stdout carries the record only (UTF-8, not ASCII-escaped, whatever the locale); exit 2 for
input that cannot be read or a ``--url`` that is not an absolute http(s) URL, 3 for a page that
is not an article (also one refused before parsing: ``dvscraper.parse.limits``, or one whose
publish date is out of bounds: ``normalize.dates.published_out_of_bounds``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dvscraper.commands.checks import check_page_url
from dvscraper.commands.page_url import listing_url
from dvscraper.errors import NotArticleInput, UsageError
from dvscraper.normalize.dates import published_out_of_bounds
from dvscraper.normalize.urls import canonical_url
from dvscraper.parse import parse_article, parse_listing
from dvscraper.parse.limits import check_page_limits
from dvscraper.records import NotAnArticle

NAME = "parse"


def add_parser(commands) -> None:
    parse = commands.add_parser(NAME, help="print the record of one saved page as JSON")
    parse.add_argument("file", help="saved HTML file ('-' for standard input)")
    parse.add_argument("--url", help="the page's URL (default: a file:// URL; --listing: the page's <base href>, "
                                     "canonical link or og:url)")
    parse.add_argument("--listing", action="store_true", help="parse as a listing page")


def read_input(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise UsageError(f"cannot read {path}: is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    html = read_input(args.file)
    url = args.url or (Path(args.file).resolve().as_uri() if args.file != "-" else "file:///dev/stdin")
    if not html.strip():
        raise UsageError(f"cannot read {args.file}: empty file")
    if args.listing and not args.url:
        url = listing_url(html, url)  # <base href>, canonical link or og:url; else --url is needed
    try:
        canonical_url(url)
    except ValueError as exc:
        raise UsageError(f"invalid --url {url!r}: {exc}") from None
    if args.url is not None:
        problem = check_page_url(url)
        if problem:
            raise UsageError(f"invalid --url {url!r}: {problem}")
    refused = check_page_limits(html)  # before libxml2 sees the page (bounded work per page)
    if refused:
        raise NotArticleInput(f"not an article: {refused} ({url})")
    try:
        record = parse_listing(html, url) if args.listing else parse_article(html, url)
    except NotAnArticle as exc:
        raise NotArticleInput(f"not an article: {exc.reason} ({url})") from None
    except OverflowError as exc:  # a date next to year 1 or 9999 that some normaliser still choked on
        raise NotArticleInput(f"not an article: unusable date ({exc}) ({url})") from None
    if not args.listing:
        bad_date = published_out_of_bounds(record.published_at, now=record.crawled_at)
        if bad_date:
            raise NotArticleInput(f"not an article: {bad_date} ({url})")
    text = json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # UTF-8 whatever the locale says
    sys.stdout.buffer.flush()
    return 0
