"""Distributed crawls on scrapy-redis, against a real Redis server and replay hosts on loopback.

The main case: two workers crawl two generated replay hosts together: the portal's template
on 127.0.0.1 and a sibling portal's other template on 127.0.0.2, each answering with a
latency, each described by a site profile (a sites file) whose politeness sets the per-host
limit. Their union must equal a
single-process crawl's, hold no ``article_id`` twice, and the replay servers must never
have seen more requests at once than the per-host limit, although each worker alone is
allowed that many: the limit holds for the sum of the workers.

Needs Debian's ``redis-server`` (``scripts/setup.sh`` installs it; CI must have it: there a
missing binary fails the suite instead of skipping it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import REPO, run_cli_crawl, write_sites_file
from tests.redis_server import redis_server, redis_server_binary

HOST_LIMIT = 3
LATENCY = 0.02
ARTICLES_PER_HOST = 120


@pytest.fixture(scope="module")
def redis_url():
    if redis_server_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (scripts/setup.sh installs Debian's redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with redis_server() as url:
        yield url


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture(scope="module")
def two_hosts():
    from dvscraper.replay import serve_replay

    with serve_replay(generate=ARTICLES_PER_HOST, host="127.0.0.1", latency=LATENCY) as first, \
            serve_replay(generate=ARTICLES_PER_HOST, host="127.0.0.2", latency=LATENCY, theme="sibling") as second:
        yield first, second


@pytest.fixture(scope="module")
def sites_file(two_hosts, tmp_path_factory) -> Path:
    """The two hosts as site profiles: the portal's with its selectors, the sibling's with none."""
    portal, sibling = two_hosts
    return write_sites_file(tmp_path_factory.mktemp("sites") / "sites.toml", portal, sibling,
                            concurrency=HOST_LIMIT)


def _article_ids(output: Path) -> list[str]:
    from dvscraper.dataset.layout import OutputLayout, parquet_files

    ids: list[str] = []
    for path in parquet_files(OutputLayout(output).articles):
        ids += pq.read_table(path, columns=["article_id"]).column("article_id").to_pylist()
    return ids


def _start_worker(target, output: Path, redis_url: str, *extra: str) -> subprocess.Popen:
    """A worker crawling ``target``: a sites file, or a list of replay hosts (start URLs)."""
    command = [sys.executable, "-m", "dvscraper.cli", "crawl", "--log-level", "WARNING", "--output", str(output),
               "--redis", redis_url, "-s", "DV_REDIS_IDLE_SECONDS=2", *extra]
    if isinstance(target, Path):
        command += ["--sites-file", str(target)]
    else:
        command += ["-s", f"DV_LOOPBACK_CONCURRENCY={HOST_LIMIT}"]
        for host in target:
            command += ["--start-url", str(host)]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen, timeout: float = 240) -> tuple[int, str, str, dict]:
    out, err = process.communicate(timeout=timeout)
    summary = {}
    for line in out.splitlines():
        if line.strip().startswith("summary:"):
            summary = json.loads(Path(line.split("summary:", 1)[1].strip()).read_text(encoding="utf-8"))
    return process.returncode, out, err, summary


@pytest.fixture(scope="module")
def two_worker_crawl(two_hosts, sites_file, redis_url, tmp_path_factory):
    """A single-process crawl, then two workers together, of the same two sites."""
    import redis

    single_out = tmp_path_factory.mktemp("single")
    result, _ = run_cli_crawl("--sites-file", str(sites_file), "--output", str(single_out))
    assert result.returncode == 0, result.stderr[-2000:]
    before = [host.server_stats() for host in two_hosts]

    out = tmp_path_factory.mktemp("distributed")
    started = time.monotonic()
    workers = [_start_worker(sites_file, out, redis_url) for _ in range(2)]
    finished = [_finish(worker) for worker in workers]
    elapsed = time.monotonic() - started
    after = [host.server_stats() for host in two_hosts]
    crawls = {summary["distributed"]["crawl"] for *_, summary in finished if summary.get("distributed")}
    assert len(crawls) == 1  # both workers joined one crawl
    keys_left = redis.Redis.from_url(redis_url).keys(f"dvscraper:{crawls.pop()}:*")
    figures = {
        "pages_per_worker": [summary.get("pages_received") for *_, summary in finished],
        "articles_per_worker": [summary.get("articles_written") for *_, summary in finished],
        "union": len(set(_article_ids(out))),
        "rows": len(_article_ids(out)),
        "single_process": len(set(_article_ids(single_out))),
        "max_in_flight_per_host": [stats["max_in_flight"] for stats in after],
        "requests_per_host": [a["requests"] - b["requests"] for a, b in zip(after, before)],
        "seconds": round(elapsed, 1),
    }
    print("two-worker crawl:", json.dumps(figures))
    return {"single": single_out, "out": out, "workers": finished, "figures": figures, "keys_left": keys_left}


def test_both_workers_finish_by_themselves_with_exit_0(two_worker_crawl):
    for code, out, err, summary in two_worker_crawl["workers"]:
        assert code == 0, (out[-1500:], err[-1500:])
        assert summary["finish_reason"] == "finished"


def test_both_workers_did_part_of_the_work(two_worker_crawl):
    pages = two_worker_crawl["figures"]["pages_per_worker"]
    articles = two_worker_crawl["figures"]["articles_per_worker"]
    assert all(p and p > 0 for p in pages), pages
    assert all(a and a > 0 for a in articles), articles


def test_union_equals_the_single_process_crawl(two_worker_crawl, two_hosts):
    ids = set(_article_ids(two_worker_crawl["out"]))
    assert ids == set(_article_ids(two_worker_crawl["single"]))
    from dvscraper.normalize.urls import article_id

    # ... and both are every article page the two hosts serve.
    assert ids == {article_id(url) for host in two_hosts for url in host.article_urls}


def test_no_article_id_twice(two_worker_crawl):
    ids = _article_ids(two_worker_crawl["out"])
    assert len(ids) == len(set(ids))


def test_per_host_limit_held_for_all_workers_together(two_worker_crawl):
    figures = two_worker_crawl["figures"]
    # Each worker alone may have HOST_LIMIT requests in flight per host: two would reach 2x without
    # the shared limit. Measured at the replay servers, where the requests land.
    assert all(0 < peak <= HOST_LIMIT for peak in figures["max_in_flight_per_host"]), figures
    # Every page was asked for once over all workers (shared duplicate filter): robots.txt once a worker.
    assert sum(figures["pages_per_worker"]) <= sum(figures["requests_per_host"])


def test_without_the_shared_limit_two_workers_do_exceed_it(redis_url, tmp_path):
    """The control: the same two workers, each holding the limit only for itself, overload a host,
    so the measurement above can see a breach."""
    from dvscraper.replay import serve_replay

    with serve_replay(generate=60, host="127.0.0.1", latency=0.05) as host:
        workers = [_start_worker([host], tmp_path / "out", redis_url, "-s", "DV_REDIS_HOST_LIMIT=false")
                   for _ in range(2)]
        for code, out, err, _ in (_finish(worker) for worker in workers):
            assert code == 0, (out[-1500:], err[-1500:])
        assert host.server_stats()["max_in_flight"] > HOST_LIMIT


def test_the_dataset_is_split_by_site_and_the_sibling_read_without_selectors(two_worker_crawl, two_hosts):
    import pyarrow.dataset as ds

    table = ds.dataset(two_worker_crawl["out"] / "articles", format="parquet").to_table(
        columns=["site", "title", "published_at", "read_count", "body_text"])
    sites = table.column("site").to_pylist()
    assert sorted(set(sites)) == ["127.0.0.1", "127.0.0.2"]
    folders = {p.name for p in (two_worker_crawl["out"] / "articles").iterdir() if p.is_dir()}
    assert folders >= {"127.0.0.1", "127.0.0.2"}
    sibling = [i for i, site in enumerate(sites) if site == "127.0.0.2"]
    assert len(sibling) == two_hosts[1].article_count
    for name in ("title", "published_at", "body_text"):
        assert all(table.column(name)[i].as_py() for i in sibling), name


def test_worker_files_have_unique_names_in_the_shared_dataset(two_worker_crawl):
    from dvscraper.dataset.layout import OutputLayout, parquet_files

    files = parquet_files(OutputLayout(two_worker_crawl["out"]).articles)
    run_ids = {summary["run_id"] for *_, summary in two_worker_crawl["workers"]}
    assert len(run_ids) == 2
    assert {next(r for r in run_ids if r in f.name) for f in files} == run_ids  # every file names its worker
    assert not list(two_worker_crawl["out"].rglob("*.tmp"))


def test_the_last_worker_out_deletes_the_crawl_keys(two_worker_crawl):
    assert two_worker_crawl["keys_left"] == []


def test_a_refresh_by_two_workers_leaves_one_row_per_article(two_worker_crawl, sites_file, redis_url):
    """Refetched articles write a second row; the last worker out compacts it away."""
    out = two_worker_crawl["out"]
    workers = [_start_worker(sites_file, out, redis_url, "--refresh-read-counts", "100000") for _ in range(2)]
    finished = [_finish(worker) for worker in workers]
    for code, stdout, err, _ in finished:
        assert code == 0, (stdout[-1500:], err[-1500:])
    assert sum(summary.get("articles_written", 0) for *_, summary in finished) > 0
    ids = _article_ids(out)
    assert len(ids) == len(set(ids)) == two_worker_crawl["figures"]["union"]


# -- the pieces ---------------------------------------------------------------------------------------
def test_host_limiter_never_exceeds_the_limit_across_clients(redis_client, redis_url):
    from dvscraper.distributed.coordination import CrawlKeys, HostLimiter, connect

    keys = CrawlKeys("limiter-test")
    limiters = [HostLimiter(connect(redis_url), keys, lease=30) for _ in range(4)]
    peak = 0
    lock = threading.Lock()
    holding = 0

    def client(limiter: HostLimiter, n: int) -> None:
        nonlocal holding, peak
        for i in range(n):
            token = f"{id(limiter)}-{i}"
            while limiter.try_acquire("h", token, limit=2, delay=0) > 0:
                time.sleep(0.001)
            with lock:
                holding += 1
                peak = max(peak, holding)
            time.sleep(0.002)
            with lock:
                holding -= 1
            limiter.release("h", token)

    threads = [threading.Thread(target=client, args=(limiter, 25)) for limiter in limiters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert peak == 2
    assert limiters[0].in_flight("h") == 0


def test_host_limiter_spaces_starts_by_the_delay_and_leases_expire(redis_client, redis_url):
    from dvscraper.distributed.coordination import CrawlKeys, HostLimiter, connect

    limiter = HostLimiter(connect(redis_url), CrawlKeys("delay-test"), lease=0.3)
    assert limiter.try_acquire("h", "a", limit=5, delay=0.2) == 0
    wait = limiter.try_acquire("h", "b", limit=5, delay=0.2)
    assert 0 < wait <= 0.2
    time.sleep(wait + 0.01)
    assert limiter.try_acquire("h", "b", limit=5, delay=0.2) == 0
    # limit 2 reached; "a" and "b" are never released (a killed worker): their leases free the host.
    assert limiter.try_acquire("h", "c", limit=2, delay=0) > 0
    time.sleep(0.35)
    assert limiter.try_acquire("h", "c", limit=2, delay=0) == 0


def test_only_the_last_live_worker_sees_zero_remaining(redis_client, redis_url):
    from dvscraper.distributed.coordination import CrawlKeys, WorkerRegistry, connect

    keys = CrawlKeys("registry-test")
    a, b, dead = (WorkerRegistry(connect(redis_url), keys, name) for name in ("a", "b", "dead"))
    for worker in (a, b, dead):
        worker.join()
    redis_client.delete(keys.alive("dead"))  # killed: its heartbeat key expired
    a.beat(busy=True)
    assert b.others_busy() >= 1
    assert a.leave() == 1  # b is still alive; the dead one does not count
    assert b.leave() == 0
    assert redis_client.smembers(keys.workers) == set()


def test_max_pages_is_the_budget_of_the_whole_crawl(redis_url, tmp_path):
    import redis

    from dvscraper.replay import serve_replay

    budget = 40
    with serve_replay(generate=120, host="127.0.0.1", latency=0.02) as host:
        workers = [_start_worker([host], tmp_path / "out", redis_url, "--max-pages", str(budget))
                   for _ in range(2)]
        finished = [_finish(worker) for worker in workers]
        served = host.server_stats()["requests"]
    for code, out, err, summary in finished:
        assert code == 0, (out[-1500:], err[-1500:])
        assert summary["finish_reason"] == "closespider_pagecount"
    fetched = sum(summary["pages_fetched"] for *_, summary in finished)
    # Over the budget: each worker's robots.txt, and what was in flight or took a host slot while
    # the close was on its way (the shared per-host limit bounds that); requests still waiting for
    # a slot are dropped and recorded as "cancelled" for the next run.
    slack = 2 + 3 * HOST_LIMIT
    assert budget <= fetched <= budget + slack, fetched
    assert served == fetched
    assert all(set(summary["failures"]) <= {"cancelled", "robots", "http_404"} for *_, summary in finished)
    crawl = finished[0][3]["distributed"]["crawl"]
    assert redis.Redis.from_url(redis_url).keys(f"dvscraper:{crawl}:*") == []  # the next crawl starts afresh


def test_joining_tells_fresh_resumed_and_joined_apart(redis_client, redis_url):
    from dvscraper.distributed.coordination import CrawlKeys, WorkerRegistry, connect

    keys = CrawlKeys("join-test")
    first = WorkerRegistry(connect(redis_url), keys, "first")
    redis_client.sadd(keys.dupefilter, "stale-fingerprint")  # left by a crawl whose workers all died
    redis_client.sadd(keys.article_ids, "stale-id")
    assert first.join() == "fresh"
    assert not redis_client.exists(keys.dupefilter) and not redis_client.exists(keys.article_ids)
    assert WorkerRegistry(connect(redis_url), keys, "second").join() == "joined"
    # everyone killed while the frontier still held requests: the next worker resumes them
    redis_client.delete(keys.alive("first"), keys.alive("second"))
    redis_client.zadd(keys.requests, {"pickled-request": 0})
    redis_client.sadd(keys.dupefilter, "seen")
    assert WorkerRegistry(connect(redis_url), keys, "third").join() == "resumed"
    assert redis_client.sismember(keys.dupefilter, "seen")


def test_a_killed_worker_loses_nothing_written_and_the_next_crawl_completes(redis_url, tmp_path):
    """SIGKILL one of two workers mid-crawl: the other finishes by itself; the dataset holds whole
    files and no duplicates; the next crawl (the dead crawl's filters cleared) fetches the rest."""
    import signal

    from dvscraper.replay import serve_replay

    out = tmp_path / "out"
    with serve_replay(generate=150, host="127.0.0.1", latency=0.03) as host:
        victim, survivor = (_start_worker([host], out, redis_url, "-s", "DV_PARQUET_ROW_GROUP_SIZE=5",
                                          "-s", "DV_PARQUET_FILE_ROWS=10") for _ in range(2))
        deadline = time.monotonic() + 60
        while host.server_stats()["requests"] < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=30)
        code, stdout, err, summary = _finish(survivor)
        assert code == 0 and summary["finish_reason"] == "finished", (stdout[-1500:], err[-1500:])
        ids = _article_ids(out)  # every visible file reads whole
        assert len(ids) == len(set(ids))
        # The next crawl: a fresh start (no live worker, empty frontier) that only adds what is missing.
        code, stdout, err, _ = _finish(_start_worker([host], out, redis_url))
        assert code == 0, (stdout[-1500:], err[-1500:])
        from dvscraper.normalize.urls import article_id

        ids = _article_ids(out)
        assert len(ids) == len(set(ids))
        assert set(ids) == {article_id(url) for url in host.article_urls}
        assert not list(out.rglob("*.tmp"))  # the first worker in removed the killed one's leftovers


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--redis", "ftp://127.0.0.1/"], 2, "bad --redis URL"),
        (["--redis", "redis://127.0.0.1:notaport/0"], 2, "bad --redis URL"),
        (["--redis-crawl", "x"], 2, "--redis-crawl needs --redis"),
        (["--redis", "redis://127.0.0.1:1/0"], 1, "cannot use Redis at redis://127.0.0.1:1/0"),
    ],
)
def test_bad_redis_arguments_exit_with_one_line(args, code, message, tmp_path):
    result, _ = run_cli_crawl("--start-url", "http://127.0.0.1:9/", "--output", str(tmp_path), *args, timeout=60)
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_workers_share_the_output_lock_but_an_ordinary_crawl_is_refused(tmp_path, monkeypatch):
    from dvscraper.dataset import lock
    from dvscraper.dataset.lock import OutputLock, OutputLocked

    monkeypatch.setattr(lock, "SHARE_PATIENCE", 0.2)

    first = OutputLock(tmp_path).acquire(shared=True)
    assert first.first
    first.share()
    second = OutputLock(tmp_path).acquire(shared=True)
    assert not second.first
    with pytest.raises(OutputLocked):
        OutputLock(tmp_path).acquire()
    first.release()
    second.release()
    ordinary = OutputLock(tmp_path).acquire()
    with pytest.raises(OutputLocked, match="not a worker of a distributed crawl"):
        OutputLock(tmp_path).acquire(shared=True)
    ordinary.release()
