"""ValidatePipeline: contract checks turn broken records into rejects with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from dvscraper.dataset.outcomes import STAGE_VALIDATE, PageReject
from dvscraper.records import Image
from pipelines.validate import ValidatePipeline, check_article


def test_a_valid_article_passes(make_article):
    article = make_article()
    assert check_article(article) == []
    assert ValidatePipeline().process_item(article) is article


@pytest.mark.parametrize(
    "overrides, problem",
    [
        ({"title": ""}, "title missing"),
        ({"published_at": dt.datetime(2023, 1, 13, 17, 36)}, "published_at missing or not tz-aware"),
        ({"crawled_at": dt.datetime(2024, 1, 1)}, "crawled_at missing or not tz-aware"),
        ({"published_at": dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)}, "published_at in the future"),
        ({"url": "/T/TIN-TUC/bai-0.html"}, "url not absolute"),
        ({"url": "https://dienbien.dcs.vn/x#frag"}, "url not canonical"),
        ({"article_id": "0000000000000000"}, "article_id does not match"),
        ({"site": "example.org"}, "site does not match"),
        ({"read_count": -1}, "read_count"),
        ({"read_count": "7444"}, "read_count"),
        ({"read_count": True}, "read_count"),
        ({"word_count": 2**31}, "word_count"),
        ({"word_count": 99}, "word_count does not match"),
        ({"content_sha256": "abc"}, "content_sha256"),
        ({"event_date": dt.datetime(2023, 1, 13, tzinfo=dt.timezone.utc)}, "event_date"),
        ({"images": [Image(src="/a.jpg", caption=None, alt=None)]}, "image src not absolute"),
        ({"breadcrumb": ["Trang chủ", ""]}, "breadcrumb"),
        ({"summary": "  "}, "summary"),
    ],
)
def test_broken_records_are_rejected_with_reason(make_article, overrides, problem):
    article = make_article(**overrides)
    assert any(problem in p for p in check_article(article)), check_article(article)
    item = ValidatePipeline().process_item(article)
    assert isinstance(item, PageReject)
    assert item.stage == STAGE_VALIDATE
    assert item.reason.startswith("invalid record: ")
    assert item.url == article.url


def test_null_optional_fields_are_fine(make_article):
    article = make_article(read_count=None, event_date=None, summary=None, category=None, byline=None,
                           authors=[], source=None, images=[], headings=[])
    assert check_article(article) == []


def test_a_title_equal_to_the_site_name_is_valid(make_article):
    """SPEC ruling: what stands where the title stands is the title, even the site's name (the
    intro page "Đảng bộ tỉnh Điện Biên")."""
    assert check_article(make_article(title="Đảng bộ tỉnh Điện Biên")) == []
