"""Generated pages of the portal's anatomy, in every SPEC §1 markup form, with known answers.

The fixtures prove the forms one page at a time; this module mixes them at random
(title tag x meta form x clock x lead form x paragraph form x caption form x byline
form x sidebar position) so the parser is checked on combinations no fixture shows.
Each page is built together with its expected record, and only unambiguous fields
are compared.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvscraper import parse_article
from dvscraper.normalize.dates import VN_TZ
from tests.conftest import FIXED_CRAWLED_AT

URL = "https://dienbien.dcs.vn/Tin-tuc/bai-viet-mau"
SIDEBAR = ("BẢN ĐỒ HÀNH CHÍNH", "Liên kết web", "Thống kê truy cập", "Tổng truy cập")

WORDS = ["công", "tác", "dân", "vận", "Nhân", "dân", "Tỉnh", "ủy", "hội", "nghị", "nông", "thôn", "mới", "Điện", "Biên", "cán", "bộ", "đảng", "viên", "chính", "quyền", "cơ", "sở", "phong", "trào", "thi", "đua", "kinh", "tế", "xã", "hội", "quốc", "phòng", "an", "ninh", "huyện", "xã", "bản", "làng", "đồng", "bào", "dân", "tộc", "phát", "triển", "sản", "xuất", "giảm", "nghèo", "bền", "vững", "văn", "hóa", "giáo", "dục", "y", "tế", "đầu", "tư", "hạ", "tầng", "giao", "thông"]


@dataclass
class Page:
    html: str = ""
    title: str = ""
    category: str = ""
    published_at: dt.datetime | None = None
    read_count: int | None = None
    summary: str = ""
    event_date: dt.date | None = None
    paragraphs: list[str] = field(default_factory=list)  # body paragraphs incl. headings, in order
    headings: list[str] = field(default_factory=list)
    captions: list[str | None] = field(default_factory=list)
    image_files: list[str] = field(default_factory=list)
    byline: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None


def _sentence(draw: st.DrawFn, low: int, high: int, tag: str) -> str:
    """A capitalised run of words, made unique by a tag (so 'not in body' checks mean something)."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=low, max_size=high))
    text = " ".join([*words, tag])
    return text[0].upper() + text[1:]


@st.composite
def pages(draw: st.DrawFn) -> Page:
    page = Page()
    esc = html_lib.escape

    # title, in any of the SPEC's title tags, with or without a class
    page.title = _sentence(draw, 6, 14, "tiêu đề")
    tag = draw(st.sampled_from(["h1", "h2", "div", "li", "span"]))
    cls = draw(st.sampled_from(["", ' class="title-detail"', ' class="tieu-de"', ' id="title"']))
    title_html = f"<{tag}{cls}>{esc(page.title)}</{tag}>"
    if tag == "li":
        title_html = f"<ul>{title_html}</ul>"

    # meta line: 12-hour or 24-hour clock, one element or two, with or without a read count
    when = draw(st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2030, 12, 31))).replace(
        microsecond=0
    )
    clock = draw(st.sampled_from(["12h", "12h-unpadded", "24h", "24h-seconds"]))
    hour12, marker = when.hour % 12 or 12, ("AM" if when.hour < 12 else "PM")
    shown = {
        "12h": f"{when:%d/%m/%Y} {hour12:02d}:{when:%M:%S} {marker}",
        "12h-unpadded": f"{when.day}/{when.month}/{when.year} {hour12}:{when:%M:%S} {marker}",
        "24h": f"{when:%d/%m/%Y %H:%M}",
        "24h-seconds": f"{when:%d/%m/%Y %H:%M:%S}",
    }[clock]
    page.published_at = when.replace(second=0 if clock == "24h" else when.second, tzinfo=VN_TZ)
    page.read_count = draw(st.none() | st.integers(0, 2_000_000))
    count = "" if page.read_count is None else f"{page.read_count:,}".replace(",", ".")
    time_label = draw(st.sampled_from(["Thời gian đăng", "Ngày đăng", "Cập nhật"]))
    count_label = draw(st.sampled_from(["Lượt đọc", "Lượt xem"]))
    meta_form = draw(st.sampled_from(["one", "spans", "two"]))
    if page.read_count is None:
        meta_html = f'<div class="date">{time_label}: {shown}</div>'
    elif meta_form == "one":
        meta_html = f'<div class="date">{time_label}: {shown} - {count_label}: {count}</div>'
    elif meta_form == "spans":
        meta_html = f"<div><span>{time_label}: {shown}</span> - <span>{count_label}: {count}</span></div>"
    else:
        meta_html = f'<p class="time">{time_label}: {shown}</p><p class="view">{count_label}: {count}</p>'

    # lead: a full paragraph, as its own element or as the first (bold) paragraph of the body.
    # Lengths follow the seed page: its sub-headings run to 22 words, so a lead here has at least
    # 30 words and a plain paragraph after an image (which must not pass for a caption) too.
    local = page.published_at.date()
    opening, page.event_date = draw(
        st.sampled_from(
            [
                (f"Chiều nay ({local.day}/{local.month}), ", local),
                (f"Sáng {local.day}/{local.month}, ", local),
                (f"Ngày {local.day}/{local.month}, ", local),
                ("Sáng nay, ", local),
                ("", None),
            ]
        )
    )
    page.summary = opening + _sentence(draw, 30, 50, "mở đầu").lower() if opening else _sentence(draw, 30, 50, "mở đầu")
    lead_form = draw(st.sampled_from(["sapo", "bold-p", "strong-p"]))
    lead_html = {
        "sapo": f'<div class="sapo">{esc(page.summary)}</div>',
        "bold-p": f"<p><b>{esc(page.summary)}</b></p>",
        "strong-p": f"<p><strong>{esc(page.summary)}</strong></p>",
    }[lead_form]

    # body: paragraphs as p / div / <br>-split text; sub-headings; images with captions
    para_form = draw(st.sampled_from(["p", "div"]))
    blocks: list[str] = []
    for index in range(draw(st.integers(2, 6))):
        if draw(st.booleans()) and index > 0:
            heading = _sentence(draw, 3, 20, f"mục {index}")
            page.headings.append(heading)
            page.paragraphs.append(heading)
            blocks.append(
                draw(st.sampled_from([f"<p><strong>{esc(heading)}</strong></p>", f"<h3>{esc(heading)}</h3>",
                                      f"<h4>{esc(heading)}</h4>"]))
            )
        text = _sentence(draw, 20, 50, f"đoạn {index}")
        page.paragraphs.append(text)
        blocks.append(f"<{para_form}>{esc(text)}</{para_form}>")
        if draw(st.integers(0, 2)) == 0:
            number = len(page.image_files) + 1
            name = f"{number}-anh-hoi-nghi.jpg"
            src = draw(st.sampled_from([f"/Uploads/images/{name}", f"../images/{name}", f"{name}"]))
            caption = _sentence(draw, 3, 8, f"ảnh {number}")
            form = draw(st.sampled_from(["figcaption", "next-p", "next-em", "table-row", "alt", "none"]))
            page.image_files.append(name)
            page.captions.append(None if form == "none" else caption)
            blocks.append(
                {
                    "figcaption": f'<figure><img src="{src}" alt=""><figcaption>{esc(caption)}</figcaption></figure>',
                    "next-p": f'<p style="text-align:center"><img src="{src}"></p>'
                    f'<p style="text-align:center"><em>{esc(caption)}</em></p>',
                    "next-em": f'<div style="text-align:center"><img src="{src}"></div><em>{esc(caption)}</em>',
                    "table-row": f'<table align="center"><tr><td><img src="{src}"></td></tr>'
                    f"<tr><td>{esc(caption)}</td></tr></table>",
                    "alt": f'<p style="text-align:center"><img src="{src}" alt="{esc(caption)}"></p>',
                    "none": f'<p style="text-align:center"><img src="{src}"></p>',
                }[form]
            )
            # a body paragraph always follows an image: a caption is never the page's last block
            text = _sentence(draw, 30, 50, f"tiếp {index}")
            page.paragraphs.append(text)
            blocks.append(f"<{para_form}>{esc(text)}</{para_form}>")

    # byline: the last short right-aligned / bold / italic paragraph
    page.byline, page.authors, page.source = draw(
        st.sampled_from(
            [
                ("Tin, ảnh: Minh Thùy", ["Minh Thùy"], None),
                ("Bài, ảnh: Lan Anh", ["Lan Anh"], None),
                ("Tin: Hoàng Tư", ["Hoàng Tư"], None),
                ("Thu Hà - Quang Hưng", ["Thu Hà", "Quang Hưng"], None),
                ("Theo baodienbienphu.com.vn", [], "baodienbienphu.com.vn"),
                ("Nguồn: TTXVN", [], "TTXVN"),
                (None, [], None),
            ]
        )
    )
    if page.byline:
        blocks.append(
            draw(
                st.sampled_from(
                    [
                        f'<p style="text-align:right"><strong>{page.byline}</strong></p>',
                        f'<p align="right"><em>{page.byline}</em></p>',
                        f'<div style="text-align: right;"><b>{page.byline}</b></div>',
                        f"<p><strong>{page.byline}</strong></p>",
                    ]
                )
            )
        )

    page.category = draw(st.sampled_from(["Tin tức", "Xây dựng Đảng", "Dân vận", "Kinh tế - Xã hội"]))
    other = _sentence(draw, 5, 10, "bài khác")
    side_list = (
        '<div class="box"><div class="box-title">Tin mới</div><ul>'
        f'<li><a href="/Tin-tuc/khac">{esc(other)}</a>'
        "<span>Thời gian đăng: 02/02/2019 08:00:00 AM - Lượt đọc: 12</span></li></ul></div>"
    )
    widgets = (
        '<div class="sidebar"><div class="widget-title">BẢN ĐỒ HÀNH CHÍNH</div><img src="/Uploads/bando.jpg">'
        '<div class="widget-title">Liên kết web</div><select><option>Chọn liên kết</option></select>'
        "<div>Thống kê truy cập</div><div>Tổng truy cập: 1.234.567</div></div>"
    )
    related = (
        '<div class="related"><div class="title">Tin liên quan</div><ul>'
        f'<li><a href="/Tin-tuc/khac-2">{esc(_sentence(draw, 5, 10, "liên quan"))}</a> (03/03/2020)</li></ul></div>'
    )
    side_first = draw(st.booleans())
    article = (
        f'<div class="detail">{title_html}{meta_html}{lead_html}'
        f'<div class="content">{"".join(blocks)}</div>{related}</div>'
    )
    page.html = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        "<title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title></head><body>"
        '<div class="header">TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</div>'
        '<div class="today">Thứ Bảy, ngày 14/01/2023</div>'
        '<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/T/TIN-TUC">Tin tức</a></li></ul>'
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/T/X">{esc(page.category)}</a></div>'
        + (side_list + article if side_first else article + side_list)
        + widgets
        + '<div class="footer">Bản quyền thuộc Đảng bộ tỉnh Điện Biên</div>'
        "<script>var t = 'Thời gian đăng: 01/01/2001 01:01:01 AM';</script></body></html>"
    )
    return page


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pages())
def test_generated_article(page: Page) -> None:
    record = parse_article(page.html.encode("utf-8"), URL, crawled_at=FIXED_CRAWLED_AT)
    got = record.to_dict()
    assert record.title == page.title
    assert record.category == page.category
    assert record.breadcrumb == ["Trang chủ", page.category]
    assert record.published_at == page.published_at
    assert record.published_at.utcoffset() == dt.timedelta(hours=7)
    assert record.read_count == page.read_count
    assert record.summary == page.summary
    assert record.event_date == page.event_date
    assert record.headings == page.headings
    assert record.body_text == "\n\n".join(page.paragraphs)
    assert [image["caption"] for image in got["images"]] == page.captions
    assert [image["src"].rsplit("/", 1)[-1] for image in got["images"]] == page.image_files
    assert all(image["src"].startswith("https://dienbien.dcs.vn/") for image in got["images"])
    assert record.byline == page.byline
    assert record.authors == page.authors
    assert record.source == page.source
    for widget in SIDEBAR:
        assert widget not in record.body_text
    assert record.word_count == len(record.body_text.split())
