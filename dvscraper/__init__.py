"""dvscraper: crawler and structured-data extractor for the dienbien.dcs.vn news portal."""

from dvscraper.parse import extract_article, parse_article, parse_listing
from dvscraper.records import Article, Image, ListingItem, ListingPage, NotAnArticle, RawArticle

__all__ = [
    "Article",
    "Image",
    "ListingItem",
    "ListingPage",
    "NotAnArticle",
    "RawArticle",
    "extract_article",
    "parse_article",
    "parse_listing",
]
__version__ = "0.1.0"
