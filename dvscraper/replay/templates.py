"""BuiltinTheme: page markup of the generated replay site when the fixtures cannot give it.

The default theme is ``FixtureTheme`` (pages cut from the saved fixtures); this one
is the fallback, written in the portal's anatomy (SPEC §1).

Site header with the portal name in capitals, a menu, a breadcrumb, the article
title, the meta line ``Thời gian đăng: ... - Lượt đọc: ...``, a lead, body
paragraphs with a sub-heading, a photo followed by its centred italic caption, a
right-aligned byline, and the sidebar widgets that are not content (administrative
map, web links, visit counter). Plain string formatting: rendering a page costs
microseconds, so the server is never the bottleneck of a crawl benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SITE_NAME = "TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN"
# (slug, name as shown): the portal's sections.
CATEGORIES = (
    ("TIN-TUC-SU-KIEN", "Tin tức - Sự kiện"),
    ("XAY-DUNG-DANG", "Xây dựng Đảng"),
    ("DAN-VAN", "Công tác dân vận"),
    ("KINH-TE", "Kinh tế"),
    ("VAN-HOA-XA-HOI", "Văn hóa - Xã hội"),
    ("QUOC-PHONG-AN-NINH", "Quốc phòng - An ninh"),
)
INTRO_PATH = "/GioiThieu/Dang-bo-tinh-Dien-Bien"
CONTACT_PATH = "/LienHe"
DEAD_PATH = "/VanBan"  # linked from the home page, answers 404
ROBOTS = b"User-agent: *\nDisallow: /Admin/\n"


@dataclass(frozen=True, slots=True)
class Teaser:
    path: str
    title: str
    shown_time: str
    summary: str
    thumbnail: str | None


def _page(menu: list[tuple[str, str]], main: str, *, title: str = SITE_NAME) -> str:
    links = "".join(f'<li><a href="{escape(href)}">{escape(name)}</a></li>' for href, name in menu)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<div id="header"><div class="banner">{SITE_NAME}</div><div class="today">Thứ Bảy, ngày 29/06/2024</div></div>
<ul id="menu"><li><a href="/">Trang chủ</a></li>{links}</ul>
<div id="wrapper">
<div id="main">
{main}
</div>
<div id="sidebar">
<div class="box"><div class="box-title">BẢN ĐỒ HÀNH CHÍNH</div><img src="/Uploads/ban-do.jpg" alt="Bản đồ"></div>
<div class="box"><div class="box-title">Liên kết web</div>
<ul><li><a href="https://dangcongsan.vn/">Báo Điện tử Đảng Cộng sản Việt Nam</a></li>
<li><a href="https://baodienbienphu.com.vn/">Báo Điện Biên Phủ</a></li></ul></div>
<div class="box"><div class="box-title">Thống kê truy cập</div><p>Tổng truy cập: 1.234.567</p></div>
</div>
</div>
<div id="footer"><p>Cơ quan chủ quản: Tỉnh ủy Điện Biên</p></div>
</body>
</html>
"""


def _breadcrumb(*crumbs: tuple[str | None, str]) -> str:
    parts = ['<a href="/">Trang chủ</a>']
    for href, name in crumbs:
        parts.append(f'<a href="{escape(href)}">{escape(name)}</a>' if href else f"<span>{escape(name)}</span>")
    return f'<div class="breadcrumb">{" &gt; ".join(parts)}</div>'


def _teaser(t: Teaser) -> str:
    thumb = (f'<a href="{escape(t.path)}"><img src="{escape(t.thumbnail)}" alt=""></a>' if t.thumbnail else "")
    return (
        f'<div class="news-item">{thumb}'
        f'<h3 class="news-title"><a href="{escape(t.path)}">{escape(t.title)}</a></h3>'
        f'<div class="news-date">{escape(t.shown_time)}</div>'
        f'<p class="news-sapo">{escape(t.summary)}</p></div>\n'
    )


def home_page(menu, teasers: list[Teaser], *, dead_link: str) -> str:
    items = "".join(_teaser(t) for t in teasers)
    main = (
        f'<div class="block"><h2 class="block-title">Tin mới</h2><div class="news-list">{items}</div>'
        f'<a class="more" href="{escape(menu[0][0])}">Xem thêm</a></div>'
        f'<div class="block"><a href="{escape(dead_link)}">Trang cũ</a></div>'
    )
    return _page(menu, main)


def listing_page(menu, category: str, teasers: list[Teaser], pager: list[tuple[str, str]], page: int,
                 next_path: str | None) -> str:
    items = "".join(_teaser(t) for t in teasers)
    links = []
    for href, label in pager:
        links.append(f"<span class=\"current\">{label}</span>" if label == str(page)
                     else f'<a href="{escape(href)}">{label}</a>')
    if next_path:
        links.append(f'<a class="next" href="{escape(next_path)}">Trang sau</a>')
    main = (
        f"{_breadcrumb((None, category))}\n"
        f'<h2 class="cat-title">{escape(category)}</h2>\n'
        f'<div class="news-list">\n{items}</div>\n<div class="pager">{" ".join(links)}</div>'
    )
    return _page(menu, main)


def article_page(menu, *, category: tuple[str, str], title: str, meta: str, summary: str,
                 paragraphs: list, image: str | None, caption: str | None, byline: str) -> str:
    body = []
    for n, paragraph in enumerate(paragraphs):
        if isinstance(paragraph, tuple):
            body.append(f"<p><strong>{escape(paragraph[1])}</strong></p>")
        else:
            body.append(f'<p style="text-align: justify;">{escape(paragraph)}</p>')
        if n == 0 and image:
            body.append(f'<p style="text-align: center;"><img src="{escape(image)}" alt="" width="600"></p>')
            body.append(f'<p style="text-align: center;"><em>{escape(caption or "")}</em></p>')
    body.append(f'<p style="text-align: right;"><strong>{escape(byline)}</strong></p>')
    main = (
        f"{_breadcrumb(category)}\n"
        f'<div class="news-detail">\n<h1 class="title-detail">{escape(title)}</h1>\n'
        f'<div class="date-detail">{escape(meta)}</div>\n'
        f'<div class="sapo"><strong>{escape(summary)}</strong></div>\n'
        f'<div class="content-detail">\n{chr(10).join(body)}\n</div>\n</div>'
    )
    return _page(menu, main)


def intro_page(menu) -> str:
    main = (
        f'{_breadcrumb((None, "Giới thiệu chung"))}\n'
        '<div class="news-detail"><h1 class="title-detail">Khái quát về Đảng bộ tỉnh Điện Biên</h1>\n'
        '<div class="date-detail">Thời gian đăng: 26/11/2018 01:49:17 PM</div>\n'
        '<div class="content-detail"><p>Đảng bộ tỉnh Điện Biên được thành lập trên cơ sở chia tách '
        "Đảng bộ tỉnh Lai Châu theo Nghị quyết của Quốc hội khóa XI về việc chia và điều chỉnh địa giới "
        "hành chính một số tỉnh.</p><p>Trải qua các kỳ đại hội, Đảng bộ tỉnh đã lãnh đạo Nhân dân các dân tộc "
        "trong tỉnh phát huy truyền thống quê hương Điện Biên anh hùng.</p></div></div>"
    )
    return _page(menu, main)


def contact_page(menu) -> str:
    main = (
        f'{_breadcrumb((None, "Liên hệ"))}\n'
        '<div class="contact"><h2>Liên hệ</h2><p>Địa chỉ: Tỉnh ủy Điện Biên, phường Mường Thanh, '
        "thành phố Điện Biên Phủ.</p><p>Điện thoại: 0215 3825 888</p></div>"
    )
    return _page(menu, main)


class BuiltinTheme:
    """The generated site in the markup above: menu, listings, articles, intro and contact pages."""

    categories = CATEGORIES
    article_prefix = "/TinTuc/"
    listing_prefix = "/T/"

    def prepare(self, site) -> None:
        self._site = site

    def robots(self) -> bytes:
        return ROBOTS

    def menu(self) -> list[tuple[str, str]]:
        return [(f"{self.listing_prefix}{slug}", name) for slug, name in self.categories] + [
            (INTRO_PATH, "Giới thiệu"), (CONTACT_PATH, "Liên hệ")]

    def extra_article_paths(self) -> list[str]:
        return [INTRO_PATH]

    def extra_page(self, uri: str) -> tuple[bytes, bytes] | None:
        path = uri.split("?", 1)[0]
        if path == INTRO_PATH:
            return intro_page(self.menu()).encode(), b"text/html; charset=utf-8"
        if path == CONTACT_PATH:
            return contact_page(self.menu()).encode(), b"text/html; charset=utf-8"
        return None

    def render_home(self) -> str:
        site = self._site
        newest = [site.article(i) for i in range(site.first, min(site.n, site.first + 10))]
        return home_page(self.menu(), [self._teaser(a) for a in newest], dead_link=DEAD_PATH)

    def render_listing(self, c: int, page: int) -> str:
        site = self._site
        items = [self._teaser(a) for a in site.listing_items(c, page)]
        pages = site.category_pages(c)
        pager = [(site.listing_path(c, p), str(p)) for p in range(max(1, page - 2), min(pages, page + 2) + 1)]
        next_path = site.listing_path(c, page + 1) if page < pages else None
        return listing_page(self.menu(), self.categories[c][1], items, pager, page, next_path)

    def render_article(self, a, *, shown_time: str, reads: str, paragraphs: list, image: str | None,
                       caption: str | None, byline: str) -> str:
        slug, name = self.categories[a.category]
        return article_page(self.menu(), category=(f"{self.listing_prefix}{slug}", name), title=a.title,
                            meta=f"Thời gian đăng: {shown_time} - Lượt đọc: {reads}", summary=a.summary,
                            paragraphs=paragraphs, image=image, caption=caption, byline=byline)

    @staticmethod
    def _teaser(a) -> Teaser:
        return Teaser(path=a.path, title=a.title, shown_time=a.published_at.strftime("%d/%m/%Y %I:%M:%S %p"),
                      summary=a.summary, thumbnail=f"/Uploads/thumbs/{a.index % 97}.jpg")
