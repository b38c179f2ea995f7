"""Template variants: a replay site as the live portal would look after a template change.

``with_template_variant(site, name)`` wraps any replay site; the wrapper serves the
same pages with the change applied, so crawl tests can prove the field-coverage
alarm notices it. Variants:

- ``no-read-count``: the read-count label is renamed (``Lượt đọc: 7.444`` becomes
  ``Số lần đọc: 7.444``), as a CMS upgrade might do; the parser no longer finds a
  read count, the pages still read as articles.
"""

from __future__ import annotations

import re

from dvscraper.replay.pages import Page

# The portal's read-count labels (dvscraper.parse.labels.READ_COUNT_LABELS) -> a label no parser knows.
_READ_COUNT_LABEL = re.compile("L[ưu]ợt\\s+(?:đọc|xem)|Số lượt xem", re.IGNORECASE)
RENAMED_READ_COUNT_LABEL = "Số lần đọc"

TEMPLATE_VARIANTS = ("no-read-count",)


def _rename_read_count(body: str) -> str:
    return _READ_COUNT_LABEL.sub(RENAMED_READ_COUNT_LABEL, body)


_EDITS = {"no-read-count": _rename_read_count}


class VariantSite:
    """A replay site whose HTML pages pass through one template edit."""

    def __init__(self, site, variant: str):
        if variant not in _EDITS:
            raise ValueError(f"unknown template variant {variant!r} (known: {', '.join(TEMPLATE_VARIANTS)})")
        self._site = site
        self.variant = variant
        self._edit = _EDITS[variant]

    def bind(self, base_url: str) -> None:
        self._site.bind(base_url)

    def article_paths(self) -> list[str]:
        return self._site.article_paths()

    def page(self, uri: str) -> Page | None:
        page = self._site.page(uri)
        if page is None or not page.content_type.startswith(b"text/html"):
            return page
        charset = page.content_type.partition(b"charset=")[2].decode("ascii") or "utf-8"
        try:
            text = page.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return page
        return Page(page.status, page.content_type, self._edit(text).encode(charset, errors="xmlcharrefreplace"))

    def __getattr__(self, name):  # everything else (n, categories, article(), ...) as the wrapped site
        return getattr(self._site, name)


def with_template_variant(site, variant: str | None):
    return VariantSite(site, variant) if variant else site
