"""Where the article ends, found the way a reader finds it: by the page's structure.

After the meta line a reader reads the article's text until blocks of a different kind
begin: teasers of other articles (a linked headline, often with a thumbnail, a date and
a line of summary, repeated as cards or as a list), an attachment box (links to files), a
print footer that spells out the page's own address. Their titles do not matter — "Tin
liên quan", "Phóng sự ảnh khác", "Các văn bản khác" or anything else — so none is
named here; the name lists of ``labels`` stay a fast path in ``structure``.

``trim_to_article(items, ...)`` takes the lines and pictures read after the meta line and
keeps the article's own:

1. every line or picture inside a *teaser* (the small block around a headline link to
   another page, or around a link to a file) is furniture, and so is a short title line
   right before such a run;
2. the text before the first furniture run is the article; a later run of text is the
   article's too only when it continues it (a real paragraph in the same body block as the
   article's paragraphs) or when it is the closing byline; reading ends at the first run
   that does neither;
3. past the article's last real paragraph only what stands inside the body block, or the
   byline, is kept: a footer or a banner after the body is not article.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from dvscraper.normalize.text import collapse, text_of, text_within
from dvscraper.normalize.urls import resolver
from dvscraper.parse.blocks import BLOCK_TAGS, BREAK, Line, Picture, holds_image, within
from dvscraper.parse.byline import is_credit, reads_as_byline, reads_as_byline_tail
from dvscraper.parse.structure import common_ancestor

_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|odt|ods)(?:$|[?#])", re.I)
_PHOTO_LINK = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|tiff?)(?:$|[?#])", re.I)
_URL_IN_TEXT = re.compile(r"(?:https?://|www\.)\S+", re.I)
# A list item of other articles, documents or comments without links: a line that ends with its
# date ("Tuổi trẻ Điện Biên ra quân (03/03/2022)") or opens with a name and a date and a colon
# ("Nguyễn Văn Bình (16/01/2023): Bài viết rất hay ...").
_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}"
_DATED_END = re.compile(
    r"(?:[\(\[]\s*" + _DATE + r"(?:[^)\]]{0,12})[\)\]]\s*\.?|\s[-–|]?\s*" + _DATE
    + r"(?:\s*[-–,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?)\s*$"
)
_DATED_START = re.compile(r"[^.!?:]{2,60}?[\(\[]\s*" + _DATE + r"[^)\]]{0,12}[\)\]]\s*:")
_COPYRIGHT = re.compile(r"^\W*(?:©|\(c\)\s|copyright\b|bản\s+quyền\s+(?:©|\(c\)|thuộc\b|\d{4}))", re.I)
_CARD_MAX_CHARS = 600  # a teaser card is small: a title, a date, a line or two of summary
_MIN_PARAGRAPH_WORDS = 12  # a real paragraph of prose
_MAX_BOX_TITLE_WORDS = 10
_BLOCKS = tuple(BLOCK_TAGS)
_INLINE_TAGS = frozenset("span font b strong i em u small big sup sub mark cite q s strike".split())
_INLINE_CONTEXT = 15  # characters of prose on a side of a link that make it part of a sentence


def teaser_roots(container, meta_el, url: str, own: str | None) -> set:
    """The small blocks of ``container`` built around a headline link to another page or a
    link to a file: teaser cards, list items of other articles, attachment rows."""
    meta_chain = {meta_el, *meta_el.iterancestors()}
    roots: set = set()
    links = list(container.iter("a"))
    if not links:
        return roots
    resolve = resolver(url)
    targets = {link: _teaser_target(link, resolve, own) for link in links}
    sizes: dict = {}  # element -> the length of its text, -1 when it is longer than a card's
    for link in links:
        target = targets[link]
        if target is None:
            continue
        root = link
        while True:
            parent = root.getparent()
            if parent is None or parent in meta_chain or parent is container:
                break
            size = sizes.get(parent)
            if size is None:
                shown = text_within(parent, _CARD_MAX_CHARS)
                size = sizes[parent] = -1 if shown is None else len(shown)
            if size < 0:
                break
            if size != _size(root, sizes) and not _one_card(parent, root, target, targets):
                break  # (a wrapper that adds no text to the card is the card still)
            root = parent
        if root not in meta_chain:
            roots.add(root)
    return roots


def _size(el, sizes: dict) -> int:
    size = sizes.get(el)
    if size is None:
        size = sizes[el] = len(text_of(el))
    return size


def _teaser_target(link, resolve, own: str | None) -> str | None:
    """The page or file a teaser's link leads to; None for a link that is no teaser's."""
    href = link.get("href")
    if not href:
        return None
    target = resolve(href)
    if target is None or _PHOTO_LINK.search(target):
        return None  # no page, or a photo linked to its full-size file
    if not _FILE_LINK.search(target):
        if own is not None and target.rstrip("/").lower() == own:
            return None
        if len(text_of(link).split()) < 4 and not (holds_image(link) and _same_host(target, own)):
            return None  # a menu item, "Xem thêm", a page number, a share button
    if _inline(link):
        return None  # a link inside a sentence of the article
    block = _block_of(link)
    if block is not None:
        shown = text_within(block, 200)
        if shown is not None and is_credit(collapse(shown)):
            return None  # "Nguồn: <a>Báo Điện Biên Phủ</a>": the byline
    return target


def _one_card(parent, root, target: str, targets: dict) -> bool:
    """Is ``parent`` still one teaser: no link to another teaser's target, at most one line of
    prose (its summary) and no credit line beside ``root``?"""
    for link in parent.iter("a"):
        if link is root or within(link, root):
            continue
        other = targets.get(link)
        if other is not None and other != target:
            return False  # a second teaser: ``parent`` is the list, not the card
    prose = 0
    for child in parent:
        if child is root or child.tag.__class__ is not str:
            continue
        for el in child.iter(*_BLOCKS):
            shown = text_of(el)
            words = shown.split()
            if not words:
                continue
            if is_credit(" ".join(words)):
                return False
            if len(words) >= _MIN_PARAGRAPH_WORDS and not any(True for _ in el.iter("a")):
                prose += 1
    return prose <= 1


def _same_host(target: str, own: str | None) -> bool:
    return own is not None and urlsplit(target).hostname == urlsplit(own).hostname


def _block_of(el):
    for ancestor in el.iterancestors():
        if ancestor.tag in BLOCK_TAGS:
            return ancestor
    return None


def _inline(link) -> bool:
    """Does prose run on either side of the link, inside one sentence?"""
    previous = link.getprevious()
    if previous is None:
        before = link.getparent().text or ""
    else:  # the prose may sit in a word-processor span right before the link
        before = previous.tail or ""
        if not before.strip() and previous.tag in _INLINE_TAGS:
            before = text_of(previous)
    after = link.tail or ""
    following = link.getnext()
    if not after.strip() and following is not None and following.tag in _INLINE_TAGS:
        after = text_of(following)
    before = before.rstrip()
    after = after.lstrip()
    if (len(before) >= _INLINE_CONTEXT and before[-1:].isalnum()) or before.endswith(","):
        return True
    return len(after) >= _INLINE_CONTEXT and after[:1].isalnum() and not after[:1].isdigit()


def inside(el, roots: set, stop) -> bool:
    """Is ``el`` in one of ``roots`` (looked for up to ``stop``)?"""
    node = el
    while node is not None and node is not stop:
        if node in roots:
            return True
        node = node.getparent()
    return False


def is_real_paragraph(item) -> bool:
    return isinstance(item, Line) and not item.link_only and item.words >= _MIN_PARAGRAPH_WORDS


def names_page_address(line: Line) -> bool:
    """A line that spells out a web address ("Địa chỉ bài viết: https://...", a print footer)
    or claims the copyright ("© 2024 ...", "Bản quyền ...", "Copyright ...")."""
    text = line.text
    if ("http" in text or "www." in text) and line.words <= 40 and _URL_IN_TEXT.search(text):
        return True
    return bool(_COPYRIGHT.match(text))


def trim_to_article(items: list, container, roots: set) -> list:
    """The article's own lines and pictures among ``items`` (see the module docstring);
    ``roots``: the container's ``teaser_roots``."""
    if not items:
        return items
    marks = []  # True: furniture (a teaser, a box title, a print footer, a region left out)
    footers = set()  # the blocks of print-footer lines
    for item in items:
        if item is BREAK:
            marks.append(True)
            continue
        furniture = bool(roots) and inside(item.element, roots, container)
        if isinstance(item, Line) and names_page_address(item):
            footers.add(item.element)
            furniture = True
        marks.append(furniture)
    _mark_dated_runs(items, marks)
    if footers:  # the rest of a footer's block: "Địa chỉ bài viết: ...<br>Bản quyền ..."
        marks = [m or (isinstance(i, Line) and i.element in footers) for i, m in zip(items, marks)]
    for index in range(len(items) - 1):
        item = items[index]
        if not marks[index] and marks[index + 1] and isinstance(item, Line) and _reads_as_box_title(item):
            run = 0  # the furniture that follows: a box (a region left out, or two teasers at least)
            for following, furniture in zip(items[index + 1 :], marks[index + 1 :]):
                if not furniture:
                    break
                run += 2 if following is BREAK else 1
            if run >= 2:
                marks[index] = True
    # the article, then each later run of text that continues it
    kept: list = []
    segment: list = []
    first = True
    for item, furniture in zip([*items, None], [*marks, True]):
        if not furniture:
            segment.append(item)
            continue
        if not segment:
            continue
        if first:
            kept.extend(segment)
            first = False
        elif _continues(segment, kept, container):
            kept.extend(segment)
        else:
            if not any(isinstance(i, Line) and reads_as_byline(i) for i in kept[-2:]):
                kept.extend(_closing_byline(segment))
            break
        segment = []
    return _end_at_byline(_trim_after_body(kept))


def _end_at_byline(kept: list) -> list:
    """The article ends at its byline: a line in a byline form after the text, with no prose
    after it that goes on beside the article's paragraphs (what follows is a box, comments,
    a like bar). A "(Theo ...)" line right after it is the byline's second line."""
    parents: set = set()
    seen_prose = False
    for index, item in enumerate(kept):
        if not isinstance(item, Line):
            continue
        if is_real_paragraph(item) and not reads_as_byline(item):
            if seen_prose and item.element is not None:  # (the first one may be a lead of its own)
                parents.add(item.element.getparent())
                parents.add(item.element)
            seen_prose = True
            continue
        if not parents or not reads_as_byline(item):
            continue  # (a credit line under the lead, before the body, ends nothing)
        rest = kept[index + 1 :]
        if any(_goes_on(other, parents) for other in rest):
            continue
        end = index + 1
        if rest and isinstance(rest[0], Line) and reads_as_byline_tail(rest[0]):
            end += 1
        return kept[:end] + [item for item in kept[end:] if isinstance(item, Picture)]
    return kept


def _goes_on(item, parents: set) -> bool:
    if not is_real_paragraph(item) or item.element is None or is_dated_item(item):
        return False
    return item.element in parents or item.element.getparent() in parents


def is_dated_item(line: Line) -> bool:
    """A line of a list of other articles, documents or comments (see ``_DATED_ITEM``)."""
    if line.tag == "tr" or line.words > 60:
        return False
    text = line.text
    return bool(_DATED_END.search(text[-48:]) or _DATED_START.match(text[:100]))


def _mark_dated_runs(items: list, marks: list) -> None:
    """Two or more dated items in a row (pictures between them aside) are a box of teasers."""
    run: list[int] = []
    for index, item in enumerate([*items, None]):
        if isinstance(item, Picture):
            continue
        if isinstance(item, Line) and not marks[index] and is_dated_item(item):
            run.append(index)
            continue
        if len(run) >= 2:
            for at in run:
                marks[at] = True
        run = []


def _reads_as_box_title(line: Line) -> bool:
    if line.tag == "tr" or line.words > _MAX_BOX_TITLE_WORDS or line.text.endswith((".", "?", "!", ";")):
        return False
    return not reads_as_byline(line)


def _paragraph_parents(items: list) -> list:
    parents = []
    for item in items:
        if is_real_paragraph(item) and item.element is not None:
            parent = item.element.getparent()
            parents.append(parent if parent is not None else item.element)
    return parents


def _body_block(kept: list):
    """The lowest element holding the blocks of the real paragraphs of ``kept`` (the first
    one left out when two more follow: a lead often stands in an element of its own)."""
    parents = _paragraph_parents(kept)
    if len(parents) >= 3:
        parents = parents[1:]
    if not parents:
        return None
    block = parents[0]
    for parent in parents[1:]:
        block = common_ancestor(block, parent)
    return block


def _continues(segment: list, kept: list, container) -> bool:
    """Does a run of text after a box go on with the article: a real paragraph that stands
    beside the article's paragraphs (the same parent, the same <br>-split block, or inside the
    block that holds them all, however each is wrapped)? After the lead alone, any real
    paragraph does: an article does not end at its lead."""
    parents = _paragraph_parents(kept)
    if len(parents) <= 1:
        return any(is_real_paragraph(i) for i in segment)
    elements = {item.element for item in kept if is_real_paragraph(item)}
    parent_set = set(parents)
    block = _body_block(kept)
    if block is container or block is None or block.tag in ("body", "html"):
        block = None
    # the body split into sibling parts of one kind (<section class="part"> ... <section class="part">)
    parts = {(p.getparent(), p.tag, p.get("class")) for p in parent_set if p.getparent() is not None}
    for item in segment:
        if is_real_paragraph(item) and item.element is not None and not is_dated_item(item):
            parent = item.element.getparent()
            if item.element in elements or parent in parent_set:
                return True
            if block is not None and within(item.element, block):
                return True
            if parent is not None and (parent.getparent(), parent.tag, parent.get("class")) in parts:
                return True
    return False


def _closing_byline(segment: list) -> list:
    """The byline when it is what a run after the article starts with (a box came between):
    its line, and a "(Theo ...)" line right after it."""
    for index, item in enumerate(segment[:2]):
        if isinstance(item, Line) and reads_as_byline(item):
            after = segment[index + 1 : index + 2]
            if after and isinstance(after[0], Line) and reads_as_byline_tail(after[0]):
                return [item, after[0]]
            return [item]
    return []


def _trim_after_body(kept: list) -> list:
    last = max((i for i, item in enumerate(kept) if is_real_paragraph(item)), default=-1)
    if last < 0:
        return kept
    block = _body_block(kept)
    if block is None:
        return kept
    result = kept[: last + 1]
    byline_seen = False
    for item in kept[last + 1 :]:
        element = item.element if item is not None else None
        if element is not None and within(element, block):
            result.append(item)
        elif isinstance(item, Line) and not byline_seen and reads_as_byline(item):
            result.append(item)
            byline_seen = True
    return result
