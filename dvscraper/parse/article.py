"""extract_article(html, url) -> RawArticle (work in progress)."""
from __future__ import annotations

from dvscraper.records import NotAnArticle, RawArticle


def extract_article(html, url, *, profile=None) -> RawArticle:
    raise NotAnArticle("parser not written yet")
