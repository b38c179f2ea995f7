#!/usr/bin/env python3
"""Parse throughput over the saved fixture pages, side by side in one run.

Contenders, each on the same bytes:
  - lxml.html.fromstring            the floor: building the tree and nothing else
  - dvscraper                       parse_article (parse_listing for pages under listings/)
  - trafilatura.bare_extraction     the peer, if installed (pip install -e '.[bench]')

Each contender runs whole passes over the corpus until --seconds have passed
(after one untimed warm-up pass). Targets from the parsers issue: at least
1,000 pages/s, and within 3x of the lxml floor.

    .venv/bin/python scripts/bench_parse.py [--seconds 2] [--check] [FILE_OR_DIR ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
CRAWLED_AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
TARGET_PAGES_PER_S = 1000.0
TARGET_FLOOR_RATIO = 3.0


class Page:
    __slots__ = ("data", "is_listing", "path", "url")

    def __init__(self, path: Path, data: bytes, url: str, is_listing: bool):
        self.path, self.data, self.url, self.is_listing = path, data, url, is_listing


def page_url(path: Path) -> str:
    """The URL recorded in the fixture's expected JSON, else one made from the file name."""
    expected = path.with_suffix(".json")
    if expected.is_file():
        try:
            url = json.loads(expected.read_text(encoding="utf-8")).get("url")
        except (ValueError, AttributeError):
            url = None
        if isinstance(url, str) and url:
            return url
    return f"https://dienbien.dcs.vn/{path.stem}"


def collect(targets: list[str]) -> list[Page]:
    paths: list[Path] = []
    for target in targets or [str(FIXTURES)]:
        target_path = Path(target)
        if target_path.is_dir():
            paths.extend(sorted(target_path.glob("**/*.html")))
        elif target_path.is_file():
            paths.append(target_path)
    return [
        Page(path, path.read_bytes(), page_url(path), "listings" in path.parts)
        for path in paths
    ]


def run_lxml(pages: list[Page]) -> Callable[[Page], object]:
    import lxml.html

    return lambda page: lxml.html.fromstring(page.data)


def run_dvscraper(pages: list[Page]) -> Callable[[Page], object]:
    from dvscraper import NotAnArticle, parse_article, parse_listing

    def call(page: Page) -> object:
        if page.is_listing:
            return parse_listing(page.data, page.url)
        try:
            return parse_article(page.data, page.url, crawled_at=CRAWLED_AT)
        except NotAnArticle as exc:  # a home or intro page: deciding so is part of the work
            return exc

    return call


def run_trafilatura(pages: list[Page]) -> Callable[[Page], object] | None:
    try:
        from trafilatura import bare_extraction
    except ImportError:
        return None
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    logging.getLogger("courlan").setLevel(logging.CRITICAL)

    def call(page: Page) -> object:
        try:
            return bare_extraction(page.data, url=page.url)
        except Exception as exc:  # the peer's failures are its own; count the page anyway
            return exc

    return call


CONTENDERS: list[tuple[str, Callable[[list[Page]], Callable[[Page], object] | None]]] = [
    ("lxml.html.fromstring (floor)", run_lxml),
    ("dvscraper parse_article/_listing", run_dvscraper),
    ("trafilatura bare_extraction (peer)", run_trafilatura),
]


def measure(call: Callable[[Page], object], pages: list[Page], seconds: float) -> tuple[int, float, int]:
    """(pages parsed, elapsed seconds, bytes parsed) over whole passes lasting >= ``seconds``."""
    for page in pages:  # warm-up: lazy imports, caches, first-call costs
        call(page)
    done = 0
    nbytes = 0
    started = time.perf_counter()
    while True:
        for page in pages:
            call(page)
        done += len(pages)
        nbytes += sum(len(page.data) for page in pages)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done, elapsed, nbytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="HTML files or folders (default: fixtures/)")
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds per contender (default 2)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    pages = collect(args.targets)
    if not pages:
        print(f"bench_parse: no .html pages under {', '.join(args.targets) or FIXTURES}", file=sys.stderr)
        return 2
    total = sum(len(page.data) for page in pages)
    listings = sum(page.is_listing for page in pages)
    import lxml.etree

    print(
        f"corpus: {len(pages)} pages ({len(pages) - listings} article/other, {listings} listing), "
        f"{total / 1024:.0f} KiB, mean {total / len(pages) / 1024:.1f} KiB/page"
    )
    print(
        f"python {platform.python_version()}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}, "
        f"libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))}, {args.seconds:g} s per contender\n"
    )

    results: list[tuple[str, float | None, float | None]] = []
    for name, factory in CONTENDERS:
        call = factory(pages)
        if call is None:
            results.append((name, None, None))
            continue
        done, elapsed, nbytes = measure(call, pages, args.seconds)
        results.append((name, done / elapsed, nbytes / elapsed / 2**20))

    floor = results[0][1]
    header = f"{'contender':<36} {'pages/s':>10} {'MiB/s':>8} {'ms/page':>8} {'x floor time':>13}"
    print(header)
    print("-" * len(header))
    for name, rate, mib in results:
        if rate is None:
            print(f"{name:<36} {'not installed (pip install -e .[bench])':>38}")
            continue
        ratio = floor / rate if floor else float("nan")
        print(f"{name:<36} {rate:>10,.0f} {mib:>8.1f} {1000 / rate:>8.3f} {ratio:>12.2f}x")

    ours = results[1][1] or 0.0
    ratio = floor / ours if ours else float("inf")
    peer = results[2][1]
    print()
    checks = [
        (f"dvscraper >= {TARGET_PAGES_PER_S:,.0f} pages/s", ours >= TARGET_PAGES_PER_S, f"{ours:,.0f} pages/s"),
        (f"dvscraper within {TARGET_FLOOR_RATIO:g}x of the lxml floor", ratio <= TARGET_FLOOR_RATIO, f"{ratio:.2f}x"),
    ]
    for label, ok, shown in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label:<45} ({shown})")
    if peer:
        print(f"      dvscraper vs trafilatura: {ours / peer:.1f}x the peer's throughput")
    return 0 if (all(ok for _, ok, _ in checks) or not args.check) else 1


if __name__ == "__main__":
    sys.exit(main())
