"""event_date_from_lead: the lead's opening date expression + published_at -> the event's day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.dates import VN_TZ
from dvscraper.normalize.event_date import event_date_from_lead

# The seed article: published 13/01/2023 05:36:49 PM.
SEED_PUBLISHED = dt.datetime(2023, 1, 13, 17, 36, 49, tzinfo=VN_TZ)
NEW_YEAR_PUBLISHED = dt.datetime(2024, 1, 2, 9, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    "lead, published, expected",
    [
        # the seed article's lead
        ("Chiều nay (13/1), Ban Dân vận Tỉnh ủy và Ban cán sự đảng UBND tỉnh tổ chức Hội nghị",
         SEED_PUBLISHED, dt.date(2023, 1, 13)),
        ("Sáng 12/1, Hội nghị tổng kết", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Ngày 11/1, tỉnh tổ chức", SEED_PUBLISHED, dt.date(2023, 1, 11)),
        ("Tối qua (12/1), tại thành phố", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Trưa 13/1, đoàn công tác", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        ("Đêm 12/1, lực lượng", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Hôm nay (13/1), UBND tỉnh", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        # a dateline before the date
        ("(ĐBP) - Sáng 12/1, Ban Thường vụ", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("ĐBP - Chiều 13/1, đoàn công tác", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        # day and month from the text, year from published_at ...
        ("Sáng 15/10, hội nghị", dt.datetime(2023, 10, 16, 8, 0, tzinfo=VN_TZ), dt.date(2023, 10, 15)),
        ("Ngày 25/2, UBND tỉnh", dt.datetime(2023, 2, 25, 20, 0, tzinfo=VN_TZ), dt.date(2023, 2, 25)),
        # ... the previous year when the event would be more than a day after publication
        ("Ngày 30/12, Tỉnh ủy", NEW_YEAR_PUBLISHED, dt.date(2023, 12, 30)),
        ("Sáng 15/10, hội nghị", SEED_PUBLISHED, dt.date(2022, 10, 15)),
        # an event over several days is dated by its first day
        ("Trong 2 ngày (12-13/1), đoàn", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Trong hai ngày 12 và 13/1, đoàn", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Sáng mai (14/1), tỉnh tổ chức", SEED_PUBLISHED, dt.date(2023, 1, 14)),
        # one day ahead (announcing tomorrow) keeps the year
        ("Ngày 3/1, Tỉnh ủy", NEW_YEAR_PUBLISHED, dt.date(2024, 1, 3)),
        ("Ngày 4/1, Tỉnh ủy", NEW_YEAR_PUBLISHED, dt.date(2023, 1, 4)),
        # an explicit year wins
        ("Ngày 25/2/2022, hội nghị", SEED_PUBLISHED, dt.date(2022, 2, 25)),
        ("Sáng 13/1/2023, hội nghị", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        # a range keeps its first day
        ("Chiều 11-12/1, hội nghị", SEED_PUBLISHED, dt.date(2023, 1, 11)),
        # a leap day in a leap year
        ("Ngày 29/2, hội nghị", dt.datetime(2024, 3, 1, 8, 0, tzinfo=VN_TZ), dt.date(2024, 2, 29)),
        # relative openings with no digits: dated from published_at
        ("Sáng nay, Ban Dân vận Tỉnh ủy", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        ("Chiều nay, đoàn công tác", SEED_PUBLISHED, dt.date(2023, 1, 13)),
        ("Hôm qua, tỉnh tổ chức", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        ("Tối qua, lực lượng", SEED_PUBLISHED, dt.date(2023, 1, 12)),
        # harvested from fixtures/articles/*.html
        ("Sáng nay (8/11), Trường Phổ thông", dt.datetime(2023, 11, 8, 9, 41, 3, tzinfo=VN_TZ), dt.date(2023, 11, 8)),
        ("(ĐBP) - Chiều 3/3, Hội Liên hiệp", dt.datetime(2024, 3, 5, 14, 20, tzinfo=VN_TZ), dt.date(2024, 3, 3)),
        ("Tối qua (12/1), tại Quảng trường", dt.datetime(2024, 1, 13, 0, 5, tzinfo=VN_TZ), dt.date(2024, 1, 12)),
        ("Ngày 28/12, tại Hà Nội", dt.datetime(2023, 12, 28, 18, 40, 12, tzinfo=VN_TZ), dt.date(2023, 12, 28)),
        ("Ngày 30/12, Ủy ban Kiểm tra Tỉnh ủy", dt.datetime(2024, 1, 2, 15, 15, 22, tzinfo=VN_TZ),
         dt.date(2023, 12, 30)),
        # no opening date expression: None
        ("Ngày càng nhiều hộ dân tham gia", SEED_PUBLISHED, None),
        ("Sáng kiến mới của nông dân", SEED_PUBLISHED, None),
        ("Ban Dân vận Tỉnh ủy tổ chức hội nghị ngày 13/1", SEED_PUBLISHED, None),
        ("Năm 2022, toàn tỉnh có 52 xã", SEED_PUBLISHED, None),
        # an impossible date: None, never a wrong date
        ("Ngày 31/2, hội nghị", SEED_PUBLISHED, None),
        ("Sáng 12/13, hội nghị", SEED_PUBLISHED, None),
        ("Ngày 29/2, hội nghị", dt.datetime(2023, 3, 1, 8, 0, tzinfo=VN_TZ), None),
    ],
)
def test_event_date(lead: str, published: dt.datetime, expected: dt.date | None) -> None:
    assert event_date_from_lead(lead, published) == expected


@pytest.mark.parametrize("lead", [None, "", "   "])
def test_no_lead(lead: str | None) -> None:
    assert event_date_from_lead(lead, SEED_PUBLISHED) is None


def test_no_published_at() -> None:
    assert event_date_from_lead("Chiều nay (13/1), hội nghị", None) is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120), st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_never_raises_and_never_far_after_publication(lead: str, published: dt.datetime) -> None:
    published = published.replace(tzinfo=VN_TZ)
    value = event_date_from_lead(lead, published)
    assert value is None or isinstance(value, dt.date)
    if value is not None and not any(ch.isdigit() for ch in lead[:120] if ch.isascii()):
        assert value <= published.date()
