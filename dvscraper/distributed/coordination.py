"""Distributed crawls on scrapy-redis: one frontier and one duplicate filter for many workers.

``dvscraper crawl --redis redis://HOST:6379/0`` (or ``-s DV_REDIS_URL=...``, also for
``scrapy crawl portal``) makes this process one *worker* of a shared crawl. Any number of
workers, on any number of machines, started with the same start URLs (or the same
``--redis-crawl NAME``) share:

- the frontier and the request duplicate filter: scrapy-redis's ``Scheduler`` with its
  ``PriorityQueue`` and ``RFPDupeFilter`` (keys ``dvscraper:<crawl>:requests`` and
  ``:dupefilter``), so each URL is fetched once by one of them, in priority order;
- the ``article_id``s written in this crawl (``:article_ids``, ``DedupePipeline``), so two
  URLs of one article never give two rows, whichever workers fetched them;
- a per-host limit on requests in flight, and the per-host delay between their starts
  (``HostLimiter``, used by ``middlewares/host_limit.py``): politeness holds for the sum
  of all workers, not for each;
- who is working (``DistributedCrawlExtension``): a worker whose own queue ran dry waits
  while any other worker is busy (it may still add requests) and stops by itself once
  the frontier has stayed empty and every worker idle for ``DV_REDIS_IDLE_SECONDS``.
  The last worker to leave a finished crawl compacts the partitions refetched articles
  were written into, and deletes the crawl's keys, so the next scheduled crawl starts
  afresh. A crawl whose workers were killed keeps its keys: starting workers again resumes it.

Each worker writes its own Parquet files (the run id, unique per worker, is in every file
name; files appear by atomic rename) into the shared output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from dvscraper.distributed.redact import mask_secrets
from dvscraper.errors import RedisUnavailable

KEY_PREFIX = "dvscraper"
BEAT_SECONDS = 0.25  # how often a worker tells Redis it is alive/busy, and checks for new requests
ALIVE_TTL_MS = 15_000  # a worker silent this long is taken for dead (killed)
BUSY_TTL_MS = 1_000  # a busy mark outlives its beat by 4 beats: idle peers can't miss it


def check_redis_url(url: str) -> str:
    """Accept ``redis://``, ``rediss://`` and ``unix://`` URLs; raise ``ValueError`` otherwise
    (the message shows the URL with its password masked)."""
    parts = urlsplit(url or "")
    shown = mask_secrets(url or "")  # the URL goes into messages from here on
    if parts.scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"bad --redis URL {shown!r} (expected redis://HOST[:PORT][/DB] or unix:///path.sock)")
    if parts.scheme != "unix" and not parts.hostname:
        raise ValueError(f"bad --redis URL {shown!r} (no host)")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ValueError(f"bad --redis URL {shown!r} (bad port)") from None
    return url


def connect(url: str):
    """A redis-py client for ``url``, proven with PING; ``RedisUnavailable`` otherwise."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise RedisUnavailable(mask_secrets(f"cannot use Redis at {url}: {exc}")) from None
    return client


def crawl_name(start_urls, explicit: str | None = None) -> str:
    """The crawl's name in Redis: ``explicit``, or derived from the start URLs (same URLs, same crawl)."""
    if explicit:
        return explicit
    digest = hashlib.sha1("\n".join(sorted(start_urls)).encode()).hexdigest()[:12]
    return f"urls-{digest}"


@dataclass(frozen=True, slots=True)
class CrawlKeys:
    """The Redis keys of one distributed crawl."""

    crawl: str

    def key(self, *parts: str) -> str:
        return ":".join((KEY_PREFIX, self.crawl, *parts))

    @property
    def requests(self) -> str:
        return self.key("requests")

    @property
    def dupefilter(self) -> str:
        return self.key("dupefilter")

    @property
    def article_ids(self) -> str:
        return self.key("article_ids")

    @property
    def workers(self) -> str:
        return self.key("workers")

    @property
    def partitions(self) -> str:
        return self.key("refetched_partitions")

    @property
    def lost(self) -> str:
        return self.key("lost_workers")

    def alive(self, worker: str) -> str:
        return self.key("alive", worker)

    def busy(self, worker: str) -> str:
        return self.key("busy", worker)

    def host_inflight(self, host: str) -> str:
        return self.key("host", host, "inflight")

    def host_next(self, host: str) -> str:
        return self.key("host", host, "next")

    @property
    def pattern(self) -> str:
        return self.key("*")


def scheduler_settings(url: str, keys: CrawlKeys) -> dict:
    """The Scrapy settings that put the frontier and the duplicate filter in Redis (scrapy-redis)."""
    return {
        "SCHEDULER": "dvscraper.distributed.scheduler.RedisScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        # The first worker to stop must not wipe what the others still use: keys are deleted by
        # the last worker of a finished crawl (DistributedCrawlExtension), and kept after a kill.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "REDIS_URL": url,
        # JSON, never pickle: a payload someone else wrote into the frontier runs nothing
        "SCHEDULER_SERIALIZER": "dvscraper.distributed.serializer",
        "DV_COMPACT_ON_CLOSE": False,  # the last worker compacts, for all of them
    }


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{os.urandom(3).hex()}"


# -- who is working ------------------------------------------------------------------------------
# Every script below takes KEYS[1] = the worker set, KEYS[2] = the set of workers lost (killed),
# ARGV[1] = the "alive" key prefix, ARGV[2] = the "busy" key prefix and ARGV[3] = this worker,
# and starts by counting the workers: those whose "alive" key expired (killed) move to the lost
# set, the others are counted, and, leaving out this worker, those busy.
_COUNT = """
local alive, busy = 0, 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. w) == 1 then
    alive = alive + 1
    if w ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. w) == 1 then busy = busy + 1 end
  else
    redis.call('SREM', KEYS[1], w)
    redis.call('SADD', KEYS[2], w)
  end
end
"""

# -> {alive, busy (others)}
_ALIVE = _COUNT + "return {alive, busy}\n"

# Leave the crawl atomically (KEYS[3], KEYS[4]: this worker's alive and busy keys) -> how many are
# still alive. Exactly one worker sees 0.
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[3])
redis.call('DEL', KEYS[3], KEYS[4])
""" + _COUNT + "return alive\n"

# Join (KEYS[3], KEYS[4]: this worker's alive and busy keys; KEYS[5..7]: frontier, duplicate filter,
# article ids; ARGV[4..6]: worker info, alive and busy TTLs). When no worker is alive and the
# frontier is empty, the crawl of this name ended without its last worker cleaning up (killed
# while the others stopped): its duplicate filter, article ids and lost workers would make this
# crawl skip everything, so they go.
_JOIN = _COUNT + """
local state = 'joined'
if alive == 0 then
  if redis.call('ZCARD', KEYS[5]) > 0 then state = 'resumed' else
    state = 'fresh'
    redis.call('DEL', KEYS[6], KEYS[7], KEYS[2])
  end
end
redis.call('SADD', KEYS[1], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
redis.call('SET', KEYS[4], 1, 'PX', ARGV[6])
return state
"""


class WorkerRegistry:
    """A worker's presence in Redis: alive (heartbeat), busy or idle, and leaving."""

    def __init__(self, client, keys: CrawlKeys, worker: str):
        self.client = client
        self.keys = keys
        self.worker = worker
        self._leave = client.register_script(_LEAVE)
        self._join = client.register_script(_JOIN)
        self._alive = client.register_script(_ALIVE)
        self._prefixes = [keys.alive(""), keys.busy(""), worker]  # ARGV[1..3] of every script

    def join(self) -> str:
        """Join the crawl -> ``"joined"`` (others are at work), ``"resumed"`` (nobody is, but the
        frontier holds requests: a killed crawl) or ``"fresh"`` (nobody is and the frontier is
        empty: what an earlier crawl of this name left, its filters, is cleared)."""
        info = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()})
        keys = self.keys
        return self._join(
            keys=[keys.workers, keys.lost, keys.alive(self.worker), keys.busy(self.worker), keys.requests,
                  keys.dupefilter, keys.article_ids],
            args=[*self._prefixes, info, ALIVE_TTL_MS, BUSY_TTL_MS],
        ).decode()

    def beat(self, busy: bool) -> None:
        pipe = self.client.pipeline()
        pipe.sadd(self.keys.workers, self.worker)  # back in the set if an idle peer dropped us as dead
        pipe.pexpire(self.keys.alive(self.worker), ALIVE_TTL_MS)
        if busy:  # an idle worker's mark is left to expire, never deleted early
            pipe.set(self.keys.busy(self.worker), 1, px=BUSY_TTL_MS)
        pipe.execute()

    def others_busy(self) -> int:
        return self.alive_peers()[1]

    def frontier_size(self) -> int:
        return int(self.client.zcard(self.keys.requests))

    def leave(self) -> int:
        """Leave the crawl; return the number of workers still alive (0: this was the last)."""
        keys = self.keys
        return int(self._leave(keys=[keys.workers, keys.lost, keys.alive(self.worker), keys.busy(self.worker)],
                               args=self._prefixes))

    def alive_peers(self) -> tuple[int, int]:
        """(workers still alive, how many others of them busy): dead ones are dropped from the set."""
        alive, busy = self._alive(keys=[self.keys.workers, self.keys.lost], args=self._prefixes)
        return int(alive), int(busy)

    def wait_alone(self, timeout: float) -> int:
        """After leaving a finished crawl: wait while the peers left are idle (dead ones stop beating
        within ``ALIVE_TTL_MS``; live idle ones stop by themselves) -> how many are alive at the end."""
        deadline = time.monotonic() + timeout
        while True:
            alive, busy = self.alive_peers()
            if not alive or busy or time.monotonic() >= deadline:
                return alive
            time.sleep(BEAT_SECONDS)

    def lost_workers(self) -> int:
        """How many workers of the crawl were killed (stopped beating without leaving)."""
        return int(self.client.scard(self.keys.lost))

    def count_page(self) -> int:
        """One more page fetched in the crawl -> how many so far (``--max-pages`` over all workers)."""
        return int(self.client.incr(self.keys.key("pages")))

    def claim_cleanup(self) -> bool:
        """Exactly one worker of a finished crawl compacts and deletes its keys."""
        return bool(self.client.set(self.keys.key("cleanup"), self.worker, nx=True, px=600_000))

    def delete_crawl(self) -> int:
        """Delete every key of the crawl (the frontier, filters, host slots, partitions)."""
        names = list(self.client.scan_iter(match=self.keys.pattern, count=1000))
        return int(self.client.delete(*names)) if names else 0


# -- per-host politeness over all workers ----------------------------------------------------------
# KEYS[1]: zset of tokens in flight for the host (score: lease expiry, ms); KEYS[2]: earliest start (ms).
# ARGV: token, limit, delay_ms, lease_ms. The clock is the Redis server's, so workers on machines
# with skewed clocks agree. Returns 0 when the token got a slot, else the milliseconds to wait.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.min(tonumber(first[2]) - now, 25))
end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + 1000)
return 0
"""


class HostLimiter:
    """At most ``limit`` requests in flight per host and ``delay`` seconds between starts, over all workers.

    A slot is a token in a Redis sorted set, leased for ``lease`` seconds: a worker killed
    mid-request frees its slots when the lease runs out.
    """

    def __init__(self, client, keys: CrawlKeys, *, lease: float):
        self.client = client
        self.keys = keys
        self.lease_ms = int(lease * 1000)
        self._acquire = client.register_script(_ACQUIRE)

    def try_acquire(self, host: str, token: str, *, limit: int, delay: float) -> float:
        """0.0 when ``token`` holds a slot of ``host`` now, else the seconds to wait before trying again."""
        wait_ms = self._acquire(keys=[self.keys.host_inflight(host), self.keys.host_next(host)],
                                args=[token, max(1, int(limit)), int(delay * 1000), self.lease_ms])
        return int(wait_ms) / 1000.0

    def release(self, host: str, token: str) -> None:
        self.client.zrem(self.keys.host_inflight(host), token)

    def in_flight(self, host: str) -> int:
        return int(self.client.zcard(self.keys.host_inflight(host)))
