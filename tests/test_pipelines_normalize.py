"""NormalizePipeline: RawArticle -> Article via to_article; refusals become rejects with reasons."""

from __future__ import annotations

import datetime as dt

from dvscraper.dataset.outcomes import STAGE_NORMALIZE, FetchFailure, PageReject
from dvscraper.records import Article, RawArticle, RawImage
from pipelines.normalize import NormalizePipeline

CRAWLED = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def raw(**overrides) -> RawArticle:
    values = {
        "url": "HTTPS://DienBien.dcs.vn/T/TIN-TUC/bai-1.html#top",
        "title": "Thực hiện tốt công tác dân vận",
        "breadcrumb": ("Trang chủ", "Tin tức"),
        "published_raw": "13/01/2023 05:36:49 PM",
        "read_count_raw": "1.053",
        "summary": "Chiều nay (13/1), hội nghị.",
        "paragraphs": ("Đoạn một.", "Đoạn hai."),
        "images": (RawImage(src="https://dienbien.dcs.vn/a.jpg", caption="Quang cảnh"),),
        "byline": "Tin, ảnh: Minh Thùy",
        "crawled_at": CRAWLED,
    }
    values.update(overrides)
    return RawArticle(**values)


def test_raw_article_becomes_typed_article():
    article = NormalizePipeline().process_item(raw())
    assert isinstance(article, Article)
    assert article.url == "https://dienbien.dcs.vn/T/TIN-TUC/bai-1.html"
    assert article.published_at.isoformat() == "2023-01-13T17:36:49+07:00"
    assert article.read_count == 1053
    assert article.crawled_at == CRAWLED
    assert article.authors == ["Minh Thùy"]
    assert article.event_date == dt.date(2023, 1, 13)


def test_unreadable_date_is_a_reject_with_reason():
    item = NormalizePipeline().process_item(raw(published_raw="31/02/2023 05:36:49 PM"))
    assert isinstance(item, PageReject)
    assert item.stage == STAGE_NORMALIZE
    assert item.reason.startswith("no readable meta time")
    assert "31/02/2023" in item.reason
    assert item.url == "HTTPS://DienBien.dcs.vn/T/TIN-TUC/bai-1.html#top"


def test_missing_title_is_a_reject():
    item = NormalizePipeline().process_item(raw(title=None))
    assert isinstance(item, PageReject) and item.reason == "no title"


def test_missing_crawled_at_is_stamped_not_refused():
    article = NormalizePipeline().process_item(raw(crawled_at=None))
    assert isinstance(article, Article) and article.crawled_at.tzinfo is not None


def test_other_items_pass_through():
    failure = FetchFailure(url="https://x/", kind="timeout", reason="timeout", at=CRAWLED)
    assert NormalizePipeline().process_item(failure) is failure
