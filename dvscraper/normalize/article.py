"""RawArticle (strings as shown) -> Article (the typed contract record)."""

from __future__ import annotations

import datetime as dt
import hashlib

from dvscraper.normalize.byline import split_byline
from dvscraper.normalize.dates import parse_published
from dvscraper.normalize.event_date import event_date_from_lead
from dvscraper.normalize.numbers import parse_vn_int
from dvscraper.normalize.text import count_words, fold
from dvscraper.normalize.urls import article_id, canonical_url, site_of
from dvscraper.records import Article, Image, NotAnArticle, RawArticle

# The breadcrumb's home item as shown ("Trang chủ" = home page, "Trang nhất" = front page);
# the parser finds breadcrumbs by these (dvscraper.parse.labels), the category skips them.
HOME_CRUMB_LABELS = ("Trang chủ", "Home", "Trang nhất")
HOME_CRUMBS = frozenset(fold(label) for label in HOME_CRUMB_LABELS)

REASON_NO_TITLE = "no title"
REASON_NO_META_TIME = "no readable meta time"


def category_of(breadcrumb: tuple[str, ...] | list[str], title: str) -> str | None:
    """The last breadcrumb item other than 'Trang chủ' (home) and the title itself."""
    title_key = None  # folded only when a crumb needs comparing with it
    for crumb in reversed(breadcrumb):
        key = fold(crumb)
        if key and key not in HOME_CRUMBS:
            if title_key is None:
                title_key = fold(title)
            if key != title_key:
                return crumb
    return None


def _word_count(paragraphs, body_text: str) -> int:
    """``count_words(body_text)``; paragraphs already collapsed (printable, single spaces, no
    space at either end: every whitespace character but the space is unprintable) are counted
    by their spaces instead of being split into words."""
    total = 0
    for paragraph in paragraphs:
        if (
            paragraph
            and paragraph.isprintable()
            and "  " not in paragraph
            and paragraph[0] != " "
            and paragraph[-1] != " "
        ):
            total += paragraph.count(" ") + 1
        else:
            return count_words(body_text)
    return total


def to_article(raw: RawArticle, crawled_at: dt.datetime | None = None) -> Article:
    """Type and derive every contract field; raise ``NotAnArticle`` for a non-article."""
    if not raw.title:
        raise NotAnArticle(REASON_NO_TITLE)
    published_at = parse_published(raw.published_raw)
    if published_at is None:
        shown = f": {raw.published_raw!r}" if raw.published_raw else ""
        raise NotAnArticle(REASON_NO_META_TIME + shown)
    crawled = crawled_at or raw.crawled_at
    if crawled is None:
        raise ValueError("crawled_at is required (the parser has no clock)")
    crawled = crawled.astimezone(dt.timezone.utc)
    body_text = "\n\n".join(raw.paragraphs)
    authors, source = split_byline(raw.byline)
    url = canonical_url(raw.url)
    return Article(
        url=url,
        article_id=article_id(url),
        site=site_of(url),
        title=raw.title,
        category=category_of(raw.breadcrumb, raw.title),
        breadcrumb=list(raw.breadcrumb),
        published_at=published_at,
        published_at_raw=raw.published_raw,
        read_count=parse_vn_int(raw.read_count_raw),
        summary=raw.summary,
        event_date=event_date_from_lead(raw.summary, published_at),
        body_text=body_text,
        headings=list(raw.headings),
        images=[Image(src=i.src, caption=i.caption, alt=i.alt) for i in raw.images],
        byline=raw.byline,
        authors=authors,
        source=source,
        word_count=_word_count(raw.paragraphs, body_text),
        content_sha256=hashlib.sha256(body_text.encode("utf-8")).hexdigest(),
        crawled_at=crawled,
    )
