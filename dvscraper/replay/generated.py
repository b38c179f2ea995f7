"""GeneratedSite: a replay site of N articles, built on the fly (nothing is written to disk).

Everything about article ``i`` (0 = newest) derives from ``i``: its category
(``i % K``), URL, title, publish time (``i`` steps of 3h07m11s before a fixed
moment, so listings run newest first across months and years), read count, lead
and body (words drawn by a PRNG seeded with ``i``). Category listings show
``page_size`` teasers per page with ``PageIndex`` pagination and a next link.

The markup comes from a theme: ``FixtureTheme`` (pages cut from the saved
fixtures: the home, intro and contact pages as they are, article and listing pages
with their slots filled) when the fixtures allow it, else ``BuiltinTheme``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from dvscraper.normalize.dates import VN_TZ
from dvscraper.normalize.text import fold
from dvscraper.replay.fixture_theme import FixtureTheme, ThemeError
from dvscraper.replay.pages import HTML, TEXT, Page
from dvscraper.replay.sibling_theme import SiblingTheme
from dvscraper.replay.templates import BuiltinTheme

NEWEST = dt.datetime(2024, 6, 28, 17, 36, 49, tzinfo=VN_TZ)
STEP = dt.timedelta(hours=3, minutes=7, seconds=11)

# Words for titles, leads and bodies (from the seed article).
WORDS = tuple(
    """công tác dân vận hội nghị tổng kết phối hợp năm biểu dương khen thưởng điển hình dân vận khéo
    xây dựng nông thôn mới ban cán sự đảng ủy ban nhân dân tỉnh huyện thị xã thành phố cơ quan
    hành chính nhà nước chính quyền các cấp cán bộ công chức viên chức người đứng đầu chuyển biến
    tích cực thúc đẩy nâng cao hiệu quả tham mưu thường vụ tỉnh ủy quán triệt ban hành văn bản lãnh
    đạo chỉ đạo triển khai thực hiện kiểm tra đôn đốc nhiệm vụ địa phương đơn vị kế hoạch giai đoạn
    tuyên truyền nghị quyết chỉ thị chính sách pháp luật mặt trận tổ quốc đoàn thể nhân dân giám sát
    phản biện xã hội đại biểu cử tri quy chế dân chủ cơ sở phong trào thi đua yêu nước đời sống kinh
    tế quốc phòng an ninh thôn bản đường giao thông thủy lợi hộ gia đình""".split()
)
AUTHORS = ("Minh Thùy", "Quang Hưng", "Thu Hà", "Hoàng Châu", "Lan Anh", "Văn Thành")
SUMMARY_OPENINGS = ("Sáng {d}/{m}", "Chiều nay ({d}/{m})", "Ngày {d}/{m}", "Tối qua ({d}/{m})", "Sáng nay")


def vn_int(value: int) -> str:
    """7444 -> '7.444' (the portal groups thousands with dots)."""
    return f"{value:,}".replace(",", ".")


def shown_time(when: dt.datetime) -> str:
    """'13/01/2023 05:36:49 PM' as on the portal's meta line."""
    return when.strftime("%d/%m/%Y %I:%M:%S %p")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def load_theme(fixtures: Path | None):
    """The fixture theme when the fixtures allow it, else the built-in markup (with a note on stderr)."""
    if fixtures is None:
        return BuiltinTheme()
    try:
        return FixtureTheme(fixtures)
    except (ThemeError, OSError, ValueError, KeyError) as exc:
        print(f"replay: fixture templates unusable ({exc}); using the built-in markup", file=sys.stderr)
        return BuiltinTheme()


THEMES = ("fixture", "builtin", "sibling")  # --theme: the generated site's markup


def make_theme(name: str | None, fixtures: Path | None):
    """A theme by name: ``fixture`` (default; cut from the fixtures, else built-in), ``builtin``, or
    ``sibling`` (a sibling portal on the same CMS in other markup: replay/sibling_theme.py)."""
    if name in (None, "", "fixture"):
        return load_theme(fixtures)
    if name == "builtin":
        return BuiltinTheme()
    if name == "sibling":
        return SiblingTheme()
    raise ValueError(f"unknown theme {name!r} (known: {', '.join(THEMES)})")


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    index: int
    category: int
    path: str
    title: str
    published_at: dt.datetime
    read_count: int
    summary: str


class GeneratedSite:
    def __init__(self, n_articles: int, *, page_size: int = 20, theme=None, fixtures: Path | None = None,
                 link_to: str | None = None, first: int = 0, read_epoch: int = 0):
        if n_articles < 1:
            raise ValueError("n_articles must be >= 1")
        if not 0 <= first < n_articles:
            raise ValueError("first must be in [0, n_articles)")
        self.n = n_articles
        # Articles first..n-1 are online: ``first=5`` is the site before its 5 newest articles appeared.
        self.first = first
        # Read counts grow with the epoch (a later visit of the same site): read-count history tests.
        self.read_epoch = read_epoch
        self.page_size = page_size
        self.link_to = link_to
        self.theme = theme or load_theme(fixtures)
        self.categories = tuple(self.theme.categories)
        self._article_re = re.compile(rf"^{re.escape(self.theme.article_prefix)}(?P<slug>[a-z0-9-]+)-(?P<i>\d+)$")
        self._listing_re = re.compile(rf"^{re.escape(self.theme.listing_prefix)}(?P<cat>[^/?]+)$")
        self._category_index = {slug.lower(): c for c, (slug, _) in enumerate(self.categories)}
        self.theme.prepare(self)

    # -- the model --------------------------------------------------------------------------
    def category_size(self, c: int) -> int:
        k = len(self.categories)

        def below(m: int) -> int:  # articles j*k+c < m
            return (m - c + k - 1) // k if c < m else 0

        return below(self.n) - below(self.first)

    def category_pages(self, c: int) -> int:
        return max(1, -(-self.category_size(c) // self.page_size))

    def article(self, i: int) -> GeneratedArticle:
        rng = random.Random(i * 7919 + 17)
        words = rng.sample(WORDS, 9)
        title = f"{words[0].capitalize()} {' '.join(words[1:8])} (bài {i})"
        published = NEWEST - i * STEP
        opening = SUMMARY_OPENINGS[i % len(SUMMARY_OPENINGS)].format(d=published.day, m=published.month)
        summary = f"{opening}, {' '.join(rng.sample(WORDS, 30))} số {i}."
        return GeneratedArticle(
            index=i,
            category=i % len(self.categories),
            path=f"{self.theme.article_prefix}{slugify(' '.join(words[:6]))}-{i}",
            title=title,
            published_at=published,
            read_count=(i * 7919) % 20_000 + 11 + self.read_epoch * (i % 13 + 1),
            summary=summary,
        )

    def listing_path(self, c: int, page: int) -> str:
        return f"{self.theme.listing_prefix}{self.categories[c][0]}?PageIndex={page}"

    def listing_items(self, c: int, page: int) -> list[GeneratedArticle]:
        k = len(self.categories)
        j0 = max(0, -(-(self.first - c) // k))  # the first online article of category c
        first = j0 + (page - 1) * self.page_size
        return [self.article(j * k + c) for j in range(first, first + self.page_size) if j * k + c < self.n]

    def body(self, a: GeneratedArticle) -> dict:
        """Paragraphs (a ``("h", text)`` tuple is a sub-heading), image, caption and byline of an article."""
        rng = random.Random(a.index * 104729 + 3)
        paragraphs: list = []
        for n in range(rng.randint(3, 6)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
            paragraphs.append(f"Bài {a.index}: {words}.")
            if n == 1:
                paragraphs.append(("h", " ".join(rng.sample(WORDS, 8)).capitalize()))
        image = f"/Uploads/images/{a.index % 97}-anh-minh-hoa.jpg" if a.index % 5 else None
        return {
            "paragraphs": paragraphs,
            "image": image,
            "caption": f"Quang cảnh buổi làm việc số {a.index}" if image else None,
            "byline": f"Tin, ảnh: {AUTHORS[a.index % len(AUTHORS)]}",
        }

    # -- ReplaySite -------------------------------------------------------------------------
    def bind(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def article_paths(self) -> list[str]:
        return [self.article(i).path for i in range(self.first, self.n)] + list(self.theme.extra_article_paths())

    def page(self, uri: str) -> Page | None:
        parts = urlsplit(uri)
        path = parts.path or "/"
        if path == "/robots.txt":
            return Page(200, TEXT, self.theme.robots() or b"User-agent: *\nDisallow:\n")
        if path == "/":
            return self._html(self.theme.render_home())
        match = self._article_re.match(path)
        if match:
            i = int(match.group("i"))
            if self.first <= i < self.n and self.article(i).path == path:
                a = self.article(i)
                return self._html(self.theme.render_article(
                    a, shown_time=shown_time(a.published_at), reads=vn_int(a.read_count), **self.body(a)))
            return None
        match = self._listing_re.match(path)
        if match:
            c = self._category_index.get(match.group("cat").lower())
            if c is None:
                return None
            query = {k.lower(): v for k, v in parse_qsl(parts.query)}
            raw_page = query.get("pageindex", "1")
            page = int(raw_page) if raw_page.isdigit() else 0
            if not 1 <= page <= self.category_pages(c):
                return None
            return self._html(self.theme.render_listing(c, page))
        extra = self.theme.extra_page(uri)
        if extra is not None:
            body, content_type = extra
            return self._html(body, content_type)
        return None

    def _html(self, body: str | bytes, content_type: bytes = HTML) -> Page:
        if isinstance(body, str):
            body = body.encode("utf-8")
        if self.link_to:
            anchor = f'<a href="{self.link_to}">Liên kết ngoài</a>'.encode()
            at = body.lower().rfind(b"</body>")
            body = body[:at] + anchor + body[at:] if at >= 0 else body + anchor
        return Page(200, content_type, body)
