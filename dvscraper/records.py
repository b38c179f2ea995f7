"""The record contract (SPEC §2): typed, frozen records and their JSON form.

Field names here are the SPEC's names, the Parquet column names and the keys of
the expected-JSON fixtures: one spelling everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "ARTICLE_FIELDS",
    "Article",
    "Image",
    "ListingItem",
    "ListingPage",
    "NotAnArticle",
    "RawArticle",
    "RawImage",
]


class NotAnArticle(Exception):
    """The page is not an article (no title, or no readable meta time)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True, kw_only=True)
class RawImage:
    """An image as found on the page: resolved src, alt/title and caption text."""

    src: str
    alt: str | None = None
    title: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RawArticle:
    """Strings as shown on the page, before typing (output of ``extract_article``).

    Texts are already NFC with whitespace collapsed; nothing is typed yet.
    """

    url: str
    title: str | None
    breadcrumb: tuple[str, ...] = ()
    published_raw: str | None = None  # the value after the time label, as shown
    read_count_raw: str | None = None  # the digits after the read-count label, as shown
    summary: str | None = None
    paragraphs: tuple[str, ...] = ()  # body paragraphs, sub-headings included, in order
    headings: tuple[str, ...] = ()
    images: tuple[RawImage, ...] = ()
    byline: str | None = None
    crawled_at: dt.datetime | None = None  # set by the spider; the parser has no clock


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    src: str
    caption: str | None
    alt: str | None

    def to_dict(self) -> dict:
        return {"src": self.src, "caption": self.caption, "alt": self.alt}


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    url: str
    article_id: str
    site: str
    title: str
    category: str | None
    breadcrumb: list[str]
    published_at: dt.datetime
    published_at_raw: str | None
    read_count: int | None
    summary: str | None
    event_date: dt.date | None
    body_text: str
    headings: list[str]
    images: list[Image]
    byline: str | None
    authors: list[str]
    source: str | None
    word_count: int
    content_sha256: str
    crawled_at: dt.datetime

    def to_dict(self) -> dict:
        """The JSON form, in contract order: what ``dvscraper parse`` prints."""
        return {
            "url": self.url,
            "article_id": self.article_id,
            "site": self.site,
            "title": self.title,
            "category": self.category,
            "breadcrumb": list(self.breadcrumb),
            "published_at": _iso(self.published_at),
            "published_at_raw": self.published_at_raw,
            "read_count": self.read_count,
            "summary": self.summary,
            "event_date": _iso(self.event_date),
            "body_text": self.body_text,
            "headings": list(self.headings),
            "images": [image.to_dict() for image in self.images],
            "byline": self.byline,
            "authors": list(self.authors),
            "source": self.source,
            "word_count": self.word_count,
            "content_sha256": self.content_sha256,
            "crawled_at": _iso(self.crawled_at),
        }

    to_json_dict = to_dict

    def to_row(self) -> dict:
        """The Parquet row: typed values (datetimes, dates), nested images as dicts."""
        row = {name: getattr(self, name) for name in ARTICLE_FIELDS}
        row["images"] = [image.to_dict() for image in self.images]
        row["breadcrumb"] = list(self.breadcrumb)
        row["headings"] = list(self.headings)
        row["authors"] = list(self.authors)
        return row


ARTICLE_FIELDS: tuple[str, ...] = tuple(Article.__dataclass_fields__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingItem:
    url: str
    title: str
    published_at: dt.datetime | None
    summary: str | None
    thumbnail: str | None

    def to_dict(self) -> dict:
        return {
            "url": self.url,
            "title": self.title,
            "published_at": _iso(self.published_at),
            "summary": self.summary,
            "thumbnail": self.thumbnail,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingPage:
    url: str
    items: list[ListingItem] = field(default_factory=list)
    next_page: str | None = None

    def to_dict(self) -> dict:
        return {"items": [item.to_dict() for item in self.items], "next_page": self.next_page}

    to_json_dict = to_dict
