"""parse_published: the portal's publish-time formats -> aware datetimes in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.dates import VN_TZ, parse_published


@pytest.mark.parametrize(
    "raw, iso",
    [
        # the seed article's meta line: d/m/yyyy, 12-hour clock
        ("13/01/2023 05:36:49 PM", "2023-01-13T17:36:49+07:00"),
        ("26/11/2018 01:49:17 PM", "2018-11-26T13:49:17+07:00"),  # intro page, no read count
        # 12 AM is midnight, 12 PM is noon
        ("13/01/2023 12:05:00 AM", "2023-01-13T00:05:00+07:00"),
        ("13/01/2023 12:30:00 PM", "2023-01-13T12:30:00+07:00"),
        ("13/01/2023 11:59:59 PM", "2023-01-13T23:59:59+07:00"),
        ("13/01/2023 01:00:00 AM", "2023-01-13T01:00:00+07:00"),
        ("13/01/2023 05:36:49 pm", "2023-01-13T17:36:49+07:00"),
        # no zero padding
        ("5/3/2024 9:05:00 AM", "2024-03-05T09:05:00+07:00"),
        ("5/3/2024 9:05 PM", "2024-03-05T21:05:00+07:00"),
        # 24-hour clock, with and without seconds
        ("05/03/2024 14:20", "2024-03-05T14:20:00+07:00"),
        ("05/03/2024 14:20:07", "2024-03-05T14:20:07+07:00"),
        ("05/03/2024 00:00", "2024-03-05T00:00:00+07:00"),
        # time before date
        ("14:20 - 05/03/2024", "2024-03-05T14:20:00+07:00"),
        ("14:20 05/03/2024", "2024-03-05T14:20:00+07:00"),
        ("17h30 13/01/2023", "2023-01-13T17:30:00+07:00"),
        # date only; weekday prefix (header date form)
        ("13/01/2023", "2023-01-13T00:00:00+07:00"),
        ("Thứ Năm, 26/12/2024", "2024-12-26T00:00:00+07:00"),
        ("Thứ Bảy, ngày 14/01/2023", "2023-01-14T00:00:00+07:00"),
        # wordy Vietnamese date
        ("ngày 13 tháng 1 năm 2023", "2023-01-13T00:00:00+07:00"),
        ("Ngày 13 tháng 01 năm 2023", "2023-01-13T00:00:00+07:00"),
        # other separators
        ("13-01-2023 17:36", "2023-01-13T17:36:00+07:00"),
        ("13.01.2023", "2023-01-13T00:00:00+07:00"),
        # the value followed by the rest of the meta line
        ("13/01/2023 05:36:49 PM - Lượt đọc: 7444", "2023-01-13T17:36:49+07:00"),
        ("  13/01/2023\u00a005:36:49 PM  ", "2023-01-13T17:36:49+07:00"),
        # harvested from fixtures/articles/*.html
        ("28/12/2023 06:40:12 PM", "2023-12-28T18:40:12+07:00"),  # byline-nguon-ttxvn
        ("13/01/2024 12:05:00 AM", "2024-01-13T00:05:00+07:00"),  # meta-midnight-12am
        ("14/09/2023 07:50:00 AM", "2023-09-14T07:50:00+07:00"),  # byline-theo-source
        # leap day
        ("29/02/2024 08:00:00 AM", "2024-02-29T08:00:00+07:00"),
    ],
)
def test_parse_published(raw: str, iso: str) -> None:
    value = parse_published(raw)
    assert value is not None, raw
    assert value.isoformat() == iso
    assert value.tzinfo is not None
    assert value.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/2023 10:00:00 AM",  # no 31 February: None, never a wrong date
        "29/02/2023 08:00:00 AM",  # not a leap year
        "32/01/2023",
        "13/13/2023 10:00",
        "ngày 31 tháng 2 năm 2023",
        "05/03/2024 13:00 PM",  # a 12-hour clock has no 13
        "13:00 PM",  # and a time alone is not a date
        "05/03/2024 25:00",
        "05/03/2024 10:61",
        "99/99/9999",
        "garbage",
        "Lượt đọc: 7444",
        "abc 123",
        "",
        "   ",
        "\u200b",
        None,
    ],
)
def test_unreadable_is_none(raw: str | None) -> None:
    assert parse_published(raw) is None


def test_timezone_is_asia_ho_chi_minh() -> None:
    value = parse_published("13/01/2023 05:36:49 PM")
    assert value is not None
    assert value.tzinfo == VN_TZ
    assert value.astimezone(dt.timezone.utc).isoformat() == "2023-01-13T10:36:49+00:00"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_and_always_aware(text: str) -> None:
    value = parse_published(text)
    assert value is None or value.utcoffset() == dt.timedelta(hours=7)


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.booleans(),
)
def test_round_trip_portal_format(when: dt.datetime, twelve_hour: bool) -> None:
    """Any time printed the way the portal prints it reads back to the same local time."""
    if twelve_hour:
        hour12 = when.hour % 12 or 12
        marker = "AM" if when.hour < 12 else "PM"  # by hand: %p follows the locale
        raw = f"{when:%d/%m/%Y} {hour12:02d}:{when:%M:%S} {marker}"
    else:
        raw = f"{when.day}/{when.month}/{when.year} {when:%H:%M:%S}"
    assert parse_published(raw) == when.replace(tzinfo=VN_TZ)
