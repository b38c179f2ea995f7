"""Combinatorial oracle: pages built from independent choices of SPEC §1's markup forms.

Each SPEC §1 form is one axis (title tag, meta form, clock, labels, read count, lead form
and its opening date, sub-heading form, paragraph form, images with caption and URL forms,
byline form and text, related list, side list position, header date, breadcrumb, <title>,
text hygiene, page skeleton, profile class names). ``build_case(axes, rng)`` writes the page
and, from the contract (SPEC §2, DESIGN.md), the record it must give. ``compare`` returns one
entry per wrong field, so a failure names the field and the axis values that built the page.

The sampler is seeded (derandomized); ``tests/test_parse_combinations.py`` is also the
library the out-of-suite exploration imports (``sample_axes`` / ``build_case`` / ``compare``).
The MINIMAL cases at the end are the smallest pages of each failure class found by that
exploration: they fail until the parser handles them.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import random
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pytest

from dvscraper import NotAnArticle, parse_article
from dvscraper.normalize.dates import VN_TZ
from dvscraper.parse.profile import DEFAULT_PROFILE, EMPTY_PROFILE
from tests.conftest import FIXED_CRAWLED_AT

URL = "https://dienbien.dcs.vn/Tin-tuc/bai-viet-mau"
SITE_NAME = "TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN"
SIDEBAR = ("BẢN ĐỒ HÀNH CHÍNH", "Liên kết web", "Thống kê truy cập", "Tổng truy cập")
WORDS = ["công", "tác", "dân", "vận", "Nhân", "dân", "Tỉnh", "ủy", "hội", "nghị", "nông", "thôn", "mới", "Điện", "Biên", "cán", "bộ", "đảng", "viên", "chính", "quyền", "cơ", "sở", "phong", "trào", "thi", "đua", "kinh", "tế", "xã", "hội", "quốc", "phòng", "an", "ninh", "huyện", "xã", "bản", "làng", "đồng", "bào", "dân", "tộc", "phát", "triển", "sản", "xuất", "giảm", "nghèo", "bền", "vững", "văn", "hóa", "giáo", "dục", "y", "tế", "đầu", "tư", "hạ", "tầng", "giao", "thông"]

# -- the axes ------------------------------------------------------------------------------------
AXES: dict[str, tuple] = {
    "skeleton": ("div", "table", "html5"),
    "profile_classes": (True, False),  # DEFAULT_PROFILE's class names on the page, or others
    "title_tag": ("h1", "h2", "h3", "div", "li", "span", "td-bold"),
    "title_class": (True, False),
    "meta_form": ("one", "split", "two", "below"),
    "clock": ("12h", "12h-sa-ch", "12h-unpadded", "12am", "12pm", "24h", "24h-noseconds"),
    "time_label": ("Thời gian đăng", "Ngày đăng", "Cập nhật"),
    "count_label": ("Lượt đọc", "Lượt xem"),
    "count": ("none", "zero", "small", "thousands"),
    "lead_form": ("class", "own-tag", "bold-p", "italic-p", "h2", "none"),
    "lead_place": ("outside", "inside"),  # own-element leads: before the body container or its first child
    "lead_words": ("normal", "short"),  # 25-50 / 15-24 words, a full sentence either way
    "lead_opening": ("chieu-nay", "sang", "ngay", "toi-qua", "dbp-sang", "none"),
    "heading_form": ("bold-p", "h2", "h3", "h4", "strong-em", "none"),
    "para_form": ("p", "div", "br"),
    "para_wrap": ("none", "span-style", "font", "justify"),
    "para_len": ("long", "mixed"),  # mixed: some body paragraphs of 8-20 words
    "caption_len": ("short", "long"),
    "n_images": (0, 1, 2, 3, 4),
    "byline_form": ("right-p", "right-bold-p", "bold-p", "italic-p", "div-right"),
    "byline_text": ("tin-anh", "bai-anh", "tin", "anh", "two-names", "theo", "nguon", "bare-name",
                    "two-lines", "none"),
    "related": ("none", "end-tlq", "end-ctk", "end-inside-tlq", "middle-tlq", "middle-ctk", "before-byline-ctk"),
    "related_markup": ("box", "heading-ul"),
    "side_list": ("before", "after", "after-same-column"),
    "header_date": (True, False),
    "breadcrumb": ("none", "gt", "ul", "raquo-3", "with-title"),
    "html_title": ("site-only", "title-site"),
    "hygiene": ("plain", "entities", "nfd", "zw"),
}
CAPTION_FORMS = ("figcaption", "figure-p-caption", "next-centred-p", "next-em", "next-i", "next-italic-div",
                 "table-row", "alt-only", "title-only", "none")
URL_FORMS = ("root-relative", "doc-relative", "absolute", "lazy-data-src")
IMAGE_PLACES = ("after-para", "after-para", "first", "last")  # body start / after a paragraph / before the byline

BYLINES = {  # text shown, authors, source
    "tin-anh": ("Tin, ảnh: Minh Thùy", ["Minh Thùy"], None),
    "bai-anh": ("Bài, ảnh: Lan Anh", ["Lan Anh"], None),
    "tin": ("Tin: Hoàng Tư", ["Hoàng Tư"], None),
    "anh": ("Ảnh: Quang Hưng", ["Quang Hưng"], None),
    "two-names": ("Thu Hà - Quang Hưng", ["Thu Hà", "Quang Hưng"], None),
    "theo": ("Theo baodienbienphu.com.vn", [], "baodienbienphu.com.vn"),
    "nguon": ("Nguồn: TTXVN", [], "TTXVN"),
    "bare-name": ("Lò Văn Bình", ["Lò Văn Bình"], None),
    "two-lines": ("Minh Thùy (Theo baodienbienphu.com.vn)", ["Minh Thùy"], "baodienbienphu.com.vn"),
}


@dataclass
class Case:
    axes: dict
    html: str = ""
    title: str = ""
    breadcrumb: list = field(default_factory=list)
    category: str | None = None
    published_at: dt.datetime | None = None
    published_at_raw: str = ""
    read_count: int | None = None
    summary: str | None = None
    event_date: dt.date | None = None
    paragraphs: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    images: list = field(default_factory=list)  # dicts {src, caption, alt, form, url_form}
    byline: str | None = None
    authors: list = field(default_factory=list)
    source: str | None = None


def sample_axes(rng: random.Random) -> dict:
    axes = {name: rng.choice(values) for name, values in AXES.items()}
    axes["caption_forms"] = tuple(rng.choice(CAPTION_FORMS) for _ in range(axes["n_images"]))
    axes["url_forms"] = tuple(rng.choice(URL_FORMS) for _ in range(axes["n_images"]))
    axes["image_places"] = tuple(rng.choice(IMAGE_PLACES) for _ in range(axes["n_images"]))
    return axes


# -- text ----------------------------------------------------------------------------------------
def _words(rng: random.Random, low: int, high: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(rng.randint(low, high))]


def _sentence(rng: random.Random, low: int, high: int, tag: str, end: str = "") -> str:
    text = " ".join([*_words(rng, low, high), tag])
    return text[0].upper() + text[1:] + end


class _Hygiene:
    """Writes text into HTML as the axis says; the expected value stays the clean text."""

    def __init__(self, mode: str, rng: random.Random) -> None:
        self.mode, self.rng = mode, rng

    def __call__(self, text: str) -> str:
        if self.mode == "nfd":
            return html_lib.escape(unicodedata.normalize("NFD", text), quote=False)
        if self.mode == "zw":
            out = []
            for ch in text:
                out.append(ch)
                if ch.isalpha() and self.rng.random() < 0.15:
                    out.append(self.rng.choice("\u200b\u200c\ufeff"))
            return html_lib.escape("".join(out), quote=False)
        escaped = html_lib.escape(text, quote=False)
        if self.mode == "entities":
            out = []
            for ch in escaped:
                if ord(ch) > 127 and self.rng.random() < 0.4:
                    out.append(self.rng.choice((f"&#{ord(ch)};", f"&#x{ord(ch):X};")))
                elif ch == " " and self.rng.random() < 0.2:
                    out.append("&nbsp;")
                else:
                    out.append(ch)
            return "".join(out)
        return escaped


def _attr(text: str) -> str:
    return html_lib.escape(text, quote=True)


# -- the page ------------------------------------------------------------------------------------
def _shown_time(when: dt.datetime, clock: str) -> tuple[str, dt.datetime]:
    hour12 = when.hour % 12 or 12
    am = when.hour < 12
    if clock == "12h":
        return f"{when:%d/%m/%Y} {hour12:02d}:{when:%M:%S} {'AM' if am else 'PM'}", when
    if clock == "12h-sa-ch":
        return f"{when:%d/%m/%Y} {hour12:02d}:{when:%M:%S} {'SA' if am else 'CH'}", when
    if clock == "12h-unpadded":
        return f"{when.day}/{when.month}/{when.year} {hour12}:{when:%M:%S} {'AM' if am else 'PM'}", when
    if clock == "12am":
        return f"{when:%d/%m/%Y} 12:{when:%M:%S} AM", when
    if clock == "12pm":
        return f"{when:%d/%m/%Y} 12:{when:%M:%S} PM", when
    if clock == "24h":
        return f"{when:%d/%m/%Y %H:%M:%S}", when
    return f"{when:%d/%m/%Y %H:%M}", when.replace(second=0)


def _lead_opening(kind: str, published: dt.date, rng: random.Random) -> tuple[str, dt.date | None]:
    if kind == "none":
        return "", None
    back = rng.choice((0, 0, 1, 2, 3))
    if kind == "chieu-nay":
        return f"Chiều nay ({published.day}/{published.month}), ", published
    if kind == "toi-qua":
        day = published - dt.timedelta(days=1)
        return f"Tối qua ({day.day}/{day.month}), ", day
    day = published - dt.timedelta(days=back)
    if kind == "sang":
        return f"Sáng {day.day}/{day.month}, ", day
    if kind == "ngay":
        return f"Ngày {day.day}/{day.month}, ", day
    return f"(ĐBP) - Sáng {day.day}/{day.month}, ", day


def build_case(axes: dict, rng: random.Random) -> Case:
    case = Case(axes=dict(axes))
    t = _Hygiene(axes["hygiene"], rng)
    pc = axes["profile_classes"]

    # title
    case.title = _sentence(rng, 6, 14, "tiêu đề")
    cls = (' class="title-detail"' if pc else rng.choice((' class="news-title"', ' class="tieu-de"',
                                                           ' class="post-heading"'))) if axes["title_class"] else ""
    tag = axes["title_tag"]
    if tag == "li":
        title_html = f"<ul><li{cls}>{t(case.title)}</li></ul>"
    elif tag == "td-bold":
        title_html = f"<table><tr><td{cls}><b>{t(case.title)}</b></td></tr></table>"
    else:
        title_html = f"<{tag}{cls}>{t(case.title)}</{tag}>"

    # meta line
    when = dt.datetime(2015, 1, 1) + dt.timedelta(seconds=rng.randrange(int(12 * 365.25 * 86400)))
    if axes["clock"] == "12am":
        when = when.replace(hour=0)
    if axes["clock"] == "12pm":
        when = when.replace(hour=12)
    shown, when = _shown_time(when, axes["clock"])
    case.published_at = when.replace(tzinfo=VN_TZ)
    case.published_at_raw = shown
    if axes["count"] == "none":
        case.read_count = None
    elif axes["count"] == "zero":
        case.read_count = 0
    elif axes["count"] == "small":
        case.read_count = rng.randint(1, 999)
    else:
        case.read_count = rng.randint(1000, 250_000)
    count = None if case.read_count is None else "0" if case.read_count == 0 else f"{case.read_count:,}".replace(",", ".")
    tl, cl = t(axes["time_label"]), t(axes["count_label"])
    mcls = "date-detail" if pc else rng.choice(("meta", "ngay-dang", "post-info"))
    sep = rng.choice((" - ", " | "))
    form = axes["meta_form"]
    if form == "one":
        meta_html = f'<div class="{mcls}">{tl}: {t(shown)}' + (f"{sep}{cl}: {count}" if count else "") + "</div>"
    elif form == "split":
        meta_html = (f'<div class="{mcls}"><span class="label">{tl}:</span> <span class="value">{t(shown)}</span>'
                     + (f'{sep}<span class="label">{cl}:</span> <span class="value">{count}</span>' if count else "")
                     + "</div>")
    elif form == "two":
        meta_html = (f'<div class="{mcls}"><span class="time">{tl}: {t(shown)}</span>'
                     + (f'{sep}<span class="views">{cl}: {count}</span>' if count else "") + "</div>")
    else:
        meta_html = f'<div class="{mcls}">{tl}: {t(shown)}</div>' + (f'<div class="views">{cl}: {count}</div>'
                                                                     if count else "")

    # lead
    opening, case.event_date = _lead_opening(axes["lead_opening"], case.published_at.date(), rng)
    lead_form = axes["lead_form"]
    para_form = axes["para_form"]
    lead_outside, lead_inside = "", ""
    own_inside = axes["lead_place"] == "inside"
    if lead_form == "none":
        case.event_date = None
    else:
        body = _sentence(rng, *((25, 50) if axes["lead_words"] == "normal" else (13, 22)), "mở đầu", ".")
        case.summary = opening + (body[0].lower() + body[1:] if opening else body)
        lt = t(case.summary)
        if lead_form == "class":
            lcls = "sapo" if pc else rng.choice(("detail-lead", "summary", "tomtat", "chapo"))
            lead_outside = f'<div class="{lcls}">{lt}</div>'
        elif lead_form == "own-tag":
            own = "div" if para_form == "p" else "p"
            lead_outside = f"<{own}>{lt}</{own}>"
        elif lead_form == "h2":
            lead_outside = f"<h2>{lt}</h2>"
        elif lead_form == "bold-p":
            lead_inside = f"<b>{lt}</b><br><br>" if para_form == "br" else f"<{para_form}><strong>{lt}</strong></{para_form}>"
        else:
            lead_inside = f"<i>{lt}</i><br><br>" if para_form == "br" else f"<{para_form}><em>{lt}</em></{para_form}>"
        if own_inside and lead_outside:
            lead_inside, lead_outside = lead_outside, ""

    # body
    wrap = axes["para_wrap"]

    def para(text: str) -> str:
        inner = t(text)
        if wrap == "span-style":
            inner = f'<span style="font-size: 14px;">{inner}</span>'
        elif wrap == "font":
            inner = f'<font face="Arial" size="2">{inner}</font>'
        if para_form == "br":
            return f"{inner}<br><br>"
        if wrap == "justify":
            return f'<{para_form} style="text-align: justify;">{inner}</{para_form}>'
        return f"<{para_form}>{inner}</{para_form}>"

    def body_sentence(tag: str) -> str:
        if axes["para_len"] == "mixed" and rng.random() < 0.4:
            return _sentence(rng, 8, 20, tag, ".")
        return _sentence(rng, 26, 50, tag, ".")

    def heading(text: str) -> str:
        form = axes["heading_form"]
        if form in ("h2", "h3", "h4"):
            return f"<{form}>{t(text)}</{form}>"
        if form == "strong-em":
            return f"<p><strong><em>{t(text)}</em></strong></p>"
        if para_form == "br":
            return f"<strong>{t(text)}</strong><br>"
        return f"<{para_form if para_form == 'div' else 'p'}><strong>{t(text)}</strong></{para_form if para_form == 'div' else 'p'}>"

    n_paras = rng.randint(2, 6)
    places = list(axes["image_places"])
    related_at = rng.randint(0, n_paras - 1) if axes["related"].startswith("middle") else None
    blocks: list[str] = []
    image_index = 0

    def add_image(follow: bool) -> None:
        nonlocal image_index
        blocks.append(_image(case, axes, image_index, rng, t))
        image_index += 1
        if follow:  # a long body paragraph after the image: it must not pass for a caption
            text = _sentence(rng, 30, 50, f"tiếp {image_index}", ".")
            case.paragraphs.append(text)
            blocks.append(para(text))

    while places and places[0] == "first":
        places.pop(0)
        add_image(follow=False)
    for index in range(n_paras):
        if index > 0 and axes["heading_form"] != "none" and rng.random() < 0.5:
            text = _sentence(rng, 3, 18, f"mục {index}")
            case.headings.append(text)
            case.paragraphs.append(text)
            blocks.append(heading(text))
        # the first paragraph stays long: it may follow the lead or an image with no caption
        text = body_sentence(f"đoạn {index}") if index else _sentence(rng, 26, 50, "đoạn 0", ".")
        case.paragraphs.append(text)
        blocks.append(para(text))
        while places and places[0] == "after-para" and (rng.random() < 0.5 or index == n_paras - 1):
            places.pop(0)
            add_image(follow=True)
        while places and places[0] == "first":  # a later image drawn "first": after this paragraph
            places.pop(0)
            add_image(follow=True)
        if related_at == index:
            blocks.append(_related(axes, rng, t))
            text = _sentence(rng, 30, 50, f"sau hộp {index}", ".")
            case.paragraphs.append(text)
            blocks.append(para(text))
    while places:  # "last": after the last paragraph, right before the byline
        places.pop(0)
        add_image(follow=False)
    if axes["related"].startswith("before-byline"):
        blocks.append(_related(axes, rng, t))

    # byline
    if axes["byline_text"] != "none":
        case.byline, case.authors, case.source = BYLINES[axes["byline_text"]]
        lines = ["Minh Thùy", "(Theo baodienbienphu.com.vn)"] if axes["byline_text"] == "two-lines" else [case.byline]
        for line in lines:
            blocks.append({
                "right-p": '<p style="text-align: right;">{}</p>',
                "right-bold-p": '<p style="text-align: right;"><strong>{}</strong></p>',
                "bold-p": "<p><strong>{}</strong></p>",
                "italic-p": "<p><em>{}</em></p>",
                "div-right": '<div align="right">{}</div>',
            }[axes["byline_form"]].format(t(line)))
    end_related = _related(axes, rng, t) if axes["related"].startswith("end-") else ""
    if axes["related"].startswith("end-inside"):
        blocks.append(end_related)
        end_related = ""

    ccls = "content-detail" if pc else rng.choice(("noi-dung", "post-body", "entry-content"))
    content = f'<div class="{ccls}">{lead_inside}{"".join(blocks)}</div>'

    # breadcrumb
    category = rng.choice(("Tin tức", "Xây dựng Đảng", "Dân vận", "Kinh tế - Xã hội"))
    bcls = "breadcrumb" if pc else rng.choice(("path", "duongdan", "vitri"))
    crumb = axes["breadcrumb"]
    if crumb == "none":
        crumb_html = ""
        case.breadcrumb, case.category = [], None
    elif crumb == "gt":
        crumb_html = f'<div class="{bcls}"><a href="/">Trang chủ</a> &gt; <a href="/T/X">{t(category)}</a></div>'
        case.breadcrumb, case.category = ["Trang chủ", category], category
    elif crumb == "ul":
        crumb_html = (f'<ul class="{bcls}"><li><a href="/">Trang chủ</a></li>'
                      f'<li><a href="/T/X">{t(category)}</a></li></ul>')
        case.breadcrumb, case.category = ["Trang chủ", category], category
    elif crumb == "raquo-3":
        crumb_html = (f'<div class="{bcls}"><a href="/">Trang chủ</a> » <a href="/T/TIN-TUC">Tin tức</a> » '
                      f'<a href="/T/X">{t(category)}</a></div>')
        case.breadcrumb, case.category = ["Trang chủ", "Tin tức", category], category
    else:
        crumb_html = (f'<div class="{bcls}"><a href="/">Trang chủ</a> &gt; <a href="/T/X">{t(category)}</a>'
                      f" &gt; <span>{t(case.title)}</span></div>")
        case.breadcrumb, case.category = ["Trang chủ", category, case.title], category

    # side list, widgets, page
    side_items = "".join(
        f'<li><a href="/Tin-tuc/khac-{k}">{html_lib.escape(_sentence(rng, 6, 12, "bài khác"))}</a>'
        f'<span class="date">{axes["time_label"]}: {k + 1:02d}/02/2019 0{k + 1}:00:00 AM - '
        f'{axes["count_label"]}: {rng.randint(1, 5000):,}</span></li>'.replace(",", ".")
        for k in range(3)
    )
    side_list = f'<div class="box"><div class="box-title">Tin mới nhất</div><ul>{side_items}</ul></div>'
    widgets = (
        '<div class="box"><div class="box-title">BẢN ĐỒ HÀNH CHÍNH</div><img src="/Uploads/bando.jpg" alt=""></div>'
        '<div class="box"><div class="box-title">Liên kết web</div><select><option>Chọn liên kết</option></select></div>'
        '<div class="box"><div class="box-title">Thống kê truy cập</div><div>Tổng truy cập: 1.234.567</div></div>'
    )
    sk = axes["skeleton"]
    if sk == "html5":
        article = (f"<article>{crumb_html}<header>{title_html}{meta_html}</header>{lead_outside}"
                   f"{content}{end_related}</article>")
        main, side = f"<main>{article}</main>", f"<aside>{side_list}{widgets}</aside>"
    elif sk == "table":
        article = f"{crumb_html}{title_html}{meta_html}{lead_outside}{content}{end_related}"
        main, side = f'<td class="main" valign="top">{article}</td>', f'<td class="col" valign="top">{side_list}{widgets}</td>'
    else:
        article = f'<div class="detail">{title_html}{meta_html}{lead_outside}{content}{end_related}</div>'
        main = f'<div class="main-col">{crumb_html}{article}</div>'
        side = f'<div class="side-col">{side_list}{widgets}</div>'
    if axes["side_list"] == "after-same-column":  # the side list right under the article, same column
        side = side.replace(side_list, "", 1)
        main = main.replace(article, article + side_list, 1)
    columns = side + main if axes["side_list"] == "before" else main + side
    if sk == "table":
        columns = f'<table width="100%"><tr>{columns}</tr></table>'
    head_title = SITE_NAME if axes["html_title"] == "site-only" else f"{html_lib.escape(case.title)} - {SITE_NAME}"
    header_date = '<div class="today">Thứ Bảy, ngày 14/01/2023</div>' if axes["header_date"] else ""
    case.html = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{head_title}</title></head><body>"
        f'<div class="top">{header_date}<div class="site-name">{SITE_NAME}</div></div>'
        '<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/T/TIN-TUC">Tin tức</a></li>'
        '<li><a href="/GioiThieu/Dang-bo-tinh-Dien-Bien">Giới thiệu</a></li></ul>'
        f"{columns}"
        '<div class="footer">Bản quyền thuộc Đảng bộ tỉnh Điện Biên</div>'
        "<script>var t = 'Thời gian đăng: 01/01/2001 01:01:01 AM';</script></body></html>"
    )
    return case


def _image(case: Case, axes: dict, index: int, rng: random.Random, t) -> str:
    form, url_form = axes["caption_forms"][index], axes["url_forms"][index]
    name = f"{index + 1}-anh-hoi-nghi-{rng.randint(100, 999)}.jpg"
    path = {"root-relative": f"/Uploads/images/{name}", "doc-relative": f"../images/{name}",
            "absolute": f"https://dienbien.dcs.vn/Uploads/images/{name}",
            "lazy-data-src": f"/Uploads/images/{name}"}[url_form]
    src_attr = (f'src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{path}"' if url_form == "lazy-data-src"
                else f'src="{path}"')
    long = axes["caption_len"] == "long" and form not in ("alt-only", "title-only", "none")
    caption = _sentence(rng, *((26, 45) if long else (3, 14)), f"ảnh {index + 1}", rng.choice(("", ".")))
    alt = rng.choice(("", name, None)) if form not in ("alt-only", "title-only", "none") else None
    if form == "alt-only":
        alt = caption
    elif form == "none":
        alt = name
    alt_attr = "" if alt is None else f' alt="{_attr(alt)}"'
    img = f"<img {src_attr}{alt_attr}>" if form != "title-only" else f'<img {src_attr} title="{_attr(caption)}">'
    c = t(caption)
    html = {
        "figcaption": f"<figure>{img}<figcaption>{c}</figcaption></figure>",
        "figure-p-caption": f'<figure class="image">{img}<p class="caption">{c}</p></figure>',
        "next-centred-p": f'<p style="text-align: center;">{img}</p><p style="text-align: center;">{c}</p>',
        "next-em": f'<p style="text-align: center;">{img}</p><p style="text-align: center;"><em>{c}</em></p>',
        "next-i": f"{img}<br><i>{c}</i><br><br>" if axes["para_form"] == "br" else f"<div>{img}</div><i>{c}</i>",
        "next-italic-div": f'<div class="img">{img}</div><div style="font-style: italic;">{c}</div>',
        "table-row": f'<table align="center"><tr><td>{img}</td></tr><tr><td>{c}</td></tr></table>',
        "alt-only": f'<p style="text-align: center;">{img}</p>',
        "title-only": f'<p style="text-align: center;">{img}</p>',
        "none": f'<p style="text-align: center;">{img}</p>',
    }[form]
    case.images.append({
        "src": urljoin(URL, path), "caption": None if form == "none" else caption,
        "alt": alt or None, "form": form, "url_form": url_form,
    })
    return html


def _related(axes: dict, rng: random.Random, t) -> str:
    head = "Tin liên quan" if axes["related"].endswith("tlq") else "Các tin khác"
    items = "".join(
        f'<li><a href="/Tin-tuc/lien-quan-{k}">{t(_sentence(rng, 6, 12, "liên quan"))}</a> (0{k + 1}/03/2020)</li>'
        for k in range(rng.randint(1, 3))
    )
    if axes["related_markup"] == "box":
        return f'<div class="related"><div class="title">{head}</div><ul>{items}</ul></div>'
    return f"<h3>{head}</h3><ul>{items}</ul>"


# -- the oracle ----------------------------------------------------------------------------------
def compare(case: Case, profile=None) -> dict:
    """``{field: (got, expected)}`` for each field the parser got wrong (empty when right)."""
    try:
        record = parse_article(case.html.encode("utf-8"), URL, crawled_at=FIXED_CRAWLED_AT, profile=profile)
    except NotAnArticle as exc:
        return {"not_an_article": (str(exc), "article")}
    got = record.to_dict()
    diffs: dict = {}

    def check(name, value, expected):
        if value != expected:
            diffs[name] = (value, expected)

    check("title", record.title, case.title)
    check("breadcrumb", record.breadcrumb, case.breadcrumb)
    check("category", record.category, case.category)
    check("published_at", record.published_at, case.published_at)
    check("published_at_raw", record.published_at_raw, case.published_at_raw)
    check("read_count", record.read_count, case.read_count)
    check("summary", record.summary, case.summary)
    check("event_date", record.event_date, case.event_date)
    body = "\n\n".join(case.paragraphs)
    if record.body_text != body:
        got_p, want_p = record.body_text.split("\n\n"), case.paragraphs
        diffs["body_text"] = ([p[:60] for p in got_p if p not in want_p], [p[:60] for p in want_p if p not in got_p])
    check("headings", record.headings, case.headings)
    images = got["images"]
    check("images.count", len(images), len(case.images))
    for k, (g, e) in enumerate(zip(images, case.images)):
        check(f"images[{k}].src", g["src"], e["src"])
        check(f"images[{k}].caption", g["caption"], e["caption"])
        check(f"images[{k}].alt", g["alt"], e["alt"])
    check("byline", record.byline, case.byline)
    check("authors", record.authors, case.authors)
    check("source", record.source, case.source)
    check("word_count", record.word_count, len(record.body_text.split()))
    leaks = [w for w in SIDEBAR if w in record.body_text]
    check("sidebar_leak", leaks, [])
    return diffs


def _describe(case: Case, diffs: dict) -> str:
    lines = [f"{name}: got {got!r} expected {want!r}" for name, (got, want) in diffs.items()]
    return "wrong fields:\n  " + "\n  ".join(lines) + f"\naxes: {case.axes}"


SEEDS = range(400)


@pytest.mark.parametrize("profile", [DEFAULT_PROFILE, EMPTY_PROFILE], ids=["default", "empty"])
@pytest.mark.parametrize("seed", SEEDS)
def test_combination(seed: int, profile) -> None:
    rng = random.Random(seed)
    case = build_case(sample_axes(rng), rng)
    diffs = compare(case, profile)
    assert not diffs, _describe(case, diffs)


# -- MINIMAL: the smallest page of each failure class the exploration found ----------------------
_W = ("cán bộ đảng viên và Nhân dân các dân tộc trên địa bàn huyện tích cực tham gia phong trào thi đua "
      "xây dựng nông thôn mới")
_P1 = f"Hội nghị đã đánh giá kết quả công tác dân vận năm qua, {_W}, góp phần phát triển kinh tế xã hội."
_P2 = f"Năm tới, Ban Dân vận tiếp tục tham mưu cho cấp ủy lãnh đạo công tác dân vận, {_W}, bảo đảm quốc phòng an ninh."
_LEAD = f"Ban Dân vận Tỉnh ủy vừa tổ chức hội nghị tổng kết công tác dân vận năm 2022, {_W}."
_H2_LEAD = ("Sáng 13/1, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2022 và triển khai "
            "nhiệm vụ năm 2023 với sự tham dự của lãnh đạo các huyện.")  # 35 words, a full sentence
_SHORT = "Hội nghị đã đánh giá kết quả công tác dân vận năm 2022 và triển khai nhiệm vụ năm 2023."
_TITLE = "Hội nghị tổng kết công tác dân vận năm 2022"
_HEAD = f"<h1>{_TITLE}</h1><div>Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444</div>"
_SIDE = ('<div class="box"><div>Tin mới nhất</div><ul><li><a href="/Tin-tuc/khac">Mường Chà tổ chức hội nghị '
         'tổng kết công tác dân vận</a><span>Thời gian đăng: 02/01/2023 08:00:00 AM - Lượt đọc: 12</span></li></ul></div>')
_REL = ('<div class="related"><div>Tin liên quan</div><ul><li><a href="/Tin-tuc/lq">Điện Biên tổng kết công tác '
        "dân vận năm 2022</a></li></ul></div>")


def _page(inner: str) -> str:
    return f"<html><head><title>{SITE_NAME}</title></head><body>{inner}</body></html>"


MINIMAL = {
    # K1 parse/article.py _reads_as_lead: an <h2> full paragraph (<= 35 words) under the title is a sub-heading
    "h2-lead-35-words": (
        _page(f'<div class="detail">{_HEAD}<h2>{_H2_LEAD}</h2><div class="body"><p>{_P1}</p><p>{_P2}</p></div></div>'),
        {"summary": _H2_LEAD, "event_date": "2023-01-13", "headings": [], "body_text": f"{_P1}\n\n{_P2}"},
    ),
    # K2 parse/bounds.py trim_to_article: a related box followed only by the byline ends the article
    "related-box-before-byline": (
        _page(f'<div class="detail">{_HEAD}<div class="body"><p>{_P1}</p><p>{_P2}</p>'
              '<div class="related"><div>Các tin khác</div><ul><li><a href="/Tin-tuc/khac">Điện Biên tổng kết '
              'công tác dân vận năm 2022</a></li></ul></div><p style="text-align: right;">Tin, ảnh: Minh Thùy</p></div></div>'),
        {"byline": "Tin, ảnh: Minh Thùy", "authors": ["Minh Thùy"], "body_text": f"{_P1}\n\n{_P2}"},
    ),
    # K3 parse/images.py reads_as_caption (italic) before parse/byline.py: an italic name byline right
    # after an uncaptioned last image becomes its caption
    "italic-name-byline-after-uncaptioned-image": (
        _page(f'<div class="detail">{_HEAD}<div class="body"><p>{_P1}</p><p>{_P2}</p>'
              '<p style="text-align: center;"><img src="/Uploads/1-hoi-nghi.jpg" alt="1-hoi-nghi.jpg"></p>'
              "<p><em>Lò Văn Bình</em></p></div></div>"),
        {"byline": "Lò Văn Bình", "authors": ["Lò Văn Bình"],
         "images": [{"src": "https://dienbien.dcs.vn/Uploads/1-hoi-nghi.jpg", "caption": None, "alt": "1-hoi-nghi.jpg"}]},
    ),
    # K4 parse/article.py _read_article: title/meta/body loose in a column that also holds a widget; the
    # walk widens to the parent but related_regions() was computed for the meta element only
    "loose-column-related-mid-body": (
        _page(f'<div class="col">{_HEAD}<div class="body"><p>{_P1}</p>{_REL}<p>{_P2}</p></div>{_SIDE}</div>'),
        {"summary": None, "body_text": f"{_P1}\n\n{_P2}"},
    ),
    "loose-td-related-mid-body": (
        _page(f'<table><tr><td>{_HEAD}<div class="body"><p>{_P1}</p>{_REL}<p>{_P2}</p></div>'
              '<div class="box"><div>Liên kết web</div></div></td></tr></table>'),
        {"summary": None, "body_text": f"{_P1}\n\n{_P2}"},
    ),
    # K5 parse/article.py _reads_as_lead: a lead in its own element whose class is not in
    # _LEAD_CLASS_HINTS, same tag and parent as the next line, no opening date -> body
    "lead-unknown-class-same-tag": (
        _page(f'<div class="detail">{_HEAD}<div class="body"><div class="chapo">{_LEAD}</div>'
              f"<div>{_P1}</div><div>{_P2}</div></div></div>"),
        {"summary": _LEAD, "body_text": f"{_P1}\n\n{_P2}"},
    ),
    "lead-unknown-class-before-br-body": (
        _page(f'<div class="detail">{_HEAD}<div class="chapo">{_LEAD}</div><div class="body">{_P1}<br><br>{_P2}</div></div>'),
        {"summary": _LEAD, "body_text": f"{_P1}\n\n{_P2}"},
    ),
    # K6 parse/structure.py in_teaser: a short <article> (< 600 chars) holding any 4+-word link to another
    # page (breadcrumb item 'Kinh tế - Xã hội', a related list) is taken for a teaser -> NotAnArticle
    "short-html5-article-with-breadcrumb-link": (
        _page('<article><div class="path"><a href="/">Trang chủ</a> &gt; <a href="/T/X">Kinh tế - Xã hội</a></div>'
              f"{_HEAD}<p>{_SHORT}</p></article>"),
        {"title": _TITLE, "category": "Kinh tế - Xã hội", "body_text": _SHORT},
    ),
}


@pytest.mark.parametrize("profile", [DEFAULT_PROFILE, EMPTY_PROFILE], ids=["default", "empty"])
@pytest.mark.parametrize("name", sorted(MINIMAL))
def test_minimal_failure_class(name: str, profile) -> None:
    html, want = MINIMAL[name]
    try:
        got = parse_article(html.encode("utf-8"), URL, crawled_at=FIXED_CRAWLED_AT, profile=profile).to_dict()
    except NotAnArticle as exc:
        pytest.fail(f"not_an_article: {exc}")
    wrong = {key: (got[key], value) for key, value in want.items() if got[key] != value}
    assert not wrong, "wrong fields: " + "; ".join(f"{k}: got {g!r} expected {w!r}" for k, (g, w) in wrong.items())
