"""Crawl benchmark: `dvscraper crawl` of a generated replay site vs `scrapy bench`, same machine, same run.

    .venv/bin/python scripts/bench_crawl.py                 # 10,000 articles, then 50,000 for RSS growth
    .venv/bin/python scripts/bench_crawl.py --large 0       # only the 10,000-article crawl

Prints pages/s, articles/s and the crawl process's peak RSS (``os.wait4`` rusage of
that child alone), side by side with `scrapy bench`'s pages/s (the mean of its
"Crawled N pages (at X pages/min)" log lines, run outside the project so it uses
Scrapy's defaults), the ratio, and the peak RSS at 10,000 vs 50,000 articles.
Everything runs on 127.0.0.1. Targets (issue 3): throughput >= 70% of scrapy bench;
peak RSS < 300 MB at 10,000 articles; RSS growth < 20% from 10,000 to 50,000.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dvscraper.replay import serve_replay  # noqa: E402

PAGES_PER_MIN = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")
TARGET_RATIO = 0.70
TARGET_RSS_MB = 300.0
TARGET_GROWTH = 0.20


def wait_with_rusage(process: subprocess.Popen) -> tuple[int, float]:
    """Wait for one child; return (exit code, its own peak RSS in MB)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024.0  # Linux: kilobytes


def scrapy_bench(seconds: int) -> dict:
    """`scrapy bench` outside any project (Scrapy defaults), parsed from its log."""
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    with tempfile.TemporaryDirectory() as tmp:
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
            cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log = process.stderr.read()
        code, rss = wait_with_rusage(process)
    if code != 0:
        raise RuntimeError(f"scrapy bench failed ({code}):\n{log[-2000:]}")
    rates = [int(rate) for pages, rate in PAGES_PER_MIN.findall(log) if int(pages) > 0]
    total = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    return {
        "pages_per_s": sum(rates) / len(rates) / 60.0 if rates else 0.0,
        "pages_per_s_overall": int(total.group(1)) / float(elapsed.group(1)) if total and elapsed else None,
        "samples": len(rates),
        "peak_rss_mb": rss,
    }


def crawl_generated(n_articles: int, log_level: str) -> dict:
    """`dvscraper crawl` of a generated replay site of ``n_articles``; the crawl process measured alone."""
    with tempfile.TemporaryDirectory() as tmp, serve_replay(generate=n_articles) as url:
        output = Path(tmp) / "out"
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "dvscraper.cli", "crawl", "--start-url", url, "--output", str(output),
             "--log-level", log_level],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = process.stdout.read(), process.stderr.read()
        code, rss = wait_with_rusage(process)
        wall = time.monotonic() - started
        if code != 0:
            raise RuntimeError(f"crawl failed ({code}):\n{stderr[-3000:]}\n{stdout[-2000:]}")
        (summary_file,) = (output / "runs").glob("*.json")
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        expected = url.article_count
    duration = summary["duration_s"]
    return {
        "articles_expected": expected,
        "articles_written": summary["articles_written"],
        "pages": summary["pages_fetched"],
        "duration_s": duration,
        "wall_s": wall,
        "pages_per_s": summary["pages_fetched"] / duration,
        "articles_per_s": summary["articles_written"] / duration,
        "peak_rss_mb": rss,
        "failures": summary["failures"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=50_000, help="second site size for RSS growth (0: skip)")
    parser.add_argument("--bench-seconds", type=int, default=10, help="scrapy bench duration")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    print(f"scrapy bench ({args.bench_seconds}s, Scrapy defaults) ...", flush=True)
    bench = scrapy_bench(args.bench_seconds)
    print(f"dvscraper crawl of a generated site of {args.articles:,} articles ...", flush=True)
    small = crawl_generated(args.articles, args.log_level)
    large = None
    if args.large:
        print(f"dvscraper crawl of a generated site of {args.large:,} articles ...", flush=True)
        large = crawl_generated(args.large, args.log_level)

    ratio = small["pages_per_s"] / bench["pages_per_s"] if bench["pages_per_s"] else 0.0
    print()
    print(f"{'':34s}{'pages/s':>10s}{'articles/s':>12s}{'peak RSS MB':>13s}{'pages':>9s}{'time s':>9s}")
    print(f"{'scrapy bench':34s}{bench['pages_per_s']:10.1f}{'-':>12s}{bench['peak_rss_mb']:13.1f}"
          f"{'-':>9s}{args.bench_seconds:9d}")
    for label, run in ((f"dvscraper crawl {args.articles:,}", small),
                       (f"dvscraper crawl {args.large:,}", large)):
        if run:
            print(f"{label:34s}{run['pages_per_s']:10.1f}{run['articles_per_s']:12.1f}{run['peak_rss_mb']:13.1f}"
                  f"{run['pages']:9d}{run['duration_s']:9.1f}")
    print()
    ok = True
    verdict = lambda good: "ok" if good else "MISSED"  # noqa: E731
    good = ratio >= TARGET_RATIO
    ok &= good
    print(f"throughput: {ratio:.0%} of scrapy bench pages/s (target >= {TARGET_RATIO:.0%}): {verdict(good)}")
    good = small["peak_rss_mb"] < TARGET_RSS_MB
    ok &= good
    print(f"peak RSS at {args.articles:,}: {small['peak_rss_mb']:.1f} MB (target < {TARGET_RSS_MB:.0f} MB): "
          f"{verdict(good)}")
    growth = None
    if large:
        growth = large["peak_rss_mb"] / small["peak_rss_mb"] - 1.0
        good = growth < TARGET_GROWTH
        ok &= good
        print(f"peak RSS {args.articles:,} -> {args.large:,}: {small['peak_rss_mb']:.1f} -> "
              f"{large['peak_rss_mb']:.1f} MB ({growth:+.1%}; target < +{TARGET_GROWTH:.0%}): {verdict(good)}")
    for run in filter(None, (small, large)):
        complete = run["articles_written"] == run["articles_expected"]
        ok &= complete
        print(f"articles written {run['articles_written']:,} of {run['articles_expected']:,}: {verdict(complete)}")
    if args.json:
        args.json.write_text(json.dumps({"scrapy_bench": bench, "crawl": small, "crawl_large": large,
                                         "ratio": ratio, "rss_growth": growth}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
