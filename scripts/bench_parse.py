#!/usr/bin/env python3
"""Parse throughput over the saved fixture pages, side by side in one process.

Two sets: the full-size pages (fixtures of at least --full-kib KiB, the portal's whole chrome
around the article) and the small ones. Each set runs --rounds interleaved rounds; in every
round each contender makes one timed pass over the set, in turn, on the same bytes:

  - lxml.html.fromstring            the floor: building the tree and nothing else
  - dvscraper                       parse_article (parse_listing for pages under listings/)
  - trafilatura.bare_extraction     the peer, if installed (pip install -e '.[bench]')

Printed per set and contender: min / median pages/s over the rounds and the median time as a
multiple of the floor's; then dvscraper's slowest page (its best time over the rounds) and its
ratio to lxml on that page. Targets (the parser-speed issue): a median of at most 3x the floor
on each set, no page above 5x.

    .venv/bin/python scripts/bench_parse.py [--rounds 7] [--code DIR] [--check] [FILE_OR_DIR ...]

``--code DIR`` imports dvscraper from another checkout (e.g. a ``git worktree`` of an older
commit), so before/after figures come from the same script and corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
CRAWLED_AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
TARGET_MEDIAN_RATIO = 3.0
TARGET_PAGE_RATIO = 5.0


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
    for target in targets or [str(FIXTURES / kind) for kind in ("articles", "listings", "not_articles")]:
        target_path = Path(target)
        if target_path.is_dir():
            paths.extend(sorted(target_path.glob("**/*.html")))
        elif target_path.is_file():
            paths.append(target_path)
    return [Page(path, path.read_bytes(), page_url(path), "listings" in path.parts) for path in paths]


def run_lxml() -> Callable[[Page], object]:
    import lxml.html

    return lambda page: lxml.html.fromstring(page.data)


def run_dvscraper() -> Callable[[Page], object]:
    from dvscraper import NotAnArticle, parse_article, parse_listing

    def call(page: Page) -> object:
        if page.is_listing:
            return parse_listing(page.data, page.url)
        try:
            return parse_article(page.data, page.url, crawled_at=CRAWLED_AT)
        except NotAnArticle as exc:  # a home or intro page: deciding so is part of the work
            return exc

    return call


def run_trafilatura() -> Callable[[Page], object] | None:
    try:
        from trafilatura import bare_extraction
    except ImportError:
        return None
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    def call(page: Page) -> object:
        try:
            return bare_extraction(page.data, url=page.url)
        except Exception as exc:
            return exc

    return call


FLOOR, OURS, PEER = "lxml.html.fromstring (floor)", "dvscraper", "trafilatura (peer)"


def bench_set(pages: list[Page], contenders: dict, rounds: int) -> tuple[dict, dict]:
    """Per contender the pages/s of each round; per page the best seconds of each contender."""
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    best: dict[tuple[str, Path], float] = {}
    for call in contenders.values():  # warm-up: lazy imports, caches, first-call costs
        for page in pages:
            call(page)
    clock = time.perf_counter
    for _ in range(rounds):
        for name, call in contenders.items():
            total = 0.0
            for page in pages:
                started = clock()
                call(page)
                took = clock() - started
                total += took
                key = (name, page.path)
                if took < best.get(key, float("inf")):
                    best[key] = took
            rates[name].append(len(pages) / total)
    return rates, best


def report(label: str, pages: list[Page], rates: dict, best: dict) -> tuple[float, float]:
    size = sum(len(p.data) for p in pages)
    print(f"\n{label}: {len(pages)} pages, mean {size / len(pages) / 1024:.1f} KiB")
    floor_median = statistics.median(rates[FLOOR])
    header = f"  {'contender':<30} {'min pages/s':>12} {'median':>10} {'x floor (median)':>17}"
    print(header)
    print("  " + "-" * (len(header) - 2))
    for name, values in rates.items():
        median = statistics.median(values)
        print(f"  {name:<30} {min(values):>12,.0f} {median:>10,.0f} {floor_median / median:>16.2f}x")
    ours_ratio = floor_median / statistics.median(rates[OURS])
    per_page = [(best[(OURS, p.path)] / best[(FLOOR, p.path)], best[(OURS, p.path)], p) for p in pages]
    worst_ratio, worst_time, worst = max(per_page, key=lambda row: row[0])
    slowest_time, slowest = max((best[(OURS, p.path)], p) for p in pages)
    print(f"  dvscraper's highest ratio: {worst_ratio:.2f}x lxml on {worst.path.name} ({worst_time * 1000:.2f} ms)")
    print(f"  dvscraper's slowest page:  {slowest_time * 1000:.2f} ms, {slowest.path.name} "
          f"({best[(OURS, slowest.path)] / best[(FLOOR, slowest.path)]:.2f}x lxml)")
    return ours_ratio, worst_ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="HTML files or folders (default: the fixtures)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per set (default 7)")
    parser.add_argument("--full-kib", type=float, default=20.0, help="full-size pages: at least this many KiB")
    parser.add_argument("--code", help="import dvscraper from this checkout instead of this one")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(args.code).resolve() if args.code else REPO))
    pages = collect(args.targets)
    if not pages:
        print(f"bench_parse: no .html pages under {', '.join(args.targets) or FIXTURES}", file=sys.stderr)
        return 2
    import lxml.etree

    import dvscraper

    contenders = {FLOOR: run_lxml(), OURS: run_dvscraper()}
    peer = run_trafilatura()
    if peer is not None:
        contenders[PEER] = peer
    print(f"python {platform.python_version()}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}, "
          f"dvscraper from {Path(dvscraper.__file__).parent.parent}, {args.rounds} interleaved rounds"
          + ("" if peer else "; trafilatura not installed (pip install -e .[bench])"))
    full = [p for p in pages if len(p.data) >= args.full_kib * 1024]
    small = [p for p in pages if len(p.data) < args.full_kib * 1024]
    verdicts = []
    for label, subset in ((f"full-size pages (>= {args.full_kib:g} KiB)", full), ("small pages", small)):
        if not subset:
            continue
        rates, best = bench_set(subset, contenders, args.rounds)
        median_ratio, worst_ratio = report(label, subset, rates, best)
        verdicts.append((label, median_ratio, worst_ratio))
    print()
    ok = True
    for label, median_ratio, worst_ratio in verdicts:
        good = median_ratio <= TARGET_MEDIAN_RATIO and worst_ratio <= TARGET_PAGE_RATIO
        ok = ok and good
        print(f"{'PASS' if good else 'FAIL'}  {label}: median {median_ratio:.2f}x the floor "
              f"(target <= {TARGET_MEDIAN_RATIO:g}x), worst page {worst_ratio:.2f}x (target <= {TARGET_PAGE_RATIO:g}x)")
    return 0 if (ok or not args.check) else 1


if __name__ == "__main__":
    sys.exit(main())
