"""Pure value normalisers shared by the ``parse`` command and the crawl pipelines."""

from dvscraper.normalize.article import to_article
from dvscraper.normalize.byline import split_byline
from dvscraper.normalize.dates import VN_TZ, parse_published
from dvscraper.normalize.event_date import event_date_from_lead
from dvscraper.normalize.numbers import parse_vn_int
from dvscraper.normalize.text import nfc_collapse
from dvscraper.normalize.urls import article_id, canonical_url

__all__ = [
    "VN_TZ",
    "article_id",
    "canonical_url",
    "event_date_from_lead",
    "nfc_collapse",
    "parse_published",
    "parse_vn_int",
    "split_byline",
    "to_article",
]
