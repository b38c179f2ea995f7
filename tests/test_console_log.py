"""Log records and the live progress line on one terminal (issue 16): records print above the
line, whole, through the rich console; the handlers get their stream back when it stops."""

from __future__ import annotations

import io
import logging
import re
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from dvscraper.runs.console_log import ConsoleStream, log_through, restore
from dvscraper.runs.progress import ProgressExtension
from tests.conftest import StatsStub

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MESSAGE = "Crawled (200) <GET http://127.0.0.1:1/T/TIN-TUC-SU-KIEN?PageIndex=2> (referer: None)"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal_handler():
    """A root-logger handler writing to a fake terminal, as Scrapy's is to stderr."""
    stream = FakeTerminal()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream, handler
    finally:
        root.removeHandler(handler)


def _screen_lines(raw: str) -> list[str]:
    """What the terminal shows line by line: escape sequences dropped, each line after its last \\r."""
    return [line.rsplit("\r", 1)[-1] for line in _ANSI.sub("", raw).split("\n")]


def test_a_log_record_prints_above_the_live_line_whole(terminal_handler):
    stream, handler = terminal_handler
    stats = StatsStub()
    stats.values.update({"response_received_count": 7, "dv/articles_written": 3})
    crawler = SimpleNamespace(stats=stats, settings=Settings({}))
    ext = ProgressExtension(crawler, mode="auto", stream=stream)
    assert ext.live
    ext._start_live()
    assert isinstance(handler.stream, ConsoleStream), "while the line is live, records go through rich"
    logging.getLogger("scrapy.core.engine").warning(MESSAGE)
    ext.spider_closed(None, "finished")
    assert handler.stream is stream, "the handler has its stream back"
    lines = _screen_lines(stream.getvalue())
    (record,) = [line for line in lines if MESSAGE in line]
    assert re.fullmatch(r"\S+ \S+ \[scrapy\.core\.engine\] WARNING: " + re.escape(MESSAGE), record.rstrip()), record
    assert any("7 pages" in line for line in lines)


def test_only_handlers_of_that_stream_are_redirected(tmp_path):
    console = SimpleNamespace(print=lambda *a, **k: None)
    terminal, other = FakeTerminal(), io.StringIO()
    logger = logging.Logger("probe")
    to_terminal, to_other = logging.StreamHandler(terminal), logging.StreamHandler(other)
    to_file = logging.FileHandler(tmp_path / "log.txt", delay=True)
    for handler in (to_terminal, to_other, to_file):
        logger.addHandler(handler)
    swapped = log_through(console, terminal, logger)
    assert [h for h, _ in swapped] == [to_terminal]
    assert to_other.stream is other and isinstance(to_terminal.stream, ConsoleStream)
    restore(swapped)
    assert to_terminal.stream is terminal
    to_file.close()


def test_console_stream_prints_whole_lines():
    printed = []
    stream = ConsoleStream(SimpleNamespace(print=lambda text, **_: printed.append(text)))
    stream.write("one\ntw")
    stream.write("o\n")
    stream.write("three")
    stream.flush()
    assert printed == ["one", "two", "three"]
