"""parse_vn_int: read counts, where '.' is a thousands separator; junk is None, never 0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.numbers import parse_vn_int


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("7444", 7444),  # the seed article's "Lượt đọc: 7444"
        ("1.053", 1053),  # dot = thousands separator, never a decimal point
        ("12.345.678", 12345678),
        ("1,053", 1053),
        ("12,345,678", 12345678),
        ("1 053", 1053),
        ("1\u00a0053", 1053),  # NBSP as separator
        (" 7444 ", 7444),
        ("0", 0),  # a real zero shown on the page stays 0
        ("000", 0),
        (str(2**63 - 1), 2**63 - 1),  # the int64 limit
    ],
)
def test_parse_vn_int(raw: str, expected: int) -> None:
    assert parse_vn_int(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "junk",
        "Lượt đọc",
        "7444 lượt",  # the caller hands over the digits only
        "1.05",  # not a thousands group
        "1.0533",
        "1..053",
        "1.053.",
        ".053",
        "-5",
        "12,5",
        "²",  # a superscript two is a digit to str.isdigit(), not to int()
        "١٢٣",  # Arabic-Indic digits are not what the portal prints
        "9" * 30,  # beyond int64: junk, not a count
    ],
)
def test_junk_is_none_not_zero(raw: str | None) -> None:
    assert parse_vn_int(raw) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_never_raises(text: str) -> None:
    value = parse_vn_int(text)
    assert value is None or (isinstance(value, int) and 0 <= value < 2**63)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([".", ",", " "]))
def test_grouped_round_trip(value: int, separator: str) -> None:
    assert parse_vn_int(f"{value:,}".replace(",", separator)) == value
