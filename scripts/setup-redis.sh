#!/usr/bin/env bash
# Make sure Debian's redis-server is installed: the distributed-crawl tests and benchmark start
# their own throw-away server on a loopback port (tests/redis_server.py); nothing is left running.
# As root with apt-get it installs the package; otherwise it says what to run.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing redis-server (Debian) for the distributed-crawl tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    # The package may start a system service; the tests use their own server, so stop it if it runs.
    (service redis-server stop || true) >/dev/null 2>&1
    exit 0
fi
echo "setup: redis-server is missing; install it (sudo apt-get install redis-server) to run the" \
     "distributed-crawl tests (they are skipped without it, and fail under CI)" >&2
