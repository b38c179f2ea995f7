"""One scan of the tree that notes every landmark the extractors need.

lxml's XPath ``contains()`` over all text nodes (or ``@class`` tests over all
elements) costs more than plain Python walks, so: one walk collects the body's
text nodes and a single pass of one (trie-shaped) pattern over them all, joined
and lower-cased, finds the elements holding a time or read-count label, the
breadcrumb's home item and the sidebar widget headings; lxml then picks the page
furniture by tag (``aside``/``nav``/``footer``; containers with a class/id such
as ``footer``) and a last walk, stopping once all are found, the elements the
site profile's class/id selectors name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from dvscraper.parse.labels import HOME_CRUMBS, PUBLISHED_LABELS, READ_COUNT_LABELS, SIDEBAR_MARKERS
from dvscraper.parse.patterns import phrase_pattern, trie_pattern

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


# Every phrase, lower-cased, for lower-cased text (a phrase the page lacks simply never matches).
_ALL_PATTERN = trie_pattern(_KIND)
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
    """Walk the body once. ``selectors``: simple ``.class`` / ``#id`` / ``tag.class`` strings
    (or those strings parsed by ``_parse_selector``)."""
    result = PageScan()
    source = page.source
    css_check = any(stem in source for stem in _MARKER_STEMS)
    by_class: dict[str, list] = {}
    by_id: dict[str, list] = {}
    by_tag: dict[str, list] = {}
    for selector in selectors:
        # a selector string, or one parsed already (``SiteProfile.parsed_selectors``)
        parsed = selector if selector.__class__ is tuple else _parse_selector(selector)
        if parsed is None or (parsed[2] or parsed[3] or "") not in source:
            continue
        selector, kind, name, want_tag = parsed
        index = by_class if kind == "class" else by_id if kind == "id" else by_tag
        index.setdefault(name if kind else want_tag, []).append((selector, want_tag))
    # Text nodes are only collected here; one regex pass over them all, joined, follows the
    # walk (a search per node costs several times more than the whole walk). Furniture and the
    # profile's selectors are looked for in walks of their own, lxml picking the tags.
    slots: list = []
    parts: list = []
    body = page.body
    for el in body.iter(etree.Element):  # elements only: comments and the like carry no text
        text = el.text
        if text:
            slots.append(el)
            parts.append(text)
        text = el.tail
        if text:
            slots.append((el,))  # a tail: its element, boxed
            parts.append(text)
    markers = result.markers  # (a set in all but name: its order and repeats do not matter)
    markers.extend(body.iter(*MARKER_TAGS))
    if css_check:  # some furniture stem occurs in the source: look at the containers' class/id
        for el in body.iter(*_CONTAINER_TAGS):
            css = el.get("class")
            ident = el.get("id")
            if (css and not MARKER_TOKENS.isdisjoint(css.split())) or (
                ident and not MARKER_TOKENS.isdisjoint(ident.split())
            ):
                markers.append(el)
    if by_class or by_id:
        _find_selected(body, by_class, by_id, result.by_selector)
    for tag, wanted in by_tag.items():
        for el in body.iter(tag):
            for selector, _ in wanted:
                result.by_selector.setdefault(selector, el)
            break
    if parts:
        _note_matches(page, body, slots, parts, result)
    return result


def _find_selected(body, by_class: dict, by_id: dict, found: dict) -> None:
    """The first element (document order) each ``.class`` / ``#id`` selector names."""
    class_names = by_class.keys()
    left = sum(map(len, by_class.values())) + sum(map(len, by_id.values()))
    for el in body.iter(etree.Element):
        css = el.get("class")
        if css and by_class:
            tokens = css.split()
            if not class_names.isdisjoint(tokens):
                for name in tokens:
                    for selector, want_tag in by_class.get(name, ()):
                        if selector not in found and (want_tag is None or want_tag == el.tag):
                            found[selector] = el
                            left -= 1
        if by_id:
            ident = el.get("id")
            if ident and ident in by_id:
                for selector, want_tag in by_id[ident]:
                    if selector not in found and (want_tag is None or want_tag == el.tag):
                        found[selector] = el
                        left -= 1
        if left <= 0:
            return  # every selector has its element


def _note_matches(page, body, slots: list, parts: list, result: PageScan) -> None:
    """Find the phrases in all text nodes at once ("\\x00" cannot occur in the cleaned text)."""
    joined = "\x00".join(parts)
    lowered = joined.lower()
    if len(lowered) == len(joined):  # lower-casing kept every offset: search it case-sensitively
        joined = lowered
        pattern = _ALL_PATTERN
        kinds = _KIND
    else:  # rare: only the phrases the page's (folded) text holds, case-insensitively
        kinds = {phrase.lower(): _KIND[phrase.lower()] for phrase in page.occurrences(_ALL_PHRASES)}
        if not kinds:
            return
        pattern = re.compile(phrase_pattern(kinds, ignore_case=False).pattern, re.IGNORECASE)
    count = joined.count
    index = last = 0  # the text node holding offset ``last`` (matches come in order)
    for match in pattern.finditer(joined):
        at = match.start()
        index += count("\x00", last, at)
        last = at
        text = parts[index]
        if len(text) >= _MAX_LABEL_TEXT:
            continue
        slot = slots[index]
        key = match.group(0)
        if key not in kinds:  # (spaced or cased otherwise than the phrase)
            key = " ".join(key.split()).lower()
        if slot.__class__ is tuple:
            el = slot[0]
            is_tail = True
            if el is body and kinds is _KIND and key not in page.folded_text:
                continue  # text after </body>: only phrases the body's own text holds count
        else:
            el = slot
            is_tail = False
        kind = kinds[key]
        if kind == "label":
            result.label_hits.append((el, is_tail))
        elif kind == "read":
            result.read_hits.append((el, is_tail))
        elif kind == "home":
            result.home_hits.append((el, is_tail))
        elif len(text) < _MAX_SIDEBAR_TEXT:
            start = joined.rfind("\x00", 0, at) + 1
            if not text[: at - start].strip():
                owner = el.getparent() if is_tail else el
                if owner is not None:
                    result.sidebar_hits.append(owner)


_SIMPLE = re.compile(r"^(?P<tag>[a-zA-Z][\w-]*)?(?:(?P<kind>[.#])(?P<name>[\w-]+))?$")


def _parse_selector(selector: str):
    """``'.sapo'`` -> (selector, 'class', 'sapo'); ``'h1'`` -> (selector, None, None); else None."""
    match = _SIMPLE.match(selector.strip())
    if not match or not (match.group("tag") or match.group("name")):
        return None
    kind = {"." : "class", "#": "id"}.get(match.group("kind") or "")
    return selector, kind, match.group("name"), (match.group("tag") or "").lower() or None
