"""extract_article(html, url) -> RawArticle: the strings of an article page as shown.

The order of work follows what a reader does: find the meta line (label +
date), take the heading just above it as the title, read on from there until
the article ends (a "Tin liên quan" heading, a sidebar widget, another
article's meta line, the footer), then sort what was read into lead, body,
sub-headings, photos with captions and byline. The site profile's selectors
are tried first where they apply; every field falls back to these rules.
"""

from __future__ import annotations

from dvscraper.normalize.article import REASON_NO_META_TIME, REASON_NO_TITLE
from dvscraper.normalize.event_date import opens_with_dateline, opens_with_event_date
from dvscraper.normalize.text import collapse, spaced_text, text_of
from dvscraper.normalize.urls import canonical_url
from dvscraper.parse import structure
from dvscraper.parse.blocks import Line, Picture, flatten, within
from dvscraper.parse.bounds import inside, teaser_roots, trim_to_article
from dvscraper.parse.byline import find_byline, is_credit, reads_as_byline, reads_as_byline_tail
from dvscraper.parse.document import load_page
from dvscraper.parse.images import is_furniture, links_offsite, reads_as_caption, to_raw_image
from dvscraper.parse.labels import label_key
from dvscraper.parse.meta_line import MetaLine, find_meta_lines, read_count_in, read_meta
from dvscraper.parse.profile import SiteProfile, default_profile
from dvscraper.records import NotAnArticle, RawArticle, RawImage

_LEAD_CLASS_HINTS = ("sapo", "lead", "summary", "tomtat", "tom-tat", "mota", "description", "intro", "desc")
_MIN_LEAD_WORDS = 12
_MAX_META_CANDIDATES = 40  # a page with more meta lines than this is a listing of teasers
_MIN_BOLD_LEAD_WORDS = 30
_MAX_HEADING_WORDS = 35
_MAX_HEADING_CHARS = 300


def extract_article(html: bytes | str, url: str, *, profile: SiteProfile | None = None) -> RawArticle:
    """The article's strings as shown; raises ``NotAnArticle(reason)`` for other pages."""
    profile = default_profile() if profile is None else profile
    page = load_page(html, profile.parsed_selectors)
    root = page.root
    metas = find_meta_lines(page)
    chosen = _profile_meta(page, profile)
    title = None
    if chosen is not None:
        title, _ = _profile_title(page, profile)
        if title is None:
            title, _, _ = structure.find_title(chosen.element, url, own=structure.own_key_or_none(url))
    else:
        chosen, title, _ = _choose_meta(metas, url)
    if chosen is None:
        raise NotAnArticle(REASON_NO_META_TIME)
    if not title and chosen.has_time_label and len(metas) == 1:
        title = structure.fallback_title(root)
    if not title:
        raise NotAnArticle(REASON_NO_TITLE)
    others = [m.element for m in metas if m.element is not chosen.element]
    base = page.base_url(url)  # what relative links resolve against
    own = structure.own_key_or_none(url)
    items, container, roots = _read_article(page, chosen.element, others, profile, base, own)
    read_count_raw = chosen.read_count_raw
    if read_count_raw is None:
        read_count_raw = _toolbar_read_count(page, container, chosen.element, roots, url, own)
    summary, paragraphs, headings, images, byline = _sort_items(items, base, title, profile, page)
    return RawArticle(
        url=canonical_url(url),
        title=title,
        breadcrumb=tuple(structure.find_breadcrumb(
            page, profile.select("breadcrumb", page), url=base, meta_el=chosen.element)),
        published_raw=chosen.published_raw,
        read_count_raw=read_count_raw,
        summary=summary,
        paragraphs=tuple(paragraphs),
        headings=tuple(headings),
        images=tuple(images),
        byline=byline,
    )


# -- the meta line and the title -------------------------------------------------------------
def _profile_meta(page, profile: SiteProfile) -> MetaLine | None:
    for el in profile.select("meta", page)[:1]:
        return read_meta(el, spaced_text(el))
    return None


def _profile_title(page, profile: SiteProfile):
    for el in profile.select("title", page)[:1]:
        text = collapse(text_of(el))
        if text and not structure.is_site_name(text):
            return text, el
    return None, None


def _choose_meta(metas: list[MetaLine], url: str):
    """The page's own meta line: one whose title is not a link to another page (a teaser)."""
    best = None
    own = structure.own_key_or_none(url)
    for meta in metas[:_MAX_META_CANDIDATES]:
        if structure.in_teaser(meta.element, url, own=own):
            continue  # "Title (13/01/2023) - Lượt đọc: 55": a teaser of another article
        title, title_el, teaser = structure.find_title(meta.element, url, own=own)
        if teaser:
            continue
        rank = structure.title_rank(title_el) if title else -1
        if best is None or rank > best[0]:
            best = (rank, meta, title, title_el)
    if best is None:
        return None, None, None
    return best[1], best[2], best[3]


# -- reading the article ---------------------------------------------------------------------
def _read_article(page, meta_el, other_metas: list, profile: SiteProfile, base: str, own: str | None):
    """The article's lines and pictures, the container they were read in, and its teasers."""
    markers = structure.foreign_markers(page, other_metas)
    stop = frozenset(markers)
    container = structure.article_container(meta_el, markers)
    bodies = profile.select("body", page)
    if bodies and not within(bodies[0], container):
        container = structure.common_ancestor(meta_el, bodies[0])
    items = _read_within(page, container, meta_el, stop)
    if not any(isinstance(item, Line) for item in items) and container.getparent() is not None:
        # the meta line stands loose in a column that also holds widgets: read on from it
        container = container.getparent()
        items = _read_within(page, container, meta_el, stop)
    roots = teaser_roots(container, meta_el, base, own)
    return trim_to_article(items, container, roots), container, roots


def _toolbar_read_count(page, container, meta_el, roots: set, url: str, own: str | None) -> str | None:
    """The article's read count when its meta line has none: a read-count label elsewhere in
    the article's column ("Lượt xem: 12.345" in the toolbar under the text), never one of a
    teaser of another article."""
    for el, is_tail in page.scan().read_hits:
        owner = el.getparent() if is_tail else el
        if owner is None or owner is meta_el or not within(owner, container):
            continue
        if inside(owner, roots, container) or structure.in_teaser(owner, url, own=own):
            continue
        count = read_count_in(owner)
        if count is not None:
            return count
    return None


def _read_within(page, container, meta_el, stop: frozenset) -> list:
    skip = frozenset(structure.related_regions(page, container, meta_el))
    return flatten(container, start_after=meta_el, stop_at=stop, is_stop_line=structure.is_stop_line, skip=skip)


def _sort_items(items: list, url: str, title: str, profile: SiteProfile, page):
    images: list[RawImage] = []
    lines: list[Line] = []
    last_real = _last_body_line(items)
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        if isinstance(item, Picture):
            if is_furniture(item) or links_offsite(item.element, url):
                continue  # an icon, a spacer, a banner that leads to another site
            caption = item.caption
            following = items[index] if index < len(items) else None
            if caption is None and isinstance(following, Line) and not is_credit(following.text):
                if last_real <= index and reads_as_byline(following):
                    pass  # the article's last short styled line is its byline, not a caption
                elif reads_as_caption(following, standalone=item.standalone):
                    caption = following.text
                    index += 1
            image = to_raw_image(item, caption, url, title)
            if image is not None and not any(image.src == known.src for known in images):
                images.append(image)
            continue
        if _is_furniture_line(item, title):
            continue
        lines.append(item)

    byline = None
    at = find_byline(lines)
    if at is not None:
        byline = lines[at].text
        if at > 0 and reads_as_byline_tail(lines[at]) and reads_as_byline(lines[at - 1]):
            at -= 1  # "Minh Thùy" / "(Theo baodienbienphu.com.vn)": one byline on two lines
            byline = f"{lines[at].text} {byline}"
        lines = lines[:at]

    summary = _profile_summary(page, profile)
    if summary is not None:
        lines = [line for line in lines if line.text != summary]
    elif lines and _reads_as_lead(lines[0], next((x for x in lines[1:] if not _reads_as_heading(x)), None)):
        summary = lines[0].text
        lines = lines[1:]

    headings = [line.text for line in lines if _reads_as_heading(line)]
    paragraphs = [line.text for line in lines]
    return summary, paragraphs, headings, images, byline


def _last_body_line(items: list) -> int:
    """Index of the last line that is not part of the closing byline block (-1 if none)."""
    for j in range(len(items) - 1, -1, -1):
        item = items[j]
        if isinstance(item, Line) and not item.link_only:
            if item.words > 14 or not (reads_as_byline(item) or item.text.startswith("(")):
                return j
    return -1


def _profile_summary(page, profile: SiteProfile) -> str | None:
    for el in profile.select("summary", page)[:1]:
        return collapse(text_of(el)) or None
    return None


def _is_furniture_line(line: Line, title: str) -> bool:
    if line.link_only:
        return True
    if line.text == title:
        return True
    return structure.is_toolbar_text(line.text)


def _reads_as_lead(line: Line, following: Line | None) -> bool:
    """The lead is a full paragraph: its own element, or the first (bold) paragraph of the body.

    A plain first paragraph that sits among the body's paragraphs (same parent, same tag) is
    body, unless it opens the way a lead does: with the event's date ("Sáng 15/10, ...")."""
    element = line.element
    css = label_key(" ".join(filter(None, (element.get("class"), element.get("id"))))) if element is not None else ""
    if any(hint in css for hint in _LEAD_CLASS_HINTS):
        return True
    if line.words >= 6 and opens_with_dateline(line.text):
        return True  # "ĐIỆN BIÊN PHỦ (TTĐT) - Sáng 10/9, ...": a news lead, dateline included
    if line.words < _MIN_LEAD_WORDS:
        return False
    if line.heading_tag:  # a full paragraph set in <h2> under the title is a lead, not a sub-heading
        return line.words > _MAX_HEADING_WORDS or line.text.endswith((".", "…", "!", "?"))
    if line.bold:
        return line.words >= _MIN_BOLD_LEAD_WORDS or (line.words >= 15 and line.text.endswith((".", "…")))
    if line.italic and line.words >= 15:  # a whole paragraph set in <em>/<i> under the title
        return True
    if opens_with_event_date(line.text):
        return True
    if following is None:
        return False  # a lone plain paragraph is the body itself
    if element is None or following.element is None:
        return True
    if following.element is element:
        return False  # <br>-split chunks of one block
    same_place = (
        _slot(following.element).getparent() is _slot(element).getparent()
        and following.tag == line.tag
        and following.element.get("class") == element.get("class")
    )
    return not same_place


def _slot(el):
    """The outermost wrapper that holds ``el`` alone (``<div class="col"><p>...</p></div>``): where
    the paragraph stands among its siblings, however each one is wrapped."""
    parent = el.getparent()
    while parent is not None and len(parent) == 1 and not (parent.text or "").strip() \
            and parent.tag not in ("body", "html", "td", "li"):
        el, parent = parent, parent.getparent()
    return el


def _reads_as_heading(line: Line) -> bool:
    if is_credit(line.text):
        return False  # "Bài, ảnh: Lò Thị Ngọc" in bold is a byline, never a sub-heading
    if line.heading_tag:
        return line.words <= _MAX_HEADING_WORDS
    return line.bold and line.words <= _MAX_HEADING_WORDS and len(line.text) <= _MAX_HEADING_CHARS


__all__ = ["extract_article"]
