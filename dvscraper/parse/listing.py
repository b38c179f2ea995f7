"""parse_listing(html, url) -> ListingPage: the page's own teasers and its next page.

A teaser is a link whose text reads as a headline, with the block around it
(thumbnail, date, summary). Teasers are grouped by the list that holds them;
the page's own list is the richest group (summaries, thumbnails, dates) in the
part of the page that holds no sidebar widget, so side lists of other articles
("Tin mới nhất", "Tin đọc nhiều") are left out. The next page is the link
``rel=next``, the link to ``PageIndex`` + 1, or a "Trang sau" / "»" link.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from dvscraper.normalize.dates import match_published, parse_published
from dvscraper.normalize.text import collapse, spaced_text, text_of
from dvscraper.normalize.urls import canonical_url, resolver
from dvscraper.parse import structure
from dvscraper.parse.blocks import IMAGE_TAGS, Line, below, flatten, holds_image, make_picture
from dvscraper.parse.document import load_page
from dvscraper.parse.images import is_furniture
from dvscraper.parse.labels import FOLDED_MORE, FOLDED_NEXT, MORE_LINK_TEXTS, label_key
from dvscraper.parse.limits import check_page_limits
from dvscraper.parse.profile import SiteProfile
from dvscraper.records import ListingItem, ListingPage, NotAnArticle

_MIN_TITLE_WORDS = 4
_MIN_SUMMARY_WORDS = 6
_PAGE_PARAMS = ("pageindex", "page", "p", "trang", "pagenum", "pageno")
_REL_NEXT = etree.XPath(".//a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]")
_UNSEEN = object()
_MAX_NEXT_CHARS = max(map(len, FOLDED_NEXT))
_ASSET = re.compile(r"\.(?:jpe?g|png|gif|webp|pdf|docx?|xlsx?|zip|rar|mp4|mp3)(?:$|\?)", re.I)


def parse_listing(html: bytes | str, url: str, *, profile: SiteProfile | None = None,
                  limits: dict | None = None) -> ListingPage:
    """The listing's own teasers (absolute URLs) and ``next_page`` (None on the last page); a page
    over the size limits (``limits``: ``check_page_limits`` keywords) lists nothing."""
    if check_page_limits(html, **(limits or {})):
        return ListingPage(url=canonical_url(url), items=[], next_page=None)
    try:
        page = load_page(html)
    except NotAnArticle:
        return ListingPage(url=canonical_url(url), items=[], next_page=None)
    body = page.body
    resolve = resolver(page.base_url(url))
    texts: dict = {}  # link -> its text as shown, worked out once for both passes over the links
    items = _teasers(page, url, resolve, texts)
    return ListingPage(url=canonical_url(url), items=items, next_page=_next_page(body, url, resolve, texts))


# -- teasers ----------------------------------------------------------------------------------
def _teasers(page, url: str, resolve, texts: dict) -> list[ListingItem]:
    body = page.body
    links = []
    own = canonical_url(url)
    own_root = own.split("?", 1)[0]
    canonical: dict = {}  # href -> canonical_url(href), None when it has none (a bad port)
    pager = []  # links to the listing's other pages: the pager stands by the page's own list
    for a in body.iter("a"):
        href = resolve(a.get("href"))
        if not href or _ASSET.search(href) or not href.startswith(("http://", "https://")):
            continue
        target = canonical.get(href, _UNSEEN)
        if target is _UNSEEN:
            try:
                target = canonical_url(href)
            except ValueError:  # a bad port
                target = None
            canonical[href] = target
        if target is None or target in (own, own_root):
            continue  # this listing itself (its breadcrumb item, its first page): never a teaser
        if _same_listing(target, own):
            pager.append(a)  # another page of this listing: never a teaser either
            continue
        text = texts[a] = _link_text(a)
        if _word_count(text) < _MIN_TITLE_WORDS or label_key(text) in FOLDED_MORE:
            continue
        links.append((a, href, text))
    if not links:
        return []
    title_links = {a: href for a, href, _ in links}
    # A target linked twice (a "most read" side list before the listing, a thumbnail link) is grouped
    # where each link stands: the listing keeps its own teaser even when a side list came first.
    groups: dict = {}
    for a, href, text in links:
        el = _item_element(a, href, title_links)
        shown = collapse(text_of(el))
        if len(shown) <= 300 and structure.is_breadcrumb(el, shown):
            continue  # "Trang chủ » Tin tức - Sự kiện »": the page's trail, not a teaser
        members = groups.setdefault(el.getparent(), [])
        if all(href != other for _, other, _ in members):  # one teaser per target in a group: the first
            members.append((el, href, text))
    # A group's weight grows with the square of each teaser's richness: ten teasers with
    # summaries, thumbnails and dates outweigh twenty bare "most read" titles with dates.
    scored = []
    for parent, members in groups.items():
        richness = [_richness(el, text) for el, _, text in members]
        scored.append((sum(r * r for r in richness), sum(richness), parent, members))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored:
        return []  # every headline link was the breadcrumb's
    if pager:  # the page's own list shares its column with the pager: a side list meets it higher up
        depth = {parent: _shared_depth(parent, pager[0]) for _, _, parent, _ in scored}
        nearest = max(depth.values())
        scored = [s for s in scored if depth[s[2]] == nearest] + [s for s in scored if depth[s[2]] != nearest]
    best_weight, _, best_parent, _ = scored[0]
    if best_weight <= 0:
        return []
    region = structure.article_container(best_parent, structure.foreign_markers(page, []))
    chosen = []
    for _, score, parent, members in scored:
        inside = parent is region or any(anc is region for anc in parent.iterancestors())
        if parent is best_parent or (inside and score >= len(members) * 2):
            chosen.extend(members)
    order = {el: i for i, el in enumerate(body.iter())}
    chosen.sort(key=lambda m: order.get(m[0], 0))
    seen: set[str] = set()
    chosen = [m for m in chosen if not (m[1] in seen or seen.add(m[1]))]  # one teaser per target
    return [_teaser(el, href, title, resolve) for el, href, title in chosen]


def _shared_depth(el, other) -> int:
    """How deep in the page the smallest element holding both ``el`` and ``other`` lies."""
    return sum(1 for _ in structure.common_ancestor(el, other).iterancestors())


def _same_listing(target: str, own: str) -> bool:
    """Is ``target`` another page of this listing (the same path and query but the page number)?"""
    if "?" not in target and "?" not in own:
        return False
    a, b = urlsplit(target), urlsplit(own)
    if (a.netloc, a.path.lower()) != (b.netloc, b.path.lower()):
        return False
    return _query_but_page(a.query) == _query_but_page(b.query)


def _query_but_page(query: str) -> list:
    return sorted((k.lower(), v) for k, v in parse_qsl(query, keep_blank_values=True) if k.lower() not in _PAGE_PARAMS)


def _word_count(text: str) -> int:
    """Words of a link text, a lone dash or bullet not counted ("Tin tức - Sự kiện": 4)."""
    return sum(1 for word in text.split() if any(ch.isalnum() for ch in word))


def _item_element(a, href: str, title_links: dict):
    """Climb from the title link while the block holds no other teaser's title link."""
    el = a
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return el
        if any(title_links.get(link, href) != href for link in parent.iter("a")):
            return el
        el = parent


def _richness(el, title: str) -> int:
    """How much a teaser block holds beside its title: summary, thumbnail, date."""
    text = collapse(text_of(el))
    extra = len(text) - len(title)
    score = 1
    if extra > 60:
        score += 2
    if holds_image(el):
        score += 1
    if match_published(text) is not None:
        score += 1
    return score


def _teaser(el, href: str, title: str, resolve) -> ListingItem:
    date = match_published(spaced_text(el))
    published = parse_published(date.group(0)) if date else None
    thumbnail = None
    for img in below(el, *IMAGE_TAGS):
        picture = make_picture(img, standalone=True)
        if not is_furniture(picture):
            thumbnail = resolve(picture.src)
            break
    summary = None
    for line in flatten(el):
        if not isinstance(line, Line) or line.link_only or line.text == title:
            continue
        shown = line.text
        if shown.startswith(title):  # "Title Ngày đăng: 20/03/2024": the line goes on past the title
            shown = shown[len(title):].lstrip(" -–|:")
        candidate = _MORE_AT_END.sub("", _strip_meta(shown))
        if label_key(candidate) in FOLDED_MORE or len(candidate.split()) < _MIN_SUMMARY_WORDS:
            continue
        if summary is None or len(candidate) > len(summary):
            summary = candidate
    return ListingItem(url=href, title=title, published_at=published, summary=summary, thumbnail=thumbnail)


# A "read more" link closing the summary: "... thông tin. Chi tiết »" (its label is no prose).
_MORE_AT_END = re.compile(
    r"\s*[\[(]?\s*(?:" + "|".join(re.escape(m) for m in MORE_LINK_TEXTS) + r")\s*[»›>….\])]*\s*$", re.I
)
_META_PREFIX = re.compile(r"^\(?\s*(?:thời gian đăng|ngày đăng|cập nhật)?\s*:?\s*")


def _strip_meta(text: str) -> str:
    """A summary line may begin with the teaser's date; keep only the prose."""
    date = match_published(text)
    if date is not None and date.start() <= 20:
        rest = text[date.end():].lstrip(" )-–|:")
        read = re.match(r"^(?:-\s*)?lượt (?:đọc|xem)\s*:?\s*[\d.,]+\s*[-|]?\s*", rest, re.I)
        return rest[read.end():] if read else rest
    return text


# -- pagination -------------------------------------------------------------------------------
def _page_number(url: str) -> tuple[str | None, int]:
    if "?" not in url:
        return None, 1  # no query string
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return key.lower(), int(value)
    return None, 1


def _link_text(a) -> str:
    return collapse(text_of(a)) or collapse(a.get("title"))


def _next_page(body, url: str, resolve, texts: dict) -> str | None:
    own = canonical_url(url)
    own_path = urlsplit(own).path.lower()
    _, current = _page_number(own)
    for a in _REL_NEXT(body):
        target = resolve(a.get("href"))
        if target and target != own:
            return target
    by_number = None
    by_text = None
    for a in body.iter("a"):
        target = resolve(a.get("href"))
        if not target or target == own:
            continue
        key, number = _page_number(target)
        if key is not None and number == current + 1 and urlsplit(target).path.lower() == own_path:
            by_number = by_number or target
        text = texts.get(a)
        if text is None:
            text = _link_text(a)
        # (case folding never shortens a text: a long one is no "next" label)
        label = label_key(text) if len(text) <= _MAX_NEXT_CHARS else None
        if label in FOLDED_NEXT and by_text is None:
            # a "»" / "Trang sau" link pages this listing: same path, or a page number beyond ours
            path = urlsplit(target).path.lower()
            numbered_path = path != own_path and path.startswith(own_path.rstrip("/")) and path[-1:].isdigit()
            if (key is not None and number > current) or (key is None and numbered_path):
                by_text = target
    return by_number or by_text
