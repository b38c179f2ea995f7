"""Find the meta line: ``Thời gian đăng: 13/01/2023 05:36:49 PM - Lượt đọc: 7444``.

Anchored on the labels a reader sees, not on tags: a candidate is the smallest
short element whose text holds a publish-time label followed by a date, or a
date together with a read-count label. Time and read count may sit in one
element or in two (label and value split across elements too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dvscraper.normalize.dates import match_published
from dvscraper.normalize.text import spaced_text_within
from dvscraper.parse.blocks import BLOCK_TAGS, holds
from dvscraper.parse.labels import PUBLISHED_LABELS, READ_COUNT_LABELS


def _alternation(labels: tuple[str, ...]) -> str:
    ordered = sorted(labels, key=len, reverse=True)
    return "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in ordered)


_PUBLISHED = re.compile(r"(?:" + _alternation(PUBLISHED_LABELS) + r")(?!\w)(?:\s+lúc|\s+ngày)?\s*:?\s*", re.I)
# What may stand between a label and its date: separators, a weekday, "ngày" (day), "lúc" (at).
_LABEL_TO_DATE = re.compile(r"[\s,:\-–|(]*(?:(?:thứ\s+\w+|chủ\s+nhật)[\s,\-]*)?(?:ngày\s*)?(?:lúc\s*)?", re.I)
_READ = re.compile(
    r"(?:" + _alternation(READ_COUNT_LABELS) + r")\s*:?\s*(?P<count>\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+)", re.I
)
# Where a label occurs: the word it ends with, as written on the page, found in the
# page's text first; the tree is then asked only for text nodes holding those words.
_MAX_META_CHARS = 300
_MAX_HITS = 400  # label occurrences examined: more is a page of teasers or junk
_MAX_META_CHILDREN = 40  # an element with more children is a container, not a meta line
_TOOLBAR = re.compile(r"in bài|bản in|gửi email|gửi bài|chia sẻ|bình luận|facebook|zalo|tweet", re.I)
_MAX_EXTRA_CHARS = 60  # what a meta line's block may hold beside it (read count, "In bài")
_MAX_LEADING_CHARS = 40  # text before the label on its line ("Tin tức | Thời gian đăng: ...")
_INLINE_SPLIT = re.compile(r"\s*(?:[-|–—•]\s*)+$")


@dataclass(frozen=True, slots=True)
class MetaLine:
    element: object
    published_raw: str | None
    read_count_raw: str | None
    has_time_label: bool


def find_meta_lines(page) -> list[MetaLine]:
    """Every meta-line candidate of the page, in document order, without repeats."""
    scan = page.scan()
    found = _metas_at(scan.label_hits)
    if not found:  # no publish-time label at all: a date beside a read count may stand for one
        found = _metas_at(scan.read_hits)
    # A meta line inside another (the <time> inside "time - read count"): keep the outer one,
    # so the whole line, read count included, is behind the reader when the body starts.
    elements = {id(m.element) for m in found}
    return [m for m in found if not any(id(a) in elements for a in m.element.iterancestors())]


def _metas_at(hits: list) -> list[MetaLine]:
    found: list[MetaLine] = []
    seen: set = set()
    for el, is_tail in hits[:_MAX_HITS]:
        meta = _meta_at(el.getparent() if is_tail else el, seen)
        if meta is not None:
            seen.add(meta.element)
            found.append(meta)
    return found


def _meta_at(el, seen: set) -> MetaLine | None:
    """Climb at most four levels to the smallest short element forming a meta line."""
    for _ in range(4):
        if el is None or el.tag in ("body", "html"):
            return None
        if el in seen or len(el) > _MAX_META_CHILDREN:
            return None
        text = spaced_text_within(el, _MAX_META_CHARS)
        if text is None:
            return None
        meta = read_meta(el, text)
        if meta is not None:
            # a block that also holds the title is not the meta line
            if _holds_heading(el):
                return None
            if ":" not in (meta.published_raw or "") or (el.tag not in BLOCK_TAGS and _continued(el)):
                meta, text = _fuller(meta, text)  # a date without its time, or a span cut short
            return _whole_line(meta, text)
        el = el.getparent()
    return None


_CONTINUATION = re.compile(r"^\s*(?:[0-9]|[AaPpSsCc][MmAaHh]\b|[.:/])")


def _continued(el) -> bool:
    """Does the text right after ``el`` go on with its date or time ("PM", "05:36", "/2023")?"""
    after = el.tail
    if not (after and after.strip()):
        following = el.getnext()
        after = (following.text if following is not None and following.tag.__class__ is str else None) or ""
    return bool(_CONTINUATION.match(after))


def _fuller(meta: MetaLine, text: str) -> tuple[MetaLine, str]:
    """The meta line read from an ancestor when the element cut it short: the line's words
    split over several spans ("<span>Thời gian đăng: 13/01/2023 </span><span>05:36:49 PM -
    Lượt </span><span>đọc: 7444</span>") give the date alone in the first one."""
    el = meta.element
    for _ in range(2):
        parent = el.getparent()
        if parent is None or parent.tag in ("body", "html") or len(parent) > _MAX_META_CHILDREN:
            break
        wider = spaced_text_within(parent, _MAX_META_CHARS)
        if wider is None or _holds_heading(parent):
            break
        found = read_meta(parent, wider)
        if found is None or found.published_raw is None:
            break
        if len(found.published_raw) > len(meta.published_raw or "") or (
            found.read_count_raw is not None and meta.read_count_raw is None
        ):
            meta, text = found, wider
        el = parent
    return meta, text


def _holds_heading(el) -> bool:
    """Is there an ``h1``-``h3`` below ``el`` (``el`` itself not counted, as in ``.//h1``)?"""
    for heading in el.iter("h1", "h2", "h3"):
        if heading is not el:
            return True
    return False


def _whole_line(meta: MetaLine, text: str) -> MetaLine:
    """Widen the meta line to the block that holds only it and its read count / toolbar
    ("<div><span>Thời gian đăng: ...</span> <b>Lượt đọc: 9</b></div>"), so that none of it is
    read as article text."""
    el = meta.element
    parent = el.getparent()
    while parent is not None and parent.tag not in ("body", "html") and len(parent) <= _MAX_META_CHILDREN:
        wider = spaced_text_within(parent, _MAX_META_CHARS)
        if wider is None or len(wider) - len(text) > _MAX_EXTRA_CHARS or _holds_heading(parent):
            break
        extra = _TOOLBAR.sub(" ", _READ.sub(" ", wider.replace(text, " ", 1)))
        if extra.strip(" -|•:/()[]"):
            break  # the block holds something else too (a short title, a date line)
        el, text, parent = parent, wider, parent.getparent()
    if el is meta.element:
        return meta
    read = meta.read_count_raw
    if read is None:
        found = _READ.search(text)
        read = found.group("count") if found else None
    return MetaLine(el, meta.published_raw, read, meta.has_time_label)


def read_meta(el, text: str) -> MetaLine | None:
    """The meta line in ``text`` (the element's collapsed text), or None."""
    label = _PUBLISHED.search(text)
    read = _READ.search(text)
    if label and label.start() <= _MAX_LEADING_CHARS:
        rest = text[label.end():]
        if read and read.start() > label.end():
            rest = text[label.end():read.start()]
        date = match_published(rest[:80])
        if date is not None and _LABEL_TO_DATE.fullmatch(rest[: date.start()]):
            raw = _INLINE_SPLIT.sub("", rest[: date.end()]).strip()
            return MetaLine(el, raw, read.group("count") if read else _read_near(el), True)
        if _free_date_hint(rest):
            raw = _INLINE_SPLIT.sub("", rest[:60]).strip()
            return MetaLine(el, raw, read.group("count") if read else _read_near(el), True)
    if read:
        date = match_published(text)
        if date is not None and date.group("H") is not None:
            return MetaLine(el, date.group(0).strip(), read.group("count"), False)
    return None


_FREE_DATE = re.compile(r"^\s*(?:thứ\s+\w+|chủ\s+nhật)?[,\s]*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}", re.I)


def _free_date_hint(rest: str) -> bool:
    return bool(_FREE_DATE.match(rest))


def read_count_in(el) -> str | None:
    """The count after a read-count label in the (short) text of ``el`` or of its parent."""
    for node in (el, el.getparent()):
        if node is None or node.tag in ("body", "html"):
            return None
        text = spaced_text_within(node, _MAX_META_CHARS)
        if text is not None:
            match = _READ.search(text)
            if match:
                return match.group("count")
    return None


def _read_near(el) -> str | None:
    """A read count beside the meta line: in the (short) parent, or in a short neighbouring
    block of the line or of one of its three nearest ancestors (the next or previous table
    row, the line above or below)."""
    parent = el.getparent()
    if parent is not None and len(parent) <= _MAX_META_CHILDREN:
        text = spaced_text_within(parent, _MAX_META_CHARS * 2)
        if text is not None:
            match = _READ.search(text)
            if match:
                return match.group("count")
    node = el
    for _ in range(3):
        if node is None or node.tag in ("body", "html") or spaced_text_within(node, _MAX_META_CHARS) is None:
            break  # climbed out of the meta line's own small block
        for sibling in (node.getnext(), node.getprevious()):
            if sibling is None or not isinstance(sibling.tag, str) or len(sibling) > _MAX_META_CHILDREN:
                continue
            if holds(sibling, "a") or sibling.tag == "a":
                continue  # another article's teaser, not this line's count
            text = spaced_text_within(sibling, _MAX_META_CHARS // 2)
            if text is not None:
                match = _READ.search(text)
                if match:
                    return match.group("count")
        node = node.getparent()
    return None
