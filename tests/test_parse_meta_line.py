"""Finding the meta line by its labels, whatever the markup."""

import pytest

from dvscraper.parse.document import load_page
from dvscraper.parse.meta_line import find_meta_lines

WRAP = "<html><body><h1>Tiêu đề bài viết về hội nghị</h1>{}<p>Nội dung.</p></body></html>"


@pytest.mark.parametrize(
    "markup, raw, count",
    [
        ("<div>Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444</div>", "13/01/2023 05:36:49 PM", "7444"),
        ("<div><span>Thời gian đăng:</span> <span>13/01/2023 05:36:49 PM</span></div>"
         "<div>Lượt xem: 1.053</div>", "13/01/2023 05:36:49 PM", "1.053"),
        ("<p class='x'>Ngày đăng: 05/03/2024 14:20</p>", "05/03/2024 14:20", None),
        ("<div><time>Cập nhật: 18/04/2024 03:30:00 PM</time> - <span>Lượt đọc: 1.204</span></div>",
         "18/04/2024 03:30:00 PM", "1.204"),
        ("<div>THỜI GIAN ĐĂNG: 5/3/2024 9:05:00 AM</div>", "5/3/2024 9:05:00 AM", None),
        ("<div>13/01/2023 17:36 | Lượt xem: 55</div>", "13/01/2023 17:36", "55"),
    ],
)
def test_meta_line_forms(markup, raw, count):
    metas = find_meta_lines(load_page(WRAP.format(markup)))
    assert len(metas) == 1
    assert metas[0].published_raw == raw
    assert metas[0].read_count_raw == count


def test_nested_candidates_keep_the_outer_line():
    page = load_page(WRAP.format("<div class='m'><span>Thời gian đăng: 13/01/2023</span> <b>Lượt đọc: 9</b></div>"))
    (meta,) = find_meta_lines(page)
    assert meta.element.get("class") == "m"
    assert meta.read_count_raw == "9"


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Thời gian tới, tỉnh sẽ tổ chức hội nghị ngày 13/01/2023 tại hội trường lớn của tỉnh.</p>",
        "<div>Thứ Bảy, ngày 14/01/2023</div>",
        "<p>Lượt đọc nhiều nhất trong tuần</p>",
    ],
)
def test_prose_and_header_dates_are_not_meta_lines(markup):
    assert find_meta_lines(load_page(WRAP.format(markup))) == []
