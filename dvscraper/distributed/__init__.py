"""Distributed crawls on Redis (``--redis``): keys, worker registry and per-host limiter
(``coordination``), the scrapy-redis scheduler (``scheduler``) and the worker extension
(``worker``). Topology and failure handling: docs/DISTRIBUTED.md."""
