"""RedirectLoopMiddleware: a redirect back to a URL of the same chain is a recorded failure.

Scrapy's ``RedirectMiddleware`` would schedule the looping request again, and the
dupefilter would drop it silently (no errback, no failure recorded). Sitting just before
the redirect middleware (like ``OffsiteRedirectMiddleware``), this one raises
``RedirectLoopError`` (an ``IgnoreRequest``), which reaches the request's errback and
is recorded as a ``redirect_loop`` failure. Endless chains of new URLs end at
``REDIRECT_MAX_TIMES`` (recorded as ``too_many_redirects``).
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest


class RedirectLoopError(IgnoreRequest):
    """A redirect to a URL already visited in the same redirect chain."""


class RedirectLoopMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_response(self, request, response):
        if not (300 <= response.status < 400) or b"Location" not in response.headers:
            return response
        target = urljoin(request.url, response.headers[b"Location"].decode("latin-1")).split("#", 1)[0]
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoopError(f"{' -> '.join([*chain, target])}")
        return response
