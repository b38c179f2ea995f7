"""Distributed-crawl benchmark: 1, 2 and 4 workers over 1, 2 and 4 slow replay hosts, one Redis.

    .venv/bin/python scripts/bench_distributed.py                   # defaults below
    .venv/bin/python scripts/bench_distributed.py --articles 300 --latency 0.1 --limit 4

Each replay host (127.0.0.1, 127.0.0.2, ...: all loopback) serves a generated site and
answers every request after ``--latency`` seconds; the crawl's per-host limit is
``--limit`` requests in flight. So no crawl, however many workers it has, can go faster
than ``limit / latency`` pages/s per host: the *politeness ceiling*. The figures show
throughput growing with the number of hosts, workers adding throughput only where one
worker cannot keep every host at its ceiling, and the largest number of requests any host
saw at once (measured by the host itself), which must never pass ``--limit``.

pages/s is the host-side rate: all requests the hosts answered, over the span from the
first request to the last answer (process start-up and the idle wait before workers stop
are left out). Needs Debian's redis-server (scripts/setup-redis.sh); everything runs on
loopback and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dvscraper.replay import serve_replay  # noqa: E402 - after the sys.path line above
from tests.redis_server import redis_server  # noqa: E402 - after the sys.path line above


def run_workers(hosts, workers: int, redis_url: str, output: Path, limit: int, crawl: str) -> list[dict]:
    command = [sys.executable, "-m", "dvscraper.cli", "crawl", "--log-level", "ERROR", "--output", str(output),
               "--redis", redis_url, "--redis-crawl", crawl, "-s", "DV_REDIS_IDLE_SECONDS=2",
               "-s", f"DV_LOOPBACK_CONCURRENCY={limit}", "-s", "DV_PROGRESS=off"]
    for host in hosts:
        command += ["--start-url", str(host)]
    processes = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(workers)]
    summaries = []
    for process in processes:
        out, err = process.communicate(timeout=1800)
        if process.returncode != 0:
            raise SystemExit(f"worker exited {process.returncode}: {err.strip().splitlines()[-1:]}")
        path = next(line.split("summary:", 1)[1].strip() for line in out.splitlines() if "summary:" in line)
        summaries.append(json.loads(Path(path).read_text(encoding="utf-8")))
    return summaries


def one_case(n_hosts: int, workers: int, *, articles: int, latency: float, limit: int, redis_url: str) -> dict:
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        hosts = [stack.enter_context(serve_replay(generate=articles, host=f"127.0.0.{i + 1}", latency=latency))
                 for i in range(n_hosts)]
        summaries = run_workers(hosts, workers, redis_url, Path(tmp) / "out", limit, f"bench-{n_hosts}-{workers}")
        stats = [host.server_stats() for host in hosts]
        expected = sum(host.article_count for host in hosts)
    requests = sum(s["requests"] for s in stats)
    span = max(s["last_at"] for s in stats) - min(s["first_at"] for s in stats)
    ceiling = n_hosts * limit / latency
    rate = requests / span
    return {
        "hosts": n_hosts, "workers": workers, "requests": requests,
        "articles": sum(s.get("articles_written", 0) for s in summaries), "expected": expected,
        "pages_per_worker": [s.get("pages_received", 0) for s in summaries],
        "seconds": span, "pages_per_s": rate, "ceiling": ceiling, "of_ceiling": rate / ceiling,
        "max_in_flight": max(s["max_in_flight"] for s in stats),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=250, help="articles per host (default 250)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds each host takes per answer (0.1)")
    parser.add_argument("--limit", type=int, default=4, help="per-host limit of requests in flight (4)")
    parser.add_argument("--hosts", default="1,2,4", help="host counts to try (1,2,4)")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to try (1,2,4)")
    args = parser.parse_args(argv)
    host_counts = [int(x) for x in args.hosts.split(",")]
    worker_counts = [int(x) for x in args.workers.split(",")]
    print(f"per host: {args.articles} articles, {args.latency * 1000:.0f} ms per answer, limit {args.limit} "
          f"in flight -> ceiling {args.limit / args.latency:.0f} pages/s per host")
    print(f"{'hosts':>5} {'workers':>7} {'pages':>6} {'articles':>9} {'seconds':>8} {'pages/s':>8} "
          f"{'ceiling':>8} {'of ceil.':>8} {'max in flight/host':>18}  pages per worker")
    results = []
    started = time.monotonic()
    with redis_server() as redis_url:
        for n_hosts in host_counts:
            for workers in worker_counts:
                r = one_case(n_hosts, workers, articles=args.articles, latency=args.latency, limit=args.limit,
                             redis_url=redis_url)
                results.append(r)
                flag = "" if r["max_in_flight"] <= args.limit else "  LIMIT EXCEEDED"
                missing = "" if r["articles"] == r["expected"] else f"  (expected {r['expected']} articles)"
                print(f"{r['hosts']:>5} {r['workers']:>7} {r['requests']:>6} {r['articles']:>9} {r['seconds']:>8.1f} "
                      f"{r['pages_per_s']:>8.1f} {r['ceiling']:>8.0f} {r['of_ceiling']:>8.0%} "
                      f"{r['max_in_flight']:>18}  {r['pages_per_worker']}{flag}{missing}", flush=True)
    by = {(r["hosts"], r["workers"]): r["pages_per_s"] for r in results}
    print()
    for workers in worker_counts:
        base = by.get((host_counts[0], workers))
        if base:
            steps = ", ".join(f"{h} hosts {by[(h, workers)] / base:.2f}x"
                              for h in host_counts[1:] if (h, workers) in by)
            print(f"{workers} worker(s): throughput vs {host_counts[0]} host: {steps}")
    for n_hosts in host_counts:
        base = by.get((n_hosts, worker_counts[0]))
        if base:
            steps = ", ".join(f"{w} workers {by[(n_hosts, w)] / base:.2f}x" for w in worker_counts[1:]
                              if (n_hosts, w) in by)
            print(f"{n_hosts} host(s): throughput vs {worker_counts[0]} worker: {steps}")
    worst = max(r["max_in_flight"] for r in results)
    print(f"largest number of requests in flight at one host, any case: {worst} (limit {args.limit})")
    print(f"total time {time.monotonic() - started:.0f}s")
    return 0 if worst <= args.limit and all(r["articles"] == r["expected"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
