"""A failed request -> (kind, reason, status): short stable codes for stats, text for people."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import response_status_message
from twisted.internet import error as twisted_errors

from dvscraper.middlewares.host_limit import CrawlClosing
from dvscraper.middlewares.offsite import OffsiteRedirectError
from dvscraper.middlewares.redirect_loop import RedirectLoopError

# (exception classes, kind): first match wins.
_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "dns"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError, TimeoutError), "timeout"),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError, ConnectionRefusedError),
     "connection_refused"),
    ((ResponseDataLossError,), "data_loss"),
    ((DownloadCancelledError,), "cancelled"),  # e.g. larger than DOWNLOAD_MAXSIZE
    ((OffsiteRedirectError,), "offsite_redirect"),
    ((RedirectLoopError,), "redirect_loop"),
    ((twisted_errors.ConnectionDone, twisted_errors.ConnectionLost, twisted_errors.ConnectError,
      DownloadFailedError, ConnectionError), "connection"),
)


def describe_failure(exc: BaseException) -> tuple[str, str, int | None]:
    """``HttpError(404)`` -> ``("http_404", "HTTP 404 Not Found", 404)``; a timeout -> ``("timeout", ...)``."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {response_status_message(status)}", status
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, DownloadCancelledError) and "download max size" in text.lower():
        return "too_large", f"too large: {text}", None
    for classes, kind in _KINDS:
        if isinstance(exc, classes):
            return kind, f"{kind.replace('_', ' ')}: {text}", None
    if isinstance(exc, CrawlClosing):
        return "cancelled", str(exc), None
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return "robots", "forbidden by robots.txt", None
        if "DOWNLOAD_MAXSIZE" in text:  # a compressed body that inflates past the limit
            return "too_large", f"too large: {text}", None
        if "max redirections" in text.lower():
            return "too_many_redirects", f"too many redirects: {text}", None
        return "ignored", f"ignored: {text}", None
    return "error", f"{type(exc).__name__}: {text}", None
