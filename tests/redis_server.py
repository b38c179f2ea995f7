"""A throw-away Redis server on loopback, for the distributed-crawl tests and benchmark.

Debian's ``redis-server`` (``scripts/setup.sh`` installs it where it can; ``.ci/run``
needs it) started on a free 127.0.0.1 port with no persistence, and stopped after.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager


def redis_server_binary() -> str | None:
    """``redis-server`` on PATH, or Debian's (``/usr/bin`` may be missing from a CI PATH)."""
    found = shutil.which("redis-server")
    return found or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def redis_server(binary: str | None = None, timeout: float = 15.0) -> Iterator[str]:
    """Start ``redis-server`` on a free loopback port; yield ``redis://127.0.0.1:PORT/0``."""
    import redis

    from dvscraper.replay import stop_process

    binary = binary or redis_server_binary()
    if binary is None:
        raise FileNotFoundError("redis-server not found (Debian package redis-server)")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="dv-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", workdir, "--protected-mode", "yes", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.RedisError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {process.stderr.read().decode()[-500:]}") from None
                time.sleep(0.05)
        yield url
    finally:
        stop_process(process)
        shutil.rmtree(workdir, ignore_errors=True)
