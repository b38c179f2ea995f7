"""`dvscraper demo`: crawl the bundled replay of the portal (a loopback server) into ``--output``."""

from __future__ import annotations

import argparse
import socket
from contextlib import ExitStack
from pathlib import Path

import pyarrow.parquet as pq

from dvscraper.commands.options import add_common, add_output, ensure_writable, overrides
from dvscraper.dataset.layout import OutputLayout, parquet_files
from dvscraper.errors import UsageError
from dvscraper.replay import serve_replay
from dvscraper.spiders.params import CrawlParams

NAME = "demo"
DEMO_PORT = 47613  # the demo's replay port when free (any free port otherwise)


def add_parser(commands) -> None:
    demo = commands.add_parser(NAME, help="crawl the bundled replay site into --output")
    add_output(demo)
    demo.add_argument("--generate", type=int, metavar="N",
                      help="crawl a generated replay site of N articles instead of the fixture copy")
    add_common(demo, default_log_level="WARNING")


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    ensure_writable(output)
    found = overrides(args)
    if args.generate is not None and args.generate < 1:
        raise UsageError("--generate must be a positive number of articles")
    from dvscraper.runs import runner  # imports Scrapy: only the commands that crawl pay for it

    with ExitStack() as stack:
        # The same port every time when it is free, so a second demo into the same output finds the
        # same article URLs (same article_ids: skipped as duplicates); any free port otherwise.
        site = stack.enter_context(serve_replay(generate=args.generate, port=_demo_port()))
        print(f"replay site: {site.url} ({site.article_count} article pages)", flush=True)
        params = CrawlParams.parse(start_urls=[site.url], output=output)
        summary = runner.crawl(params, found)
    runner.report(summary)  # raises when the crawl failed (exit 1) or breached the coverage alarm (exit 4)
    in_dataset = _urls_in_dataset(output) & set(site.article_urls)
    missing = sorted(set(site.article_urls) - in_dataset)
    print(f"article pages of the replay site in the dataset: {len(in_dataset)} of {site.article_count}"
          + (f" (missing: {' '.join(missing[:5])}{' ...' if len(missing) > 5 else ''})" if missing else ""))
    return 0


def _demo_port() -> int:
    """``DEMO_PORT`` when it is free on 127.0.0.1, else 0 (any free port)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", DEMO_PORT))
        except OSError:
            return 0
    return DEMO_PORT


def _urls_in_dataset(output: Path) -> set[str]:
    urls: set[str] = set()
    for path in parquet_files(OutputLayout(output).articles):
        urls.update(pq.read_table(path, columns=["url"]).column("url").to_pylist())
    return urls
