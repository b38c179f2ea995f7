"""split_byline: a byline line -> (authors, source). Names only in authors; 'Theo'/'Nguồn' -> source."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.byline import split_byline


@pytest.mark.parametrize(
    "byline, authors, source",
    [
        ("Tin, ảnh: Minh Thùy", ["Minh Thùy"], None),  # the seed article
        ("Tin, ảnh: Minh Thùy.", ["Minh Thùy"], None),
        ("TIN, ẢNH: Minh Thùy", ["Minh Thùy"], None),
        ("Bài, ảnh: Lan Anh", ["Lan Anh"], None),
        ("Bài và ảnh: Lê Lan", ["Lê Lan"], None),
        ("Tin: Hoàng Tư", ["Hoàng Tư"], None),
        ("Bài: Quang Long", ["Quang Long"], None),
        ("Ảnh: Quang Hưng", ["Quang Hưng"], None),
        ("Thu Hà - Quang Hưng", ["Thu Hà", "Quang Hưng"], None),  # two authors
        ("Thu Hà – Quang Hưng", ["Thu Hà", "Quang Hưng"], None),  # en dash
        ("Tin, ảnh: Minh Thùy - Thu Hà", ["Minh Thùy", "Thu Hà"], None),
        ("Bài: Lan Anh; Ảnh: Quang Hưng", ["Lan Anh", "Quang Hưng"], None),
        ("Bài: Lan Anh - Ảnh: Quang Hưng", ["Lan Anh", "Quang Hưng"], None),
        ("Bài: Lan Anh; Ảnh: Lan Anh", ["Lan Anh"], None),  # no duplicates
        ("Minh Thùy", ["Minh Thùy"], None),  # a bare name
        # harvested from fixtures/articles/*.html
        ("Bài: Thanh Bình - Ảnh: Quang Long", ["Thanh Bình", "Quang Long"], None),  # meta-midnight-12am
        ("Ảnh: Mạnh Cường", ["Mạnh Cường"], None),  # caption-table-row-images
        ("Bảo Ngọc", ["Bảo Ngọc"], None),  # charset-windows-1258
        # a source, not an author
        ("Theo baodienbienphu.com.vn", [], "baodienbienphu.com.vn"),
        ("Theo Báo Điện Biên Phủ", [], "Báo Điện Biên Phủ"),
        ("Nguồn: TTXVN", [], "TTXVN"),
        ("Nguồn: baodienbienphu.com.vn", [], "baodienbienphu.com.vn"),
        # both
        ("Minh Thùy (Theo TTXVN)", ["Minh Thùy"], "TTXVN"),
        ("Tin: Minh Thùy (Nguồn: TTXVN)", ["Minh Thùy"], "TTXVN"),
        ("Minh Thùy - Theo TTXVN", ["Minh Thùy"], "TTXVN"),
        # nothing
        ("", [], None),
        (None, [], None),
    ],
)
def test_split_byline(byline: str | None, authors: list[str], source: str | None) -> None:
    assert split_byline(byline) == (authors, source)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(text: str) -> None:
    authors, source = split_byline(text)
    assert isinstance(authors, list) and all(isinstance(a, str) and a for a in authors)
    assert len(set(authors)) == len(authors)
    assert source is None or isinstance(source, str)
