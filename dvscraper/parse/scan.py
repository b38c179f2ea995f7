"""One pass over the tree that notes every landmark the extractors need.

lxml's XPath ``contains()`` over all text nodes (or ``@class`` tests over all
elements) costs more than a plain Python walk once several phrases are sought,
so the page is walked once: the page's visible text first says which labels
occur at all (a C-speed ``str.find``), then the walk notes the elements holding
them, the breadcrumb's home item, the sidebar widget headings, the page
furniture (``aside``/``nav``/``footer``, ``id="footer"``...) and the elements
the site profile's class/id selectors name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field

from dvscraper.parse.document import phrase_pattern
from dvscraper.parse.labels import HOME_CRUMBS, PUBLISHED_LABELS, READ_COUNT_LABELS, SIDEBAR_MARKERS

# The last two words of each label: enough to find its text node, rare enough in prose.
LABEL_WORDS = tuple(sorted({" ".join(label.split()[-2:]) for label in PUBLISHED_LABELS}))
_READ_WORDS = tuple(sorted({" ".join(label.split()[-2:]) for label in READ_COUNT_LABELS}))
# class/id tokens of page furniture around the article (whole tokens: "article-footer" is not one).
MARKER_TOKENS = frozenset(
    "footer site-footer page-footer sidebar side-bar widget banner quangcao quang-cao advert ads "
    "col-right right-col rightcol colright box-right right-column sidebar-right".split()
)
MARKER_TAGS = frozenset(("aside", "nav", "footer"))
_MARKER_STEMS = ("footer", "side", "widget", "banner", "quang", "advert", "ads", "right")
_KIND = {
    **{p.lower(): "sidebar" for p in SIDEBAR_MARKERS},
    **{p.lower(): "home" for p in HOME_CRUMBS},
    **{p.lower(): "label" for p in LABEL_WORDS},
    **{p.lower(): "read" for p in _READ_WORDS},
}
_ALL_PHRASES = tuple(dict.fromkeys(LABEL_WORDS + _READ_WORDS + HOME_CRUMBS + SIDEBAR_MARKERS))
_CONTAINER_TAGS = frozenset(("div", "section", "ul", "table", "td", "aside", "header", "footer", "nav"))
_MAX_LABEL_TEXT = 400
_MAX_SIDEBAR_TEXT = 120


@dataclass(slots=True)
class PageScan:
    label_hits: list = field(default_factory=list)  # (element, is_tail) holding a time label
    read_hits: list = field(default_factory=list)  # (element, is_tail) holding a read-count label
    home_hits: list = field(default_factory=list)  # (element, is_tail) holding 'Trang chủ'
    sidebar_hits: list = field(default_factory=list)  # elements whose text opens with a widget name
    markers: list = field(default_factory=list)  # furniture elements
    by_selector: dict = field(default_factory=dict)  # profile selector -> first element it names


def scan_page(page, selectors: tuple = ()) -> PageScan:
    """Walk the body once. ``selectors``: simple ``.class`` / ``#id`` / ``tag.class`` strings."""
    result = PageScan()
    kinds = {phrase.lower(): _KIND[phrase.lower()] for phrase in page.occurrences(_ALL_PHRASES)}
    pattern = phrase_pattern(kinds, ignore_case=False) if kinds else None  # run on lower-cased text
    source = page.source
    css_check = any(stem in source for stem in _MARKER_STEMS)
    by_class: dict[str, list] = {}
    by_id: dict[str, list] = {}
    by_tag: dict[str, list] = {}
    for selector in selectors:
        parsed = _parse_selector(selector)
        if parsed is None or (parsed[2] or parsed[3] or "") not in source:
            continue
        _, kind, name, want_tag = parsed
        index = by_class if kind == "class" else by_id if kind == "id" else by_tag
        index.setdefault(name if kind else want_tag, []).append((selector, want_tag))
    found = result.by_selector
    attrs = css_check or bool(by_class) or bool(by_id)
    markers = result.markers
    # Text nodes are only collected here; one regex pass over them all, joined, follows the
    # walk (a search per node costs several times more than the whole walk).
    slots: list = []
    parts: list = []
    collect = pattern is not None
    for el in page.body.iter():
        tag = el.tag
        if tag.__class__ is not str:
            continue
        if tag in MARKER_TAGS:
            markers.append(el)
        if attrs:
            css = el.get("class")
            ident = el.get("id")
            if css_check and tag in _CONTAINER_TAGS and ((css and _has_token(css)) or (ident and _has_token(ident))):
                markers.append(el)
            if css and by_class:
                for name in css.split():
                    for selector, want_tag in by_class.get(name, ()):
                        if selector not in found and (want_tag is None or want_tag == tag):
                            found[selector] = el
            if ident and ident in by_id:
                for selector, want_tag in by_id[ident]:
                    if selector not in found and (want_tag is None or want_tag == tag):
                        found[selector] = el
        if by_tag and tag in by_tag:
            for selector, _ in by_tag[tag]:
                found.setdefault(selector, el)
        if collect:
            text = el.text
            if text:
                slots.append((el, False))
                parts.append(text)
            text = el.tail
            if text:
                slots.append((el, True))
                parts.append(text)
    if collect:
        _note_matches(pattern, kinds, slots, parts, result)
    return result


def _note_matches(pattern, kinds: dict, slots: list, parts: list, result: PageScan) -> None:
    """Find the phrases in all text nodes at once ("\\x00" cannot occur in the cleaned text)."""
    joined = "\x00".join(parts)
    lowered = joined.lower()
    if len(lowered) == len(joined):  # lower-casing kept every offset: search it case-sensitively
        joined = lowered
    else:
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    ends = list(accumulate(len(part) + 1 for part in parts))  # offset just past each node's text
    for match in pattern.finditer(joined):
        index = bisect_right(ends, match.start())
        text = parts[index]
        if len(text) >= _MAX_LABEL_TEXT:
            continue
        el, is_tail = slots[index]
        kind = kinds[" ".join(match.group(0).split()).lower()]
        if kind == "label":
            result.label_hits.append((el, is_tail))
        elif kind == "read":
            result.read_hits.append((el, is_tail))
        elif kind == "home":
            result.home_hits.append((el, is_tail))
        elif len(text) < _MAX_SIDEBAR_TEXT:
            start = ends[index] - len(text) - 1
            if not text[: match.start() - start].strip():
                owner = el.getparent() if is_tail else el
                if owner is not None:
                    result.sidebar_hits.append(owner)


def _has_token(value: str) -> bool:
    return any(token in MARKER_TOKENS for token in value.split())


_SIMPLE = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*)?(?:(?P<kind>[.#])(?P<name>[\w-]+))?$")


def _parse_selector(selector: str):
    """``'.sapo'`` -> (selector, 'class', 'sapo'); ``'h1'`` -> (selector, None, None); else None."""
    match = _SIMPLE.match(selector.strip())
    if not match or not (match.group("tag") or match.group("name")):
        return None
    kind = {"." : "class", "#": "id"}.get(match.group("kind") or "")
    return selector, kind, match.group("name"), (match.group("tag") or "").lower() or None
