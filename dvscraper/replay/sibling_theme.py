"""SiblingTheme: the generated replay site as a *sibling portal* on the same CMS, in other markup.

What a profile with no selectors must survive (``python -m dvscraper.replay --generate 60
--theme sibling``; ``serve_replay(..., theme="sibling")``). The same page anatomy as the
Điện Biên portal (SPEC §1) in a different template:

- another portal name, ``<header>``/``<nav>``/``<main>``/``<aside>`` instead of ``div#header``
  and friends, Vietnamese class names (``tieude``, ``thongtin``, ``noidung``), nothing of
  ``.title-detail``/``.date-detail``/``.sapo``/``.content-detail``/``.breadcrumb``;
- the sidebar *before* the content in source order, with its own widgets ("Tin đọc nhiều" with
  dated teasers, "Thăm dò ý kiến"), a footer "Bản quyền thuộc ...";
- article: title in ``h2``, then the breadcrumb (``Trang chủ » Chuyên mục``), then the meta line
  in two elements with other labels and a 24-hour clock (``Ngày đăng: 28/06/2024 17:36`` /
  ``Lượt xem: 1.053``), the lead as the first bold paragraph of the body, paragraphs as ``div``,
  sub-headings as ``h3``, the photo in a one-column table with its caption in the next row, a
  right-aligned byline in several forms (``Bài, ảnh: X``, ``Tin: X``, ``X - Y``), then a
  "Tin cùng chuyên mục" list inside the article;
- listings: ``ul > li`` teasers (thumbnail, ``h4`` title, date, excerpt), pagination
  ``Đầu 1 2 3 Trang tiếp Cuối``; routes ``/TinBai/<slug>-<i>`` and ``/T/<SLUG>?PageIndex=N``.
"""

from __future__ import annotations

from html import escape

SITE_NAME = "TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH LAI CHÂU"
CATEGORIES = (
    ("TIN-TUC", "Tin tức"),
    ("CHINH-TRI", "Chính trị"),
    ("KINH-TE-XA-HOI", "Kinh tế - Xã hội"),
    ("QUOC-PHONG-AN-NINH", "Quốc phòng - An ninh"),
    ("VAN-HOA-THE-THAO", "Văn hóa - Thể thao"),
)
INTRO_PATH = "/GioiThieu/Khai-quat-Dang-bo-tinh"
CONTACT_PATH = "/LienHe/Thong-tin-lien-he"
ROBOTS = b"User-agent: *\nDisallow: /QuanTri/\n"


def shown_time_24h(when) -> str:
    """``28/06/2024 17:36``: this portal's clock (24-hour, no seconds)."""
    return when.strftime("%d/%m/%Y %H:%M")


class SiblingTheme:
    """A theme for ``GeneratedSite``: same interface as ``BuiltinTheme``."""

    categories = CATEGORIES
    article_prefix = "/TinBai/"
    listing_prefix = "/T/"

    def prepare(self, site) -> None:
        self._site = site

    def robots(self) -> bytes:
        return ROBOTS

    def extra_article_paths(self) -> list[str]:
        return [INTRO_PATH]

    def extra_page(self, uri: str) -> tuple[bytes, bytes] | None:
        path = uri.split("?", 1)[0]
        if path == INTRO_PATH:
            return self._intro().encode(), b"text/html; charset=utf-8"
        if path == CONTACT_PATH:
            main = ('<div class="khung-lienhe"><h1>Liên hệ</h1><p>Địa chỉ: Tỉnh ủy Lai Châu, phường Tân Phong, '
                    "thành phố Lai Châu.</p><p>Điện thoại: 0213 3876 555</p></div>")
            return self._page(main).encode(), b"text/html; charset=utf-8"
        return None

    # -- pages ------------------------------------------------------------------------------
    def render_home(self) -> str:
        site = self._site
        newest = [site.article(i) for i in range(site.first, min(site.n, site.first + 8))]
        items = "".join(self._teaser(a) for a in newest)
        main = (f'<section class="tin-moi"><h2 class="tieude-khoi">Tin mới đăng</h2><ul class="ds-baiviet">{items}</ul>'
                f'<p class="xemtiep"><a href="{self.listing_prefix}{self.categories[0][0]}">Xem tất cả</a></p></section>')
        return self._page(main)

    def render_listing(self, c: int, page: int) -> str:
        site = self._site
        pages = site.category_pages(c)
        items = "".join(self._teaser(a) for a in site.listing_items(c, page))
        links = [f'<a href="{escape(site.listing_path(c, 1))}">Đầu</a>']
        for p in range(max(1, page - 2), min(pages, page + 2) + 1):
            links.append(f"<strong>{p}</strong>" if p == page else f'<a href="{escape(site.listing_path(c, p))}">{p}</a>')
        if page < pages:
            links.append(f'<a href="{escape(site.listing_path(c, page + 1))}">Trang tiếp</a>')
        links.append(f'<a href="{escape(site.listing_path(c, pages))}">Cuối</a>')
        name = self.categories[c][1]
        main = (f'<section class="danhmuc"><h1 class="ten-danhmuc">{escape(name)}</h1>'
                f'<ul class="ds-baiviet">{items}</ul><div class="phantrang">{" ".join(links)}</div></section>')
        return self._page(main)

    def render_article(self, a, *, shown_time: str, reads: str, paragraphs: list, image: str | None,
                       caption: str | None, byline: str) -> str:
        slug, name = self.categories[a.category]
        body = [f"<div><strong>{escape(a.summary)}</strong></div>"]
        for n, paragraph in enumerate(paragraphs):
            if isinstance(paragraph, tuple):
                body.append(f"<h3>{escape(paragraph[1])}</h3>")
            else:
                body.append(f'<div class="doan">{escape(paragraph)}</div>')
            if n == 0 and image:
                body.append(f'<table class="anh-bai" align="center"><tr><td><img src="{escape(image)}" alt=""></td></tr>'
                            f'<tr><td class="chuthich">{escape(caption or "")}</td></tr></table>')
        body.append(f'<div style="text-align: right;"><b>{escape(self._byline(a, byline))}</b></div>')
        related = "".join(
            f'<li><a href="{escape(r.path)}">{escape(r.title)}</a> <i>({r.published_at:%d/%m/%Y})</i></li>'
            for r in self._related(a))
        main = (
            '<article class="chitiet">\n'
            f'<h2 class="tieude">{escape(a.title)}</h2>\n'
            f'<div class="lienket-trang"><a href="/">Trang chủ</a> » '
            f'<a href="{self.listing_prefix}{slug}">{escape(name)}</a></div>\n'
            f'<ul class="thongtin"><li>Ngày đăng: {shown_time_24h(a.published_at)}</li><li>Lượt xem: {reads}</li></ul>\n'
            f'<div class="noidung">\n{chr(10).join(body)}\n</div>\n'
            f'<div class="tinkhac"><h4>Tin cùng chuyên mục</h4><ul>{related}</ul></div>\n'
            "</article>"
        )
        return self._page(main)

    # -- pieces -----------------------------------------------------------------------------
    def _page(self, main: str) -> str:
        site = self._site
        nav = "".join(f'<li><a href="{self.listing_prefix}{slug}">{escape(name)}</a></li>' for slug, name in self.categories)
        popular = "".join(
            f'<li><a href="{escape(a.path)}">{escape(a.title)}</a><span class="ngay">({a.published_at:%d/%m/%Y})</span></li>'
            for a in (site.article(i) for i in range(site.first, min(site.n, site.first + 5))))
        return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Đảng bộ tỉnh Lai Châu</title></head>
<body>
<header class="top-bar"><div class="logo-text">{SITE_NAME}</div><span class="dongho">Thứ Sáu, 28/06/2024</span></header>
<nav class="navbar"><ul><li><a href="/">Trang chủ</a></li>{nav}<li><a href="{INTRO_PATH}">Giới thiệu</a></li><li><a href="{CONTACT_PATH}">Liên hệ</a></li></ul></nav>
<section class="bocuc">
<aside class="cot-trai">
<section class="hop"><h3 class="hop-tieude">Tin đọc nhiều</h3><ul>{popular}</ul></section>
<section class="hop"><h3 class="hop-tieude">Thăm dò ý kiến</h3><p>Bạn quan tâm chuyên mục nào nhất?</p></section>
</aside>
<main class="cot-chinh">
{main}
</main>
</section>
<footer class="chan-trang"><p>Bản quyền thuộc Đảng bộ tỉnh Lai Châu</p><p>Ghi rõ nguồn khi phát hành lại thông tin từ trang này.</p></footer>
</body>
</html>
"""

    def _teaser(self, a) -> str:
        return (f'<li class="baiviet"><a class="anh" href="{escape(a.path)}"><img src="/Uploads/anh-dai-dien/{a.index % 97}.jpg" alt=""></a>'
                f'<div class="ttin"><h4><a href="{escape(a.path)}">{escape(a.title)}</a></h4>'
                f'<span class="ngay">{shown_time_24h(a.published_at)}</span>'
                f'<div class="trichdan">{escape(a.summary)}</div></div></li>')

    def _related(self, a) -> list:
        site = self._site
        k = len(self.categories)
        return [site.article(j) for j in (a.index + k, a.index + 2 * k) if j < site.n]

    @staticmethod
    def _byline(a, byline: str) -> str:
        """The generated byline in one of this portal's forms."""
        name = byline.split(":", 1)[-1].strip()
        form = a.index % 3
        if form == 0:
            return f"Bài, ảnh: {name}"
        if form == 1:
            return f"Tin: {name}"
        return f"{name} - Hồng Nhung"

    def _intro(self) -> str:
        main = (
            '<article class="chitiet"><h2 class="tieude">Khái quát về Đảng bộ tỉnh Lai Châu</h2>\n'
            '<div class="lienket-trang"><a href="/">Trang chủ</a> » <span>Giới thiệu</span></div>\n'
            '<ul class="thongtin"><li>Ngày đăng: 26/11/2018 13:49</li></ul>\n'
            '<div class="noidung"><div class="doan">Đảng bộ tỉnh Lai Châu được thành lập theo Nghị quyết của Quốc hội '
            "khóa XI về việc chia và điều chỉnh địa giới hành chính một số tỉnh.</div><div class=\"doan\">Trải qua các "
            "kỳ đại hội, Đảng bộ tỉnh đã lãnh đạo Nhân dân các dân tộc trong tỉnh vượt qua khó khăn, phát triển "
            "kinh tế - xã hội.</div></div></article>"
        )
        return self._page(main)
