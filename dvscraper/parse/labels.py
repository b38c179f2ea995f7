"""Vietnamese labels a reader sees, as data. Identifiers stay English.

Matching is done on ``fold()``-ed text (no accents, case-folded), so the values
here are written as shown and folded once at import.
"""

from __future__ import annotations

from dvscraper.normalize.text import fold

# "Posted at" / "Date posted" / "Updated": the label before the publish time.
PUBLISHED_LABELS = ("Thời gian đăng", "Ngày đăng", "Cập nhật", "Đăng lúc", "Ngày xuất bản", "Thời gian")
# "Reads" / "Views": the label before the read count.
READ_COUNT_LABELS = ("Lượt đọc", "Lượt xem", "Số lượt xem", "Lượt truy cập bài")
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
HOME_CRUMBS = ("Trang chủ", "Home", "Trang nhất")
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

FOLDED_PUBLISHED = tuple(fold(x) for x in PUBLISHED_LABELS)
FOLDED_READ_COUNT = tuple(fold(x) for x in READ_COUNT_LABELS)
FOLDED_SIDEBAR = tuple(fold(x) for x in SIDEBAR_WIDGETS)
FOLDED_RELATED = tuple(fold(x) for x in RELATED_HEADINGS)
FOLDED_HOME = frozenset(fold(x) for x in HOME_CRUMBS)
FOLDED_SITE_NAMES = frozenset(fold(x) for x in SITE_NAMES)
FOLDED_NEXT = frozenset(fold(x) for x in NEXT_PAGE_TEXTS)
FOLDED_MORE = frozenset(fold(x) for x in MORE_LINK_TEXTS)
