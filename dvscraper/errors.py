"""The errors a command turns into its exit code: one hierarchy, each class carrying its code.

This is the lowest layer (it imports nothing of the project), so any layer may raise them;
``dvscraper.cli.main`` catches ``DvscraperError``, prints ``dvscraper: <message>`` on one
line and returns ``exit_code``. The codes (SPEC §4) are defined here and nowhere else:

====  =======================================================================
0     ``EXIT_OK``: done
1     ``CrawlFailed``: a crawl did not finish or fetched nothing; the output is locked;
      Redis does not answer; ``WriteFailed``: rows, the report or a file could not be written
      (disk full, read-only folder); an unexpected error. ``UnsafePayload`` (a refused Redis
      frontier entry) and ``ParseTimeout`` (a page over its parse budget) are handled inside the
      crawl (dropped, rejected) and keep the base class's 1 should one ever reach the command line
2     ``UsageError``: unreadable input (missing file, a directory, empty), bad arguments
3     ``NotArticleInput``: the page given to ``dvscraper parse`` is not an article
4     ``QualityAlarm``: the field-coverage alarm of a finished crawl
130   ``EXIT_INTERRUPTED``: Ctrl-C
====  =======================================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

__all__ = [
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "CrawlFailed",
    "DvscraperError",
    "NotArticleInput",
    "OutputLocked",
    "ParseTimeout",
    "QualityAlarm",
    "RedisUnavailable",
    "UnsafePayload",
    "UsageError",
    "WriteFailed",
]


class DvscraperError(Exception):
    """An expected failure: a one-line message and the exit code it ends the command with."""

    exit_code = 1


class CrawlFailed(DvscraperError):
    """A crawl that did not finish, could fetch nothing, or could not start."""

    exit_code = 1


class OutputLocked(CrawlFailed):
    """Another live process holds the output folder's lock (``dvscraper.dataset.lock``)."""


class RedisUnavailable(CrawlFailed):
    """The Redis server of a distributed crawl (``--redis URL``) does not answer."""


class WriteFailed(CrawlFailed):
    """A write that failed (disk full, read-only folder): a crawl's rows (finish reason
    ``write_failed``), the HTML report, or a file the command had to write."""


class UnsafePayload(DvscraperError, ValueError):
    """A Redis frontier entry that is not one of our JSON requests (a pickle, junk, or too large):
    ``dvscraper.distributed.serializer`` refuses it, the scheduler drops it with a warning."""


class ParseTimeout(DvscraperError):
    """One page's parse took longer than ``DV_PARSE_TIME_BUDGET`` (``dvscraper.spiders.budget``):
    the crawl refuses the page (a ``PageReject``) and goes on."""

    def __init__(self, seconds: float):
        super().__init__(f"page refused: parsing took longer than {seconds:g} s (DV_PARSE_TIME_BUDGET)")
        self.reason = str(self)


class UsageError(DvscraperError):
    """Bad arguments, or input that cannot be read."""

    exit_code = 2


class NotArticleInput(DvscraperError):
    """``dvscraper parse``: the page is not an article (the parser's ``NotAnArticle`` reason)."""

    exit_code = 3


class QualityAlarm(DvscraperError):
    """A finished crawl breached the field-coverage or reject-rate thresholds (``runs.quality``)."""

    exit_code = 4
