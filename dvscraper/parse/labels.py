"""Vietnamese labels a reader sees, as data. Identifiers stay English.

Matching is done on ``label_key()`` of the text (NFC, whitespace collapsed,
case-folded): the values here are written as shown and keyed once at import.
"""

from __future__ import annotations

from dvscraper.normalize.article import HOME_CRUMB_LABELS
from dvscraper.normalize.text import collapse


def label_key(text: str) -> str:
    """Comparison key for labels: collapsed, case-folded (the tree's text is NFC already)."""
    return collapse(text).casefold()

# "Posted at" / "Date posted" / "Updated": the label before the publish time.
PUBLISHED_LABELS = ("Thời gian đăng", "Ngày đăng", "Cập nhật", "Đăng lúc", "Ngày xuất bản", "Ngày cập nhật")
# "Reads" / "Views": the label before the read count.
READ_COUNT_LABELS = ("Lượt đọc", "Lượt xem", "Số lượt xem")
# Sidebar / footer widgets that are never article content.
SIDEBAR_WIDGETS = (
    "BẢN ĐỒ HÀNH CHÍNH",  # administrative map
    "Liên kết web",  # web links
    "Thống kê truy cập",  # visit statistics
    "Tổng truy cập",  # total visits
    "Đang truy cập",  # online now
    "Lượt truy cập",  # visits
    "Thăm dò ý kiến",  # poll
    "Video clip",
    "Thư viện ảnh",  # photo gallery
    "Văn bản mới",  # new documents
    "Tin đọc nhiều",  # most read
    "Tin mới nhất",  # latest news
    "Tin mới",  # new
    "Tin nổi bật",  # featured
    "Chuyên mục",  # sections
    "Bản quyền thuộc",  # copyright belongs to
    "Cơ quan chủ quản",  # governing body
)
# The widget names looked for when marking the page's sidebar (a few distinctive ones keep the
# page scan cheap; the content walk still stops at any name of SIDEBAR_WIDGETS).
SIDEBAR_MARKERS = (
    "BẢN ĐỒ HÀNH CHÍNH", "Liên kết web", "Thống kê truy cập", "Tổng truy cập", "Tin mới nhất",
    "Tin đọc nhiều", "Thăm dò ý kiến", "Văn bản mới",
)
# Headings of in-article lists of other articles: content stops there.
RELATED_HEADINGS = (
    "Tin liên quan",  # related news
    "Các tin khác",  # other news
    "Tin khác",  # other news
    "Tin cùng chuyên mục",  # same section
    "Bài viết liên quan",  # related articles
    "Các bài viết khác",  # other articles
    "Xem thêm các tin",  # see more news
    "Ý kiến bạn đọc",  # readers' comments
    "Gửi ý kiến",  # send a comment
    "Bình luận",  # comments
)
# Breadcrumb home item.
HOME_CRUMBS = HOME_CRUMB_LABELS  # defined once, beside the category rule that skips them
# Site names that are never an article title (the <title> of some pages holds only this).
SITE_NAMES = (
    "TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN",
    "Trang thông tin điện tử Đảng bộ tỉnh Điện Biên",
    "Đảng bộ tỉnh Điện Biên",
)
# Link texts of pagination: next page.
NEXT_PAGE_TEXTS = ("Trang sau", "Trang tiếp", "Tiếp", "Sau", "Next", "»", "›", ">", ">>", "Tiếp theo")
# Link texts that are not teaser titles ("see more", "details", "read more").
MORE_LINK_TEXTS = ("Xem thêm", "Chi tiết", "Xem tiếp", "Đọc tiếp", "Xem tất cả", "Tiếp")

FOLDED_SIDEBAR = tuple(label_key(x) for x in SIDEBAR_WIDGETS)
FOLDED_RELATED = tuple(label_key(x) for x in RELATED_HEADINGS)
FOLDED_HOME = frozenset(label_key(x) for x in HOME_CRUMBS)
FOLDED_SITE_NAMES = frozenset(label_key(x) for x in SITE_NAMES)
FOLDED_NEXT = frozenset(label_key(x) for x in NEXT_PAGE_TEXTS)
FOLDED_MORE = frozenset(label_key(x) for x in MORE_LINK_TEXTS)
# Toolbar / furniture lines inside the article area: print, e-mail, share, back, top, tags.
TOOLBAR_TEXTS = (
    "In bài", "Bản in", "Gửi email", "Gửi cho bạn bè", "Chia sẻ", "Quay lại", "Trở về", "Về đầu trang",
    "Đầu trang", "Từ khóa", "Tags", "Lượt đọc", "Lượt xem", "Bình chọn", "Facebook", "Zalo",
    "Xem thêm", "Xem tiếp", "Đọc thêm",
)
