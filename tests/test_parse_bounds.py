"""parse/bounds.py: where the article ends, from the page's structure (no name lists)."""

from __future__ import annotations

import datetime as dt

import pytest

from dvscraper import parse_article
from dvscraper.parse.blocks import Line
from dvscraper.parse.bounds import is_dated_item, names_page_address
from dvscraper.parse.profile import EMPTY_PROFILE

URL = "https://dienbien.dcs.vn/TinTuc/Bai-viet-thu-nghiem"
AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
PARAGRAPH = ("Ban Dân vận Tỉnh ủy và Ban cán sự đảng UBND tỉnh đã chủ động tham mưu với Ban Thường vụ Tỉnh ủy "
             "quán triệt, ban hành các văn bản lãnh đạo, chỉ đạo, triển khai thực hiện công tác dân vận số {}.")


def _page(after: str, *, byline: str = '<p style="text-align:right"><b>Tin, ảnh: Minh Thùy</b></p>') -> bytes:
    body = "".join(f"<p>{PARAGRAPH.format(i)}</p>" for i in range(4))
    return (
        '<html><head><meta charset="utf-8"><title>x</title></head><body>'
        '<div class="q1"><div class="q2">Hội nghị tổng kết công tác dân vận năm 2022</div>'
        '<div class="q3">Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444</div>'
        f'<div class="q4">{body}{byline}{after}</div></div></body></html>'
    ).encode()


def _parse(html: bytes):
    return parse_article(html, URL, crawled_at=AT, profile=EMPTY_PROFILE)


BOXES = {
    "cards": '<div class="z"><div class="z1">Phóng sự ảnh khác</div>' + "".join(
        f'<div class="z2"><a href="/TinTuc/Bai-{i}"><img src="/Uploads/t{i}.jpg"></a>'
        f'<a href="/TinTuc/Bai-{i}">Điện Biên tổ chức hội nghị tổng kết công tác số {i}</a>'
        f'<span>(1{i}/01/2023)</span><p>Sáng nay, tỉnh Điện Biên tổ chức hội nghị với nhiều đại biểu dự.</p></div>'
        for i in range(3)) + "</div>",
    "plain-dated-list": '<div><b>Các tin đã đưa:</b><br>- Tuổi trẻ Điện Biên ra quân Tháng Thanh niên (03/03/2022)'
                        '<br>- Thanh niên tình nguyện làm đường vào bản (15/07/2022)<br>- Hội thi Bí thư chi bộ'
                        ' giỏi năm 2022 (06/10/2022)</div>',
    "comments": '<h3>Ý kiến của bạn</h3><ol>' + "".join(
        f"<li><p>Nguyễn Văn {n} (16/01/2023): Bài viết rất hay, mô hình thiết thực, nên nhân rộng ra các phường"
        " khác trong thành phố.</p></li>" for n in ("An", "Bình", "Cường")) + "</ol>",
    "attachment": '<div><div>File đính kèm</div><p><a href="/Uploads/files/qd-123.pdf">Quyết định số 123.pdf</a>'
                  ' (245 KB) <a href="/Uploads/files/qd-123.pdf">Tải về</a></p></div>',
    "print-footer": "<div>Địa chỉ bài viết: https://dienbien.dcs.vn/TinTuc/Bai-viet-thu-nghiem<br>"
                    "Bản quyền © 2024 Tỉnh ủy Điện Biên. Ghi rõ nguồn khi phát hành lại thông tin.</div>",
}


@pytest.mark.parametrize("box", list(BOXES), ids=list(BOXES))
def test_a_box_after_the_article_whatever_its_title_is_furniture(box):
    record = _parse(_page(BOXES[box]))
    assert record.body_text.split("\n\n") == [PARAGRAPH.format(i) for i in range(4)]
    assert record.byline == "Tin, ảnh: Minh Thùy" and record.authors == ["Minh Thùy"]
    assert record.images == [] and record.headings == []


def test_the_byline_after_a_box_is_still_the_byline():
    record = _parse(_page('<p align="right">Bài, ảnh: Lò Thị Ngọc</p>', byline=BOXES["cards"]))
    assert record.byline == "Bài, ảnh: Lò Thị Ngọc"
    assert "Phóng sự ảnh khác" not in record.body_text and record.images == []


def test_a_box_between_paragraphs_leaves_the_article_whole():
    body = "".join(f"<p>{PARAGRAPH.format(i)}</p>" for i in range(2))
    html = _page("").replace(body.encode(), body.encode() + BOXES["cards"].encode())
    record = _parse(html)
    assert record.body_text.split("\n\n") == [PARAGRAPH.format(i) for i in range(4)]


def test_the_toolbar_read_count_under_the_text():
    html = _page('<div class="t"><a href="javascript:print()">In bài</a> | Lượt xem: 12.345</div>')
    html = html.replace(" - Lượt đọc: 7444".encode(), b"")
    assert _parse(html).read_count == 12345


@pytest.mark.parametrize("text, dated", [
    ("Tuổi trẻ Điện Biên ra quân Tháng Thanh niên (03/03/2022)", True),
    ("Nậm Pồ đẩy nhanh tiến độ giải ngân vốn đầu tư công 21/01/2024", True),
    ("Hoàn thành sắp xếp bản, tổ dân phố 27/02/2024 07:20", True),
    ("Nguyễn Văn Bình (16/01/2023): Bài viết rất hay, mô hình thiết thực.", True),
    ("Thực hiện Quy định 11-QĐ/TW, ngày 18/02/2019 của Bộ Chính trị về trách nhiệm người đứng đầu.", False),
    ("Điện Biên phấn đấu hoàn thành xóa nhà tạm trước 30/6", False),
])
def test_dated_items(text, dated):
    assert is_dated_item(Line(text=text, element=None, tag="p")) is dated


@pytest.mark.parametrize("text, footer", [
    ("Địa chỉ bài viết: https://dienbien.dcs.vn/TinTuc/x", True),
    ("Bản quyền © 2024 Tỉnh ủy Điện Biên", True),
    ("© Trang thông tin điện tử Đảng bộ tỉnh Điện Biên", True),
    ("Bản quyền tác giả được bảo hộ theo luật, hội nghị nhấn mạnh.", False),
])
def test_print_footer_lines(text, footer):
    assert names_page_address(Line(text=text, element=None, tag="div")) is footer
