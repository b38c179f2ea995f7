"""canonical_url / article_id / site_of / absolute_url."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvscraper.normalize.urls import absolute_url, article_id, canonical_url, site_of

ARTICLE = "https://dienbien.dcs.vn/Tin-tuc/Thuc-hien-tot-cong-tac-dan-van"


@pytest.mark.parametrize(
    "url, canonical",
    [
        (ARTICLE, ARTICLE),
        ("HTTPS://DienBien.DCS.VN/Tin-tuc/Thuc-hien-tot-cong-tac-dan-van", ARTICLE),  # path case kept
        (ARTICLE + "#binh-luan", ARTICLE),  # no fragment
        (ARTICLE + "#", ARTICLE),
        ("https://dienbien.dcs.vn:443/Tin-tuc/Thuc-hien-tot-cong-tac-dan-van", ARTICLE),  # default port
        ("http://dienbien.dcs.vn:80/T/TIN-TUC", "http://dienbien.dcs.vn/T/TIN-TUC"),
        ("http://dienbien.dcs.vn:8080/T/TIN-TUC", "http://dienbien.dcs.vn:8080/T/TIN-TUC"),  # other port kept
        ("https://dienbien.dcs.vn:80/a", "https://dienbien.dcs.vn:80/a"),  # 80 is not https' default
        ("http://dienbien.dcs.vn/T/TIN-TUC?PageIndex=76", "http://dienbien.dcs.vn/T/TIN-TUC?PageIndex=76"),
        ("http://dienbien.dcs.vn/a?b=2&a=1#x", "http://dienbien.dcs.vn/a?b=2&a=1"),  # query kept as is
        ("http://dienbien.dcs.vn", "http://dienbien.dcs.vn/"),
        ("  http://dienbien.dcs.vn/a  ", "http://dienbien.dcs.vn/a"),
        ("http://127.0.0.1:8765/T/TIN-TUC", "http://127.0.0.1:8765/T/TIN-TUC"),  # the replay site
        ("http://[::1]:8765/a", "http://[::1]:8765/a"),  # IPv6 literal keeps its brackets
        ("file:///tmp/page.html", "file:///tmp/page.html"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical  # idempotent


def test_article_id_is_stable_16_hex() -> None:
    ident = article_id(ARTICLE)
    assert re.fullmatch(r"[0-9a-f]{16}", ident)
    assert ident == article_id(ARTICLE)
    # same page -> same id, whatever the spelling of scheme, host, port or fragment
    assert article_id("HTTPS://DIENBIEN.DCS.VN:443/Tin-tuc/Thuc-hien-tot-cong-tac-dan-van#top") == ident
    # a different page (path case, query) -> another id
    assert article_id(ARTICLE.lower()) != ident
    assert article_id(ARTICLE + "?PageIndex=2") != ident


def test_article_id_value_is_pinned() -> None:
    """First 16 hex digits of SHA-256 of the canonical URL: a change here breaks every stored id."""
    import hashlib

    assert article_id(ARTICLE) == hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize(
    "url, site",
    [(ARTICLE, "dienbien.dcs.vn"), ("HTTP://DienBien.DCS.vn:80/", "dienbien.dcs.vn"),
     ("http://127.0.0.1:8765/", "127.0.0.1")],
)
def test_site_of(url: str, site: str) -> None:
    assert site_of(url) == site


BASE = "https://dienbien.dcs.vn/Tin-tuc/bai-viet/thuc-hien-tot"


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("/Uploads/a.jpg", "https://dienbien.dcs.vn/Uploads/a.jpg"),
        ("../images/b.jpg", "https://dienbien.dcs.vn/Tin-tuc/images/b.jpg"),
        ("c.jpg", "https://dienbien.dcs.vn/Tin-tuc/bai-viet/c.jpg"),
        ("Uploads/1 hoi nghi.jpg", "https://dienbien.dcs.vn/Tin-tuc/bai-viet/Uploads/1%20hoi%20nghi.jpg"),
        ("  /Uploads/a.jpg  ", "https://dienbien.dcs.vn/Uploads/a.jpg"),
        ("/Uploads/a.jpg#zoom", "https://dienbien.dcs.vn/Uploads/a.jpg"),
        ("?PageIndex=2", "https://dienbien.dcs.vn/Tin-tuc/bai-viet/thuc-hien-tot?PageIndex=2"),
        ("//cdn.dienbien.dcs.vn/a.jpg", "https://cdn.dienbien.dcs.vn/a.jpg"),  # scheme-relative
        ("HTTP://Other.VN/x.jpg", "http://other.vn/x.jpg"),  # absolute: canonicalised
        # not a link
        ("javascript:void(0)", None),
        ("JavaScript:openImage('a.jpg')", None),
        ("mailto:bbt@dienbien.dcs.vn", None),
        ("data:image/png;base64,iVBORw0KGgo=", None),
        ("#", None),
        ("#top", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_absolute_url(ref: str | None, expected: str | None) -> None:
    assert absolute_url(BASE, ref) == expected


def test_absolute_url_against_file_base() -> None:
    """`dvscraper parse` defaults to a file:// URL; relative links resolve against it."""
    assert absolute_url("file:///tmp/fx/page.html", "img/a.jpg") == "file:///tmp/fx/img/a.jpg"
    assert absolute_url("file:///tmp/fx/page.html", "/Uploads/a.jpg") == "file:///Uploads/a.jpg"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_absolute_url_never_raises(ref: str) -> None:
    value = absolute_url(BASE, ref)
    assert value is None or value == canonical_url(value)
