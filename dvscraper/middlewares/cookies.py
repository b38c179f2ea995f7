"""Cookies: off by default (the portal needs none), and safe when turned on.

``COOKIES_ENABLED = False`` in ``dvscraper/settings.py``: a site that sets 300 cookies of 3 KB can
no longer make every later request a 431. With ``-s COOKIES_ENABLED=true`` this middleware
replaces Scrapy's:

- the public-suffix check Scrapy runs on a cookie's ``Domain=`` uses tldextract's bundled
  snapshot only (``suffix_list_urls=()``, no cache directory): it never fetches the public suffix
  list from a public host (Scrapy's default ``TLDExtract()`` does, on the first ``Set-Cookie``);
- the jar is capped: at most ``DV_COOKIES_MAX`` cookies and ``DV_COOKIES_MAX_BYTES`` bytes of
  names and values per jar; cookies past the cap are dropped (``dv/cookies/dropped``).
"""

from __future__ import annotations

from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware

from dvscraper import settings as defaults


def offline_tldextract():
    from tldextract import TLDExtract

    return TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True,
                      include_psl_private_domains=True)


# Scrapy's module-level extractor would go online (publicsuffix.org, GitHub) on first use.
scrapy_cookies._split_domain = offline_tldextract()


class CappedCookiesMiddleware(CookiesMiddleware):
    max_cookies = defaults.DV_COOKIES_MAX
    max_bytes = defaults.DV_COOKIES_MAX_BYTES

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)  # NotConfigured unless COOKIES_ENABLED
        middleware.max_cookies = crawler.settings.getint("DV_COOKIES_MAX", cls.max_cookies)
        middleware.max_bytes = crawler.settings.getint("DV_COOKIES_MAX_BYTES", cls.max_bytes)
        return middleware

    def process_response(self, request, response, spider=None):
        response = super().process_response(request, response)
        self._cap(self.jars[request.meta.get("cookiejar")])
        return response

    def _cap(self, jar) -> None:
        kept, size, dropped = 0, 0, []
        for cookie in list(jar.jar):
            weight = len(cookie.name or "") + len(cookie.value or "")
            if kept >= self.max_cookies or size + weight > self.max_bytes:
                dropped.append(cookie)
                continue
            kept += 1
            size += weight
        for cookie in dropped:
            jar.jar.clear(cookie.domain, cookie.path, cookie.name)
        if dropped and getattr(self, "crawler", None) is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("dv/cookies/dropped", len(dropped))
