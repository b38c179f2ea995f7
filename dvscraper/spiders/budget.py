"""A time budget for one parse in the crawl (``DV_PARSE_TIME_BUDGET`` seconds, 0: none).

``parse_budget(seconds)`` arms a ``SIGALRM`` interval timer around the parser call when it runs in
the main thread (the reactor's, in ``dvscraper crawl`` and ``scrapy crawl``): when the budget is
spent, ``ParseTimeout`` is raised in the parser's Python code and the page is refused. Work inside
one libxml2 call cannot be interrupted by a signal; ``dvscraper.parse.limits.check_page_limits``,
run first, is what keeps that work bounded. Elsewhere (a thread) the parse runs to its end and is
refused afterwards when it took longer than the budget, so its result is never used either way.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from dvscraper.errors import ParseTimeout

__all__ = ["ParseTimeout", "parse_budget"]


@contextmanager
def parse_budget(seconds: float | None):
    if not seconds or seconds <= 0:
        yield
        return
    use_signal = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    armed = {"on": True}
    previous = None
    if use_signal:
        def _expired(signum, frame):
            if armed["on"]:
                armed["on"] = False
                raise ParseTimeout(seconds)

        try:
            previous = signal.signal(signal.SIGALRM, _expired)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        except (ValueError, OSError):
            use_signal = False
    started = time.monotonic()
    try:
        yield
    finally:
        armed["on"] = False
        if use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
    if time.monotonic() - started > seconds:
        raise ParseTimeout(seconds)
