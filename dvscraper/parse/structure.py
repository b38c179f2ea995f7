"""Page structure a reader relies on: title above the meta line, breadcrumb, where the
article ends (sidebar widgets, footer, other articles, related lists)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from dvscraper.normalize.dates import match_published
from dvscraper.normalize.text import collapse, collapsed_text_within, text_of, text_within
from dvscraper.normalize.urls import absolute_url, canonical_url, resolver
from dvscraper.parse.blocks import BLOCK_TAGS, HEADING_TAGS, Line, below, holds, within
from dvscraper.parse.byline import is_credit
from dvscraper.parse.labels import (
    FOLDED_HOME,
    FOLDED_RELATED,
    FOLDED_SIDEBAR,
    FOLDED_SITE_NAMES,
    HOME_CRUMBS,
    RELATED_HEADINGS,
    SIDEBAR_WIDGETS,
    SITE_NAMES,
    TOOLBAR_TEXTS,
    label_key,
)
from dvscraper.parse.patterns import phrase_pattern, trie_pattern

_TITLE_CLASS = re.compile(r"title|tieude|tieu-de|heading|headline|ten-bai|tenbai", re.I)
_TITLE_WINDOW = 14  # preceding text nodes examined for the title
_PRECEDING_TEXTS = etree.XPath(f"preceding::text()[normalize-space()][position() <= {_TITLE_WINDOW}]")
_OG_TITLE = etree.XPath("//meta[@property='og:title']/@content")
_HEAD_TITLE = etree.XPath("//head/title/text()")
_CRUMB_PARTS = etree.XPath(".//a|.//li[not(.//a)]|./span[not(.//a)]")
_MAX_TITLE_WORDS = 60
# Breadcrumb separators as shown between items ("Trang chủ > Tin tức", "Trang chủ / Tin tức").
_CRUMB_SEP = re.compile(r"\s*(?:>>|>|»|›|→|\s/\s)\s*")
_CRUMB_CLASS = re.compile(r"breadcrumb|duong-?dan|path|crumb|vitri|vi-tri", re.I)
_MAX_CRUMBS = 6  # a longer "Trang chủ ..." run is a menu
_DATE_ONLY = re.compile(r"^[\W\d_]*(?:(?:thứ|chủ nhật)[^,]*,?)?\s*(?:ngày)?[\s\d/:.\-APMapm,]*$", re.I)
_SIDEBAR_RE = re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in SIDEBAR_WIDGETS) + r")\b", re.I)
_TOOLBAR_RE = re.compile(r"^[\W_]*(?:" + "|".join(re.escape(w) for w in TOOLBAR_TEXTS) + r")\b", re.I)
_LABEL_TAGS = frozenset(("dt", "th", "label", "legend"))
_INLINE_PARENTS = frozenset("span a b strong em i u font small big sup sub label time mark cite q s strike".split())


def is_site_name(text: str) -> bool:
    key = label_key(text)
    if key in FOLDED_SITE_NAMES:
        return True
    return any(key.startswith(name) and len(key) - len(name) < 4 for name in FOLDED_SITE_NAMES)


def is_toolbar_text(text: str) -> bool:
    return bool(_TOOLBAR_RE.match(text))


# -- title ------------------------------------------------------------------------------------
def find_title(meta_el, url: str, *, own: str | None = None):
    """The title above the meta line: ``(text, element, is_teaser)``.

    ``is_teaser`` is True when the title links to another page: the meta line then
    belongs to a teaser of another article (home page, listings, side lists).
    """
    meta_ancestors = set(meta_el.iterancestors())
    texts = _PRECEDING_TEXTS(meta_el)
    seen: set = set()
    fallback = None
    past_crumb = False  # a breadcrumb between the title and the meta line: only a heading may be the title
    for text in reversed(texts):
        el = text.getparent()
        if el is None:
            continue
        if text.is_tail:
            el = el.getparent()
        if el is None or el in meta_ancestors:
            # text directly inside an ancestor of the meta line: the title shares its block
            candidate = collapse(text)
            if candidate and _acceptable_title(candidate):
                return candidate, el, False
            continue
        while el.tag in _INLINE_PARENTS and el.getparent() is not None and el.getparent() not in meta_ancestors:
            el = el.getparent()
        if el in seen:
            continue
        seen.add(el)
        candidate = collapse(text_of(el))
        if not candidate:
            continue
        if el.tag in _LABEL_TAGS or candidate.endswith(":"):
            continue  # the info block's own label ("<dt>Chi tiết</dt><dd>Cập nhật: ...</dd>")
        if _SIDEBAR_RE.match(candidate) or (past_crumb and is_breadcrumb(el, candidate)):
            break
        if is_breadcrumb(el, candidate):
            past_crumb = True  # "title, breadcrumb, meta line" (a sibling template): look above it once
            continue
        if _DATE_ONLY.match(candidate) and match_published(candidate) is not None:
            break  # the header date ("Thứ Ba, ngày 10/01/2023"): the page header is above
        if not _acceptable_title(candidate):
            if len(seen) == 1 and _names_site_or_menu(candidate) and _beside(el, meta_el):
                # what stands right where the title stands is the title, whatever its words
                # (the intro page "Đảng bộ tỉnh Điện Biên"): the site name in the header or
                # a menu item is never the block just before the meta line
                return candidate, el, False
            continue
        if past_crumb and not _heading_like(el):
            break  # above the breadcrumb: the page header or menu, not a title
        if len(candidate) > 250 and not _heading_like(el):
            fallback = fallback or (candidate, el)
            continue
        teaser = _links_elsewhere(el, url, own)
        if teaser and len(candidate.split()) < 4:
            break  # a menu item: the title is never above the menu
        return candidate, el, teaser
    if fallback is not None:
        return fallback[0], fallback[1], _links_elsewhere(fallback[1], url, own)
    return None, None, False


def _names_site_or_menu(text: str) -> bool:
    return len(text) >= 4 and is_site_name(text) and not is_toolbar_text(text)


def _beside(el, meta_el) -> bool:
    """Is ``el`` the block right before the meta line: a sibling of it or of one of its two
    nearest ancestors, with no link to another page?"""
    if el.tag == "a" or any(True for _ in el.iterancestors("a")) or holds(el, "a"):
        return False
    shown = collapse(text_of(el))
    own = [el]  # the title's block and the wrappers that hold nothing else (a td in its tr)
    for wrapper in el.iterancestors():
        if len(own) == 3 or collapse(text_of(wrapper)) != shown:
            break
        own.append(wrapper)
    parents = {node.getparent() for node in own}
    node = meta_el
    for _ in range(3):
        if node is None:
            return False
        if node.getparent() in parents:
            return True
        node = node.getparent()
    return False


def _acceptable_title(text: str) -> bool:
    if len(text) < 4 or is_site_name(text) or is_toolbar_text(text):
        return False
    if _DATE_ONLY.match(text) and match_published(text) is not None:
        return False
    if len(text.split()) > _MAX_TITLE_WORDS:
        return False
    return label_key(text) not in FOLDED_HOME


def _heading_like(el) -> bool:
    return el.tag in HEADING_TAGS or bool(_TITLE_CLASS.search(el.get("class") or ""))


def title_rank(el) -> int:
    """Prefer a heading tag or a title class when several meta lines qualify."""
    if el is None:
        return 0
    return 2 if el.tag in ("h1", "h2") else 1 if _heading_like(el) else 0


def own_key(url: str) -> str:
    """The page's own URL as links to it are compared (canonical, no trailing slash, lower case)."""
    return canonical_url(url).rstrip("/").lower()


def own_key_or_none(url: str) -> str | None:
    """``own_key(url)``, worked out once per page; None when ``url`` cannot be made canonical
    (the functions given ``own=None`` then meet the error where they always did)."""
    try:
        return own_key(url)
    except ValueError:
        return None


def _links_elsewhere(el, url: str, own: str | None = None) -> bool:
    """Does the title element link to a page other than ``url``? (``own``: ``own_key(url)``)"""
    links = [el] if el.tag == "a" else []
    links += list(el.iterancestors("a")) + below(el, "a")
    if own is None:
        own = own_key(url)
    for link in links:
        href = link.get("href")
        target = absolute_url(url, href)
        if target and target.rstrip("/").lower() != own:
            return True
    return False


def holds_headline_link(el, url: str, own: str | None = None) -> bool:
    """Does the element hold a headline-long link to another page (a teaser's title)?"""
    for link in el.iter("a"):
        text = collapse(text_of(link))
        if len(text.split()) < 4:
            continue
        if own is None:
            own = own_key(url)
        target = absolute_url(url, link.get("href"))
        if target and target.rstrip("/").lower() != own:
            return True
    return False


_ITEM_TAGS = frozenset(("li", "tr", "dd"))  # not <article>: it holds whole articles too


def in_teaser(meta_el, url: str, *, own: str | None = None) -> bool:
    """Is the meta line part of a teaser of another article: a headline link in the line
    itself, or in the list item / table row that holds it?"""
    if holds_headline_link(meta_el, url, own):
        return True
    for ancestor in meta_el.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in _ITEM_TAGS:
            return text_within(ancestor, 600) is not None and holds_headline_link(ancestor, url, own)
    return False


def fallback_title(root) -> str | None:
    """``og:title`` or ``<title>`` when no heading stands above the meta line; never the site name."""
    for value in _OG_TITLE(root) + _HEAD_TITLE(root):
        text = collapse(value)
        for sep in (" - ", " | ", " – "):
            parts = [p for p in text.split(sep) if not is_site_name(p)]
            if len(parts) == 1:
                text = parts[0]
        if text and not is_site_name(text):
            return text
    return None


# -- breadcrumb -------------------------------------------------------------------------------
def find_breadcrumb(page, selected: list | None = None, *, url: str | None = None, meta_el=None) -> list[str]:
    """``['Trang chủ', 'Giới thiệu chung']`` as shown; ``[]`` when the page has none.

    ``selected``: elements the site profile's breadcrumb selector found (the fast path). Then
    a short trail of text that starts at the home item and is joined by ">", "/", "»" or "›";
    then, with ``url``, a short row of links that starts at a link to the home page (its text,
    or a home icon) — the nearest such row before the meta line ``meta_el``."""
    if selected:
        for el in selected[:1]:
            items = _crumb_items(el)
            if len(items) >= 2:
                return items
    found = _text_breadcrumb(page)
    if found or url is None:
        return found
    return _link_row_breadcrumb(page, url, meta_el)


_HOME_PATHS = frozenset(("", "/", "/default.aspx", "/index.aspx", "/index.html", "/index.php", "/home", "/trang-chu"))
_MAX_CRUMB_ROW_CHARS = 250


def _link_row_breadcrumb(page, url: str, meta_el) -> list[str]:
    """The row of 2-6 links led by a link to the home page, nearest before the meta line."""
    home_host = urlsplit(url).hostname
    home_links = []
    resolve = resolver(url)  # (each distinct href resolved once)
    for link in page.body.iter("a"):
        target = resolve(link.get("href"))
        if target is None:
            continue
        parts = urlsplit(target)
        if parts.hostname == home_host and parts.path.lower() in _HOME_PATHS and not parts.query:
            home_links.append(link)
        elif label_key(collapse(text_of(link))) in FOLDED_HOME:
            home_links.append(link)  # "Trang chủ" as shown, whatever its link
    if not home_links:
        return []
    # the page's header: the site's name, and home links other than a row's own (the logo)
    header = [text.getparent() for name in page.occurrences(SITE_NAMES) for text in _TEXT_WITH(page.body, name=name)]
    best = None
    for link in home_links:
        row = _row_led_by(link)
        if row is None:
            continue
        if meta_el is not None and _in_header_with(row, meta_el, header, home_links):
            continue  # a menu of the page's header, not the trail of the content column
        if meta_el is not None and _follows(row, meta_el):
            if best is None:
                best = row  # a breadcrumb under the title (a sibling template): the first one
            break
        best = row
    return _row_items(best) if best is not None else []


_TEXT_WITH = etree.XPath(".//text()[contains(., $name)]")


def _in_header_with(row, meta_el, header: list, home_links: list) -> bool:
    """Does the smallest block holding both ``row`` and the meta line also hold the page's
    header (the site's name, another home link such as the logo)? Then the row is the
    header's menu: a breadcrumb meets the title lower, inside the content column."""
    shared = common_ancestor(row, meta_el)
    for mark in [*header, *home_links]:
        if mark is None or within(mark, row):
            continue
        if mark is not shared and within(mark, shared):
            return True
    return False


def _follows(el, ref) -> bool:
    """Does ``el`` start after ``ref`` in document order?"""
    chain = [ref, *ref.iterancestors()]
    position = {node: index for index, node in enumerate(chain)}
    below = None
    for node in (el, *el.iterancestors()):
        if node in position:
            index = position[node]
            if node is el:
                return False  # ``el`` holds ``ref``: it starts before it
            if index == 0:
                return True  # ``ref`` holds ``el``
            return node.index(chain[index - 1]) < node.index(below)
        below = node
    return False


def _row_led_by(link):
    """The element holding a short row of crumbs whose first crumb is ``link``."""
    el = link
    for _ in range(3):
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        text = collapsed_text_within(parent, _MAX_CRUMB_ROW_CHARS)
        if text is None:
            return None
        crumbs = _row_crumbs(parent)
        if len(crumbs) >= 2:
            if crumbs[0] is not link and not within(link, crumbs[0]):
                return None  # the home link must lead the row
            return parent if len(crumbs) <= _MAX_CRUMBS else None
        el = parent
    return None


def _row_crumbs(row) -> list:
    """The crumbs of a row: its links, or its list items."""
    items = [child for child in row if child.tag in ("li", "dd")]
    if len(items) >= 2:
        return items
    return list(row.iter("a"))


def _row_items(row) -> list[str]:
    items = []
    for crumb in _row_crumbs(row):
        text = collapse(text_of(crumb)).strip(" >/»›|")
        if not text:
            for img in crumb.iter("img"):
                text = collapse(img.get("alt") or img.get("title") or "")
                break
        if not text:
            for node in (crumb, *crumb.iter("a")):
                text = collapse(node.get("title") or node.get("aria-label") or "")
                if text:
                    break
        if text:
            items.append(text)
    return items if len(items) >= 2 else []


def _text_breadcrumb(page) -> list[str]:
    for el, is_tail in page.scan().home_hits:
        if is_tail:
            el = el.getparent()
        for _ in range(4):
            if el is None or el.tag in ("body", "html"):
                break
            candidate = collapsed_text_within(el, 300)
            if candidate is None:
                break
            if is_breadcrumb(el, candidate):
                items = _crumb_items(el)
                if len(items) >= 2:
                    return items
            el = el.getparent()
    return []


def is_breadcrumb(el, text: str) -> bool:
    """A short trail that starts at the home item: "Trang chủ > Giới thiệu chung"; with a
    breadcrumb class, a lead-in such as "Bạn đang ở:" (you are here) may come first."""
    if len(text) > 300:
        return False
    css = " ".join(filter(None, (el.get("class"), el.get("id"))))
    if _CRUMB_CLASS.search(css):
        home = _HOME_IN_TEXT.search(text)
        return home is not None and home.start() <= 40
    if not label_key(text).startswith(tuple(FOLDED_HOME)):
        # a lead-in ending in a colon may come first: "Bạn đang ở: Trang chủ / ..."
        home = _HOME_IN_TEXT.search(text)
        if home is None or not 0 < home.start() <= 30 or not text[: home.start()].rstrip().endswith(":"):
            return False
        text = text[home.start() :]
    rest = text[len(text.split()[0]) :]
    return bool(_CRUMB_SEP.search(rest))


def _crumb_items(el) -> list[str]:
    items = _text_crumb_items(el)
    home = _icon_home_text(el)
    if items and home and label_key(items[0]) not in FOLDED_HOME:
        items = [home, *items]  # the home crumb shown as an icon: its title or alt as shown
    return items if len(items) <= _MAX_CRUMBS else []


def _icon_home_text(el) -> str | None:
    """The title (or alt) of a first link that shows only an icon."""
    for link in el.iter("a"):
        if collapse(text_of(link)):
            return None
        for value in (link.get("title"), link.get("aria-label"), *(i.get("alt") for i in link.iter("img"))):
            text = collapse(value)
            if text and label_key(text) in FOLDED_HOME:
                return text
        return None
    return None


def _text_crumb_items(el) -> list[str]:
    text = collapse(text_of(el))
    if _CRUMB_SEP.search(text):
        parts = _CRUMB_SEP.split(text)
    else:
        parts = [collapse(text_of(x)) for x in _CRUMB_PARTS(el)]
    items = [p.strip(" /|") for p in parts]
    items = [p for p in items if p and len(p) < 120]
    if items:  # "Bạn đang ở: Trang chủ" (you are here): the trail starts at the home item
        home = _HOME_IN_TEXT.search(items[0])
        if home and home.start() > 0:
            items[0] = items[0][home.start() :]
    return items if len(items) <= _MAX_CRUMBS else []


# -- where the article ends -------------------------------------------------------------------
def foreign_markers(page, other_metas: list) -> list:
    """Elements that are never part of the article: other meta lines, sidebar widgets, footer."""
    scan = page.scan()
    return [*other_metas, *scan.sidebar_hits, *scan.markers]


def article_container(meta_el, markers: list):
    """The largest ancestor of the meta line that holds no foreign marker."""
    blocked: set = set()
    for marker in markers:
        blocked.add(marker)
        blocked.update(marker.iterancestors())
    container = meta_el
    parent = container.getparent()
    while parent is not None and parent not in blocked:
        container = parent
        parent = container.getparent()
    return container


def common_ancestor(a, b):
    ancestors_a = [a, *a.iterancestors()]
    ids = {id(x) for x in ancestors_a}
    for el in [b, *b.iterancestors()]:
        if id(el) in ids:
            return el
    return ancestors_a[-1]


_RELATED_IN_TEXT = trie_pattern(heading.lower() for heading in RELATED_HEADINGS)
_RELATED_WORDS = tuple(tuple(heading.lower().split()) for heading in RELATED_HEADINGS)
_HOME_IN_TEXT = phrase_pattern(HOME_CRUMBS)
_LINK_DENSE = 0.5
_SPACE_OR_COLON = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + ":"  # all of str.isspace
_RELATED_FIRST = frozenset(heading[:1] for heading in FOLDED_RELATED)


def related_regions(page, container, meta_el) -> list:
    """The blocks of "Tin liên quan"-style lists inside the article container: the heading
    climbed to the link-dense box around it, or the heading plus the link lists right after it."""
    lowered = page.lowered_text
    # as ``page.occurrences``, without folding the text; a heading needs all its words first
    if not any(all(word in lowered for word in words) for words in _RELATED_WORDS):
        return []
    if not _RELATED_IN_TEXT.search(lowered):
        return []
    regions = []
    meta_ancestors = set(meta_el.iterancestors())
    for el in container.iter():
        text = el.text
        if not text or len(text) > 60 or el.tag.__class__ is not str:
            continue
        # the key starts with the case-folded first character that is no space or colon: one
        # that starts no heading rules the text out without folding it all
        first = text.lstrip(_SPACE_OR_COLON)[:1]
        if not first or first.casefold()[:1] not in _RELATED_FIRST:
            continue
        key = label_key(text).strip(" :")
        if not key.startswith(FOLDED_RELATED) or len(key) > len(text) + 5:
            continue
        region = el
        while region.tag in _INLINE_PARENTS and region.getparent() is not None:
            region = region.getparent()
        parent = region.getparent()
        while (
            parent is not None
            and parent is not container
            and parent not in meta_ancestors
            and _link_density(parent) >= _LINK_DENSE
            and not _holds_article_text(parent, region)
        ):
            region, parent = parent, parent.getparent()
        regions.append(region)
        if _link_density(region) < _LINK_DENSE:  # the heading alone: its list follows it
            for sibling in region.itersiblings():
                if not isinstance(sibling.tag, str) or _link_density(sibling) < _LINK_DENSE:
                    break
                regions.append(sibling)
    return regions


def _holds_article_text(parent, region) -> bool:
    """Does ``parent`` hold, beside ``region``, a credit line or a paragraph of prose (the
    article's byline or text in the same wrapper as a related box)?"""
    for child in parent:
        if child is region or child.tag.__class__ is not str:
            continue
        shown = collapse(text_of(child))
        if not shown:
            continue
        if is_credit(shown):
            return True
        linked = sum(len(text_of(a).split()) for a in child.iter("a"))
        if len(shown.split()) - linked >= 12:
            return True
    return False


def _link_density(el) -> float:
    total = len(collapse(text_of(el)))
    if not total:
        return 0.0
    linked = sum(len(collapse(text_of(a))) for a in el.iter("a"))
    return linked / total


def is_stop_line(line: Line) -> bool:
    """A heading of a related-articles list or of a sidebar widget: the article has ended."""
    if len(line.text) > 80 or line.words > 8:
        return False
    key = label_key(line.text).strip(" :")
    return key.startswith(FOLDED_RELATED + FOLDED_SIDEBAR)


__all__ = [
    "BLOCK_TAGS",
    "article_container",
    "common_ancestor",
    "fallback_title",
    "find_breadcrumb",
    "find_title",
    "foreign_markers",
    "is_site_name",
    "is_stop_line",
    "is_toolbar_text",
    "title_rank",
]
