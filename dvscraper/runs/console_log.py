"""Log lines and the live progress line on one terminal, without collisions.

While rich draws the live progress line on a terminal, a log record written straight to the same
stream lands in the middle of it (the line is redrawn over half of the record). ``log_through``
points every logging handler that writes to that stream at the rich console instead, for as long
as the line is live: rich prints each record above the line, whole, in Scrapy's own format. The
handlers get their stream back when it stops. Handlers writing to files (``LOG_FILE``) or to
other streams are left alone.
"""

from __future__ import annotations

import logging
from contextlib import suppress


class ConsoleStream:
    """A text stream that prints whole lines through a rich ``Console`` (above its live display)."""

    def __init__(self, console):
        self.console = console
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.write("\n")

    def isatty(self) -> bool:
        return True


def _same_stream(a, b) -> bool:
    if a is b:
        return True
    with suppress(AttributeError, ValueError, OSError):
        return a.fileno() == b.fileno()
    return False


def log_through(console, stream, logger: logging.Logger | None = None) -> list[tuple[logging.StreamHandler, object]]:
    """Point the handlers of ``logger`` (default: the root logger) that write to ``stream`` at
    ``console``; returns what ``restore`` needs."""
    swapped = []
    proxy = ConsoleStream(console)
    for handler in (logger or logging.getLogger()).handlers:
        if (isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler)
                and _same_stream(handler.stream, stream)):
            swapped.append((handler, handler.setStream(proxy)))
    return swapped


def restore(swapped: list[tuple[logging.StreamHandler, object]]) -> None:
    for handler, stream in swapped:
        with suppress(Exception):
            handler.flush()
        handler.setStream(stream)
