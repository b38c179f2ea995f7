"""No input makes the parsers crash or hang.

``parse_article`` may only return an ``Article`` or raise ``NotAnArticle``;
``parse_listing`` may not raise at all. Both run with the site profile and with it emptied (the structural fallback alone).
Every call must finish within
``CALL_BUDGET_S`` (a hard alarm turns a real hang into a failure instead of a
stuck suite). Inputs: random bytes and text, tag soup built from the portal's
own vocabulary, every fixture page truncated at random points, and hand-built
pathological pages (deep nesting, megabytes, odd encodings, NUL bytes, broken
entities).
"""

from __future__ import annotations

import contextlib
import functools
import json
import signal
import time
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dvscraper import NotAnArticle, parse_article, parse_listing
from dvscraper.parse.profile import EMPTY_PROFILE, SiteProfile
from dvscraper.records import Article, ListingPage
from tests.conftest import FIXED_CRAWLED_AT, FIXTURES

URL = "http://dienbien.dcs.vn/Tin-tuc/thuc-hien-tot-cong-tac-dan-van"
CALL_BUDGET_S = 5.0  # each parse call, asserted
HARD_TIMEOUT_S = 30  # alarm: a hung call fails the test instead of hanging the suite

FUZZ = settings(
    max_examples=60,
    deadline=None,  # our own per-call budget instead: the first call may import lazily
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextlib.contextmanager
def _hard_timeout(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (POSIX only; no-op elsewhere)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def _expired(signum, frame):
        raise TimeoutError(f"parse call still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _timed(call: Callable[[], object], what: str) -> object:
    started = time.perf_counter()
    with _hard_timeout(HARD_TIMEOUT_S):
        result = call()
    elapsed = time.perf_counter() - started
    assert elapsed < CALL_BUDGET_S, f"{what} took {elapsed:.2f} s (budget {CALL_BUDGET_S} s)"
    return result


def check_parsers(html: bytes | str, url: str = URL) -> None:
    """The robustness contract for one input, with the site profile and with it emptied."""
    for profile in (None, EMPTY_PROFILE):
        _check_parsers(html, url, profile)


def _check_parsers(html: bytes | str, url: str, profile: SiteProfile | None) -> None:
    try:
        record = _timed(
            lambda: parse_article(html, url, crawled_at=FIXED_CRAWLED_AT, profile=profile), "parse_article"
        )
    except NotAnArticle as exc:
        assert isinstance(exc.reason, str) and exc.reason, "NotAnArticle needs a reason"
        assert "\n" not in exc.reason, "the reason is printed as one stderr line"
    else:
        assert isinstance(record, Article)
        assert record.title, "an article has a title"
        assert record.published_at.utcoffset() is not None, "published_at is tz-aware"
        # what `dvscraper parse` prints must be printable as UTF-8 (no lone surrogates)
        json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")
    page = _timed(lambda: parse_listing(html, url, profile=profile), "parse_listing")
    assert isinstance(page, ListingPage)
    json.dumps(page.to_dict(), ensure_ascii=False).encode("utf-8")


# --- realistic material -------------------------------------------------------------------------

# A page of the portal's anatomy (SPEC §1), so that mutations reach deep into the parser even
# before the fixtures exist.
SAMPLE_ARTICLE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title></head>
<body><div class="header">TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/T/TIN-TUC">Tin tức</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/T/TIN-TUC">Tin tức</a></div>
<div class="main"><h1 class="title-detail">Thực hiện tốt công tác dân vận, tạo sức lan tỏa trong Nhân dân</h1>
<div class="date-detail">Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444</div>
<div class="sapo"><b>Chiều nay (13/1), Ban Dân vận Tỉnh ủy và Ban cán sự đảng UBND tỉnh tổ chức Hội nghị
tổng kết công tác phối hợp năm 2022 và biểu dương khen thưởng các điển hình &quot;dân vận khéo&quot;.</b></div>
<div class="content-detail">
<p><strong>Phối hợp tham mưu hiệu quả cho Tỉnh ủy</strong></p>
<p>Ban Dân vận Tỉnh ủy và Ban cán sự đảng UBND tỉnh đã chủ động tham mưu&nbsp;với Ban Thường vụ Tỉnh ủy
qu&#7845;n triệt, ban hành các văn bản lãnh đạo, chỉ đạo. Các cơ quan đã tiếp 1.053 lượt.</p>
<table align="center"><tr><td><img src="/Uploads/images/1-hoi-nghi-dan-van-kheo.jpg" alt=""></td></tr>
<tr><td><em>Quang cảnh hội nghị</em></td></tr></table>
<div>Tích cực tham mưu cho Tỉnh ủy<br>lãnh đạo HĐND tỉnh, UBND tỉnh<br><br>quan tâm thực hiện.</div>
<figure><img src="../images/b.jpg" title="Đại biểu dự hội nghị"><figcaption>Đại biểu</figcaption></figure>
<p style="text-align:right"><strong>Tin, ảnh: Minh Thùy</strong></p>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/Tin-tuc/khac">Bài khác</a> (12/01/2023)</li></ul></div>
</div></div>
<div class="sidebar"><h3>BẢN ĐỒ HÀNH CHÍNH</h3><h3>Liên kết web</h3>
<div>Thống kê truy cập</div><div>Tổng truy cập: 1.234.567</div></div>
<div class="footer">Bản quyền thuộc Đảng bộ tỉnh Điện Biên</div>
<script>var x = "</div><h1>not a title</h1>";</script></body></html>
"""

SAMPLE_LISTING = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tin tức</title></head><body>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; Tin tức</div>
<div class="list-news">
<div class="item"><a href="/Tin-tuc/bai-1"><img src="/Uploads/t1.jpg"></a><h3><a href="/Tin-tuc/bai-1">Bài một</a></h3>
<span>13/01/2023 05:36:49 PM</span><p>Chiều nay (13/1), hội nghị.</p></div>
<div class="item"><h3><a href="/Tin-tuc/bai-2">Bài hai</a></h3><span>12/01/2023 08:00:00 AM</span></div>
</div>
<div class="paging"><a href="/T/TIN-TUC?PageIndex=1">1</a> <a href="/T/TIN-TUC?PageIndex=2">2</a>
<a href="/T/TIN-TUC?PageIndex=2">Trang sau</a></div>
<div class="sidebar"><h3>Tin đọc nhiều</h3><a href="/Tin-tuc/x">X</a></div></body></html>
"""

FIXTURE_FILES = sorted(FIXTURES.glob("**/*.html")) if FIXTURES.is_dir() else []


@functools.cache
def _pages() -> list[tuple[str, bytes]]:
    pages = [("sample-article", SAMPLE_ARTICLE.encode("utf-8")), ("sample-listing", SAMPLE_LISTING.encode("utf-8"))]
    pages += [(str(path.relative_to(FIXTURES)), path.read_bytes()) for path in FIXTURE_FILES]
    return pages


# Vocabulary of the portal's pages for tag soup: tags, labels, dates, entities, junk.
SOUP_TOKENS = [
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<title>", "</title>",
    "<div>", "</div>", '<div class="content-detail">', '<div class="sapo">', '<div class="date-detail">',
    "<p>", "</p>", '<p style="text-align:right">', '<p align="center">', "<b>", "</b>", "<strong>",
    "</strong>", "<em>", "</em>", "<i>", "</i>", "<span>", "</span>", "<br>", "<br/>", "<hr>",
    "<h1>", "</h1>", "<h2>", "</h2>", "<h3>", "</h3>", '<h1 class="title-detail">', "<li>", "</li>",
    "<ul>", "</ul>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<figure>", "</figure>",
    "<figcaption>", "</figcaption>", '<img src="/Uploads/a.jpg">', '<img src="../b.jpg" alt="Ảnh">',
    '<img alt="1-hoi-nghi.jpg">', "<img>", '<img src="javascript:x">', '<a href="/Tin-tuc/a">',
    '<a href="?PageIndex=3">', '<a href="javascript:void(0)">', "<a>", "</a>", "<script>", "</script>",
    "<style>", "</style>", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml version='1.0'?>",
    "<svg>", "</svg>", "<math>", "<frameset>", "<noscript>", "<template>", "<iframe>", "<textarea>",
    "Trang chủ", " &gt; ", "Tin tức", "Thời gian đăng:", "Ngày đăng:", "Cập nhật:", " - ", "Lượt đọc:",
    "Lượt xem:", "13/01/2023 05:36:49 PM", "31/02/2023 10:00:00 AM", "05/03/2024 14:20", "12:05:00 AM",
    "7444", "1.053", "99999999999999999999999", "Chiều nay (13/1), ", "Ngày 31/2, ", "Sáng nay, ",
    "Tin, ảnh: Minh Thùy", "Theo baodienbienphu.com.vn", "Nguồn: TTXVN", "Quang cảnh hội nghị",
    "Tin liên quan", "Các tin khác", "BẢN ĐỒ HÀNH CHÍNH", "Thống kê truy cập", "Tổng truy cập: 5",
    "TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN", "Trang sau", "Xem thêm", "»",
    "&nbsp;", "&#7845;", "&#x1EA5;", "&amp;", "&bogus;", "&#0;", "&#xD800;", "&#99999999999;", "&#",
    "&", "<", ">", '"', "'", "=", "\u200b", "\ufeff", "\u00a0", "\x00", "\r\n", "\t", "\u0301",
    "u\u0300", "\U0001f600", "Điện Biên", "dân vận khéo",
]

soup = st.lists(st.sampled_from(SOUP_TOKENS), max_size=300).map("".join)


@st.composite
def article_pages(draw: st.DrawFn) -> str:
    """Pages of the portal's anatomy in the SPEC §1 markup forms, with soup spliced in.

    Unlike plain soup these usually *are* articles, so the fuzzing reaches the title,
    meta line, lead, body, image/caption and byline code rather than the early exit.
    """
    junk = st.lists(st.sampled_from(SOUP_TOKENS), max_size=8).map("".join)
    words = st.lists(
        st.sampled_from(["dân vận", "Nhân dân", "Tỉnh ủy", "hội nghị", "nông thôn mới", "Điện Biên", "1.053", "năm 2022"]),
        min_size=1,
        max_size=40,
    ).map(" ".join)
    title_tag = draw(st.sampled_from(["h1", "h2", "div", "li", "span", "p"]))
    title_class = draw(st.sampled_from(["", ' class="title-detail"', ' class="title"', ' id="title"']))
    label = draw(st.sampled_from(["Thời gian đăng:", "Ngày đăng:", "Cập nhật:", "THỜI GIAN ĐĂNG :", "Thời gian đăng"]))
    when = draw(
        st.sampled_from(
            ["13/01/2023 05:36:49 PM", "5/3/2024 9:05:00 AM", "05/03/2024 14:20", "14:20 - 05/03/2024",
             "13/01/2023 12:05:00 AM", "31/02/2023 10:00:00 AM", "Thứ Năm, 26/12/2024", "13/01/2023"]
        )
    )
    count = draw(st.sampled_from(["Lượt đọc: 7444", "Lượt xem: 1.053", "Lượt đọc:", "", "Lượt đọc: abc"]))
    meta = draw(
        st.sampled_from(
            [f"<div>{label} {when} - {count}</div>",
             f'<div class="date-detail"><span>{label} {when}</span> <span>{count}</span></div>',
             f"<p><i>{label}&nbsp;{when}</i></p><p>{count}</p>",
             f"<li>{label} {when}</li><li>{count}</li>"]
        )
    )
    lead_open = draw(st.sampled_from(["Chiều nay (13/1), ", "Sáng 15/10, ", "(ĐBP) - Sáng 12/1, ", "Ngày càng ", ""]))
    lead = draw(st.sampled_from(['<div class="sapo">{}</div>', "<p><b>{}</b></p>", "<p>{}</p>"])).format(
        lead_open + draw(words)
    )
    blocks = []
    for _ in range(draw(st.integers(0, 12))):
        form = draw(st.sampled_from(["p", "div", "br", "heading", "figure", "table", "next-p", "alt", "junk"]))
        text = draw(words)
        blocks.append(
            {
                "p": f"<p>{text}</p>",
                "div": f"<div>{text}</div>",
                "br": f"<div>{text}<br>{text}<br><br>{text}</div>",
                "heading": draw(st.sampled_from([f"<p><strong>{text[:40]}</strong></p>", f"<h3>{text[:40]}</h3>"])),
                "figure": f'<figure><img src="/Uploads/a.jpg"><figcaption>{text[:50]}</figcaption></figure>',
                "table": f'<table><tr><td><img src="../b.jpg"></td></tr><tr><td>{text[:50]}</td></tr></table>',
                "next-p": f'<p style="text-align:center"><img src="c.jpg" alt=""></p><p><em>{text[:50]}</em></p>',
                "alt": '<p><img src="d.jpg" alt="1-hoi-nghi.jpg" title="Quang cảnh hội nghị"></p>',
                "junk": draw(junk),
            }[form]
        )
    byline = draw(
        st.sampled_from(["Tin, ảnh: Minh Thùy", "Theo baodienbienphu.com.vn", "Thu Hà - Quang Hưng", "Nguồn: TTXVN", ""])
    )
    parts = [
        "<html><head><meta charset='utf-8'><title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title></head><body>",
        "<div>Thứ Bảy, ngày 14/01/2023</div><div class='breadcrumb'>Trang chủ &gt; Tin tức</div>",
        f"<{title_tag}{title_class}>{draw(words)}</{title_tag}>",
        meta,
        lead,
        *blocks,
        f'<p style="text-align:right"><b>{byline}</b></p>' if byline else "",
        "<div>Tin liên quan</div><ul><li><a href='/a'>Bài khác</a> (12/01/2023) Lượt đọc: 5</li></ul>",
        "<div>BẢN ĐỒ HÀNH CHÍNH</div><div>Liên kết web</div><div>Thống kê truy cập</div><div>Tổng truy cập: 9</div>",
        "</body></html>",
    ]
    # splice junk between the parts, and maybe cut the page short
    out = []
    for part in parts:
        out.append(part)
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(junk))
    return "".join(out)


# --- hypothesis: random inputs -------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\x00" * 64)
@example(b"\xff\xfe\x00\x00")  # a UTF-32 BOM and nothing else
@example(b"\xef\xbb\xbf")  # a UTF-8 BOM and nothing else
def test_random_bytes(html: bytes) -> None:
    check_parsers(html)


@FUZZ
@given(st.text(max_size=2048))
def test_random_text_as_bytes(text: str) -> None:
    check_parsers(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.text(max_size=2048))
@example('<?xml version="1.0" encoding="utf-8"?><html><body><h1>T</h1></body></html>')
def test_random_text_as_str(text: str) -> None:
    """``parse_article`` takes ``bytes | str``; lxml rejects a str with an encoding declaration."""
    check_parsers(text)


@settings(FUZZ, max_examples=150)
@given(soup)
def test_tag_soup(html: str) -> None:
    check_parsers(html.encode("utf-8", "surrogatepass"))


@settings(FUZZ, max_examples=150)
@given(article_pages())
def test_generated_articles(html: str) -> None:
    check_parsers(html.encode("utf-8", "surrogatepass"))


@settings(FUZZ, max_examples=100)
@given(st.data())
def test_truncated_pages(data: st.DataObject) -> None:
    """Every fixture page (and the built-in samples) cut at a random byte, mid-tag or mid-UTF-8."""
    _name, page = data.draw(st.sampled_from(_pages()), label="page")
    cut = data.draw(st.integers(min_value=0, max_value=len(page)), label="cut")
    check_parsers(page[:cut])


@settings(FUZZ, max_examples=60)
@given(st.data())
def test_mutated_pages(data: st.DataObject) -> None:
    """A page with a random slice deleted, duplicated or replaced by random bytes."""
    _name, page = data.draw(st.sampled_from(_pages()), label="page")
    start = data.draw(st.integers(min_value=0, max_value=len(page)), label="start")
    end = data.draw(st.integers(min_value=start, max_value=min(len(page), start + 2000)), label="end")
    junk = data.draw(st.binary(max_size=200), label="junk")
    how = data.draw(st.sampled_from(["delete", "duplicate", "replace"]), label="how")
    if how == "delete":
        mutated = page[:start] + page[end:]
    elif how == "duplicate":
        mutated = page[:end] + page[start:end] + page[end:]
    else:
        mutated = page[:start] + junk + page[end:]
    check_parsers(mutated)


# --- deterministic: every fixture, truncated at fixed points ------------------------------------


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_truncations(path) -> None:
    page = path.read_bytes()
    for fraction in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99):
        check_parsers(page[: int(len(page) * fraction)])
    check_parsers(page)


# --- deterministic: pathological pages -----------------------------------------------------------


def _article_with_body(body: str, head: str = '<meta charset="utf-8">') -> str:
    return (
        f"<html><head>{head}<title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title></head><body>"
        "<h1>Thực hiện tốt công tác dân vận</h1>"
        "<div>Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444</div>"
        f"<p>Chiều nay (13/1), hội nghị.</p>{body}"
        '<p style="text-align:right">Tin, ảnh: Minh Thùy</p></body></html>'
    )


def _nested(open_tag: str, close_tag: str, depth: int, inner: str) -> str:
    return open_tag * depth + inner + close_tag * depth


META = "Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444"
PARAGRAPH = "<p>Ban Dân vận Tỉnh ủy và Ban cán sự đảng UBND tỉnh đã chủ động tham mưu, ban hành văn bản.</p>"

PATHOLOGICAL: dict[str, Callable[[], bytes | str]] = {
    # nesting
    "nested-div-5000": lambda: _nested("<div>", "</div>", 5000, f"<h1>Tiêu đề</h1><p>{META}</p>").encode(),
    "nested-div-50000": lambda: _nested("<div>", "</div>", 50000, f"<h1>Tiêu đề</h1><p>{META}</p>").encode(),
    "nested-div-unclosed-20000": lambda: ("<div>" * 20000 + f"<h1>Tiêu đề</h1>{META}").encode(),
    "nested-inline-5000": lambda: _article_with_body(_nested("<b><i>", "</i></b>", 2500, "chữ đậm")).encode(),
    "nested-table-2000": lambda: _article_with_body(
        _nested("<table><tr><td>", "</td></tr></table>", 2000, '<img src="a.jpg">')
    ).encode(),
    "nested-list-5000": lambda: _article_with_body(_nested("<ul><li>", "</li></ul>", 5000, "x")).encode(),
    "nested-p-5000": lambda: _article_with_body("<p>" * 5000 + "đoạn văn").encode(),
    "nested-span-meta-5000": lambda: _nested("<span>", "</span>", 5000, f"<h1>T</h1>{META}").encode(),
    # size
    "huge-3mb-paragraphs": lambda: _article_with_body(PARAGRAPH * 25_000).encode(),
    "huge-one-text-node": lambda: _article_with_body("<p>" + "dân vận khéo " * 250_000 + "</p>").encode(),
    "huge-one-line-no-spaces": lambda: _article_with_body("<p>" + "a" * 3_000_000 + "</p>").encode(),
    "huge-br-lines": lambda: _article_with_body("<div>" + "dòng văn bản<br>" * 150_000 + "</div>").encode(),
    "huge-many-images": lambda: _article_with_body(
        '<p><img src="/Uploads/a.jpg" alt="Ảnh"></p><p><em>Chú thích ảnh</em></p>' * 20_000
    ).encode(),
    "huge-many-meta-lines": lambda: _article_with_body(f"<div>{META}</div>" * 20_000).encode(),
    "huge-many-titles": lambda: ("<h1>Tiêu đề</h1>" * 50_000 + META).encode(),
    "huge-attribute": lambda: _article_with_body('<img src="' + "a" * 2_000_000 + '.jpg">').encode(),
    "huge-comment": lambda: _article_with_body("<!--" + "x" * 2_000_000 + "-->").encode(),
    "huge-unclosed-comment": lambda: _article_with_body("<!--" + "x" * 2_000_000).encode(),
    "huge-script": lambda: _article_with_body("<script>" + "var a='<p>';" * 200_000 + "</script>").encode(),
    "huge-listing": lambda: (
        "<html><body>"
        + '<div class="item"><h3><a href="/Tin-tuc/a">Bài</a></h3><span>13/01/2023 05:36:49 PM</span></div>'
        * 30_000
        + '<a href="?PageIndex=2">Trang sau</a></body></html>'
    ).encode(),
    "huge-links": lambda: ("<html><body>" + '<a href="/T/TIN-TUC?PageIndex=2">»</a>' * 60_000).encode(),
    # encodings
    "encoding-utf8-bom": lambda: b"\xef\xbb\xbf" + SAMPLE_ARTICLE.encode("utf-8"),
    "encoding-utf16-bom": lambda: SAMPLE_ARTICLE.encode("utf-16"),
    "encoding-utf16le-no-bom": lambda: SAMPLE_ARTICLE.encode("utf-16-le"),
    "encoding-utf16be-no-bom": lambda: SAMPLE_ARTICLE.encode("utf-16-be"),
    "encoding-utf32": lambda: SAMPLE_ARTICLE.encode("utf-32"),
    "encoding-cp1258": lambda: SAMPLE_ARTICLE.replace("utf-8", "windows-1258").encode("cp1258", "replace"),
    "encoding-utf8-declared-latin1": lambda: SAMPLE_ARTICLE.replace("utf-8", "iso-8859-1").encode("utf-8"),
    "encoding-latin1-declared-utf8": lambda: SAMPLE_ARTICLE.encode("latin-1", "replace"),
    "encoding-bogus-charset": lambda: SAMPLE_ARTICLE.replace("utf-8", "x-no-such-charset").encode("utf-8"),
    "encoding-two-charsets": lambda: SAMPLE_ARTICLE.replace(
        '<meta charset="utf-8">', '<meta charset="utf-16"><meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'
    ).encode("utf-8"),
    "encoding-invalid-utf8": lambda: SAMPLE_ARTICLE.encode("utf-8").replace("ă".encode(), b"\xc3\x28\xa0\xa1"),
    "encoding-surrogates": lambda: SAMPLE_ARTICLE.replace("Minh Thùy", "Minh \ud800Thùy").encode("utf-8", "surrogatepass"),
    "encoding-nfd": lambda: __import__("unicodedata").normalize("NFD", SAMPLE_ARTICLE).encode("utf-8"),
    "xml-declaration-bytes": lambda: ('<?xml version="1.0" encoding="utf-16"?>' + SAMPLE_ARTICLE).encode("utf-8"),
    # str input
    "str-input": lambda: SAMPLE_ARTICLE,
    "str-with-xml-declaration": lambda: '<?xml version="1.0" encoding="utf-8"?>' + SAMPLE_ARTICLE,
    "str-with-nul": lambda: SAMPLE_ARTICLE.replace("<p>", "<p>\x00"),
    "str-empty": lambda: "",
    # NUL bytes and control characters
    "nul-bytes-everywhere": lambda: b"\x00".join(SAMPLE_ARTICLE.encode("utf-8")[i : i + 7] for i in range(0, 6000, 7)),
    "nul-in-title-and-meta": lambda: SAMPLE_ARTICLE.replace("Thực hiện", "Th\x00ực hiện")
    .replace("05:36:49", "05:\x0036:49")
    .encode("utf-8"),
    "control-characters": lambda: SAMPLE_ARTICLE.replace(" ", "\x01 \x1f").encode("utf-8"),
    "nul-first": lambda: b"\x00" + SAMPLE_ARTICLE.encode("utf-8"),
    # entities
    "broken-entities": lambda: _article_with_body(
        "<p>&#99999999999; &#xD800; &#xDFFF; &#0; &#x0; &#x110000; &#; &#x; &bogus; &amp &lt &#7845 "
        "&#x1EA5 &nbsp &NBSP; &#65279; &#8203; &#173; &#x202E; &#128512; &#9;&#10;&#13;</p>"
    ).encode(),
    "entities-in-meta": lambda: _article_with_body("").replace(
        "13/01/2023 05:36:49 PM", "&#49;3/01/2023&nbsp;05:36:49&#160;PM"
    ).replace("7444", "7&#46;444").encode(),
    "entities-in-urls": lambda: _article_with_body('<img src="/Uploads/a&amp;b&#0;.jpg&#xD800;">').encode(),
    # odd documents
    "empty": lambda: b"",
    "whitespace": lambda: b" \n\t\r\n ",
    "only-doctype": lambda: b"<!DOCTYPE html>",
    "only-comment": lambda: f"<!-- {META} -->".encode(),
    "only-text-meta": lambda: META.encode(),
    "meta-in-title-tag": lambda: f"<title>Bài<h1>{META}</h1></title>".encode(),
    "meta-in-script": lambda: f"<h1>Tiêu đề</h1><script>{META}</script>".encode(),
    "xml-document": lambda: b'<?xml version="1.0"?><rss><channel><item><title>T</title></item></channel></rss>',
    "svg-document": lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><text>Th\xe1\xbb\x9di gian</text></svg>',
    "frameset": lambda: b'<html><frameset><frame src="/a"></frameset></html>',
    "cdata": lambda: f"<h1><![CDATA[Tiêu đề]]></h1><![CDATA[{META}]]>".encode(),
    "processing-instructions": lambda: f"<?php echo 1; ?><h1>T</h1><?x {META}?>{META}".encode(),
    "namespaced-tags": lambda: f'<html xmlns:o="urn:x"><o:p><h1>T</h1></o:p><o:p>{META}</o:p></html>'.encode(),
    "template-and-noscript": lambda: f"<template><h1>T</h1></template><noscript>{META}</noscript>".encode(),
    "title-site-name-only": lambda: f"<title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title>{META}".encode(),
    "invalid-meta-date": lambda: _article_with_body("").replace("13/01/2023", "31/02/2023").encode(),
    "year-zero-and-huge": lambda: _article_with_body("<p>Ngày 13/1/0000, 13/1/99999</p>").replace(
        "13/01/2023", "13/01/0000"
    ).encode(),
    "read-count-huge": lambda: _article_with_body("").replace("7444", "9" * 40).encode(),
    "binary-png": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
    "binary-gzip": lambda: b"\x1f\x8b\x08\x00" + bytes(range(255, -1, -1)) * 64,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological(name: str) -> None:
    check_parsers(PATHOLOGICAL[name]())


@pytest.mark.parametrize(
    "url",
    [
        "file:///tmp/fixtures/articles/page.html",
        "http://127.0.0.1:8765/Tin-tuc/a?PageIndex=2#x",
        "HTTP://DienBien.DCS.VN:80/Tin-tuc/a",
        "http://[::1]:8765/a",
        "",
        "not a url",
    ],
)
def test_odd_urls(url: str) -> None:
    check_parsers(SAMPLE_ARTICLE.encode("utf-8"), url)
