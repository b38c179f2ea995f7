"""`dvscraper crawl` and `dvscraper demo`: argparse wiring and the crawl runner (WIP)."""

from __future__ import annotations

import argparse


def add_crawl_parser(commands) -> None:
    crawl = commands.add_parser("crawl", help="crawl the portal into Parquet datasets")
    crawl.add_argument("--start-url", action="append", dest="start_urls", metavar="URL")
    crawl.add_argument("--output", default="output")
    crawl.add_argument("--since")
    crawl.add_argument("--until")
    crawl.add_argument("--max-pages", type=int)


def add_demo_parser(commands) -> None:
    demo = commands.add_parser("demo", help="crawl the bundled replay site into --output")
    demo.add_argument("--output", default="output")


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError(args.command)
