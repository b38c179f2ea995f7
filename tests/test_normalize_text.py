"""nfc_collapse: NFC, no zero-width characters, whitespace (NBSP, tabs, newlines) collapsed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.text import clean_or_none, fold, nfc_collapse

NFD_TITLE = unicodedata.normalize("NFD", "Thực hiện tốt công tác dân vận")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (NFD_TITLE, "Thực hiện tốt công tác dân vận"),  # decomposed -> composed
        (unicodedata.normalize("NFD", "Minh Thùy"), "Minh Thùy"),
        ("Điện\u200bBiên", "ĐiệnBiên"),  # ZERO WIDTH SPACE removed, not turned into a space
        ("\ufeffLượt đọc", "Lượt đọc"),  # BOM / ZERO WIDTH NO-BREAK SPACE
        ("Lư\u200cợt\u200d đọc", "Lượt đọc"),  # ZWNJ, ZWJ
        ("dân\u2060vận", "dânvận"),  # WORD JOINER
        ("Th\u200bu\u0300y", "Thùy"),  # a zero-width char inside a decomposed letter
        ("Lượt\u00a0đọc", "Lượt đọc"),  # NBSP (what &nbsp; becomes)
        ("Lượt\u00a0\u00a0 \u00a0đọc", "Lượt đọc"),
        ("a\u202fb\u3000c\u2009d", "a b c d"),  # narrow NBSP, ideographic and thin spaces
        ("Tin,\tảnh:\t\tMinh Thùy", "Tin, ảnh: Minh Thùy"),
        ("dòng một\n\ndòng hai\r\n  dòng ba", "dòng một dòng hai dòng ba"),
        ("  lề hai bên  ", "lề hai bên"),
        ("a\u2028b\u2029c", "a b c"),  # line / paragraph separators
        ("plain ascii", "plain ascii"),
        ("", ""),
        (None, ""),
        ("\u200b\ufeff \u00a0\n", ""),
    ],
)
def test_nfc_collapse(raw: str | None, expected: str) -> None:
    assert nfc_collapse(raw) == expected


@pytest.mark.parametrize("raw, expected", [("  Thùy ", "Thùy"), ("", None), (None, None), ("\u200b \u00a0", None)])
def test_clean_or_none(raw: str | None, expected: str | None) -> None:
    assert clean_or_none(raw) == expected


@pytest.mark.parametrize(
    "raw, key",
    [
        ("Lượt đọc", "luot doc"),
        ("LƯỢT ĐỌC", "luot doc"),
        (unicodedata.normalize("NFD", "Thời gian đăng"), "thoi gian dang"),
        ("  Trang\u00a0chủ ", "trang chu"),
    ],
)
def test_fold(raw: str, key: str) -> None:
    assert fold(raw) == key


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(_ZERO_WIDTH + "\u00a0\t\n ")), max_size=60))
def test_properties(text: str) -> None:
    out = nfc_collapse(text)
    assert nfc_collapse(out) == out  # idempotent
    assert unicodedata.is_normalized("NFC", out)
    assert not any(ch in _ZERO_WIDTH for ch in out)
    assert "\u00a0" not in out and "\t" not in out and "\n" not in out and "  " not in out
    assert out == out.strip()
