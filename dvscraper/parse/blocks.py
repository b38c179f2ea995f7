"""Flatten a region of the page into what a reader sees: lines of text and pictures.

A *line* is one visual paragraph: the text of a block element (``p``, ``div``,
``li``, ``td``, ``h2``...), or a run of text ended by ``<br>``. Each line keeps
the styling a reader notices (bold, italic, centred/right-aligned, a heading
tag, a caption class, all-link). A *picture* is an image with the caption its
markup ties to it (``figure/figcaption`` or a one-column table around it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from dvscraper.normalize.text import collapse, text_of

BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead tfoot tr td th blockquote "
    "figure figcaption section article header footer aside nav main center pre address form "
    "hr fieldset legend details summary body html caption".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# A photo: <img>, or AMP's <amp-img> (whose <noscript><img> fallback is dropped with the scripts).
IMAGE_TAGS = ("img", "amp-img")
# Tags that change how a reader sees the text even without attributes.
_STYLED_TAGS = frozenset("b strong i em cite h1 h2 h3 h4 h5 h6 figcaption center a".split())
BOLD_TAGS = frozenset(("b", "strong"))
ITALIC_TAGS = frozenset(("i", "em", "cite"))
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.I)
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(center|right|left|justify)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CAPTION_CLASS = re.compile(r"caption|chuthich|chu-thich|img-desc|image-desc|photo-desc|imgnote|note-img|expnote", re.I)


@dataclass(slots=True)
class Line:
    text: str
    element: object  # the block element that owns the line
    tag: str
    bold: bool = False
    italic: bool = False
    align: str | None = None
    caption_hint: bool = False
    heading_tag: bool = False
    link_only: bool = False
    words: int = field(default=-1, compare=False)  # the text's word count, counted once

    def __post_init__(self) -> None:
        if self.words < 0:
            self.words = self.text.count(" ") + 1 if self.text else 0  # (the text is collapsed)


@dataclass(slots=True)
class Picture:
    element: object
    src: str | None
    alt: str | None
    title: str | None
    caption: str | None = None  # set when the markup itself ties a caption to the image
    standalone: bool = True  # no text shares its block


@dataclass(slots=True)
class _Ctx:
    bold: bool = False
    italic: bool = False
    align: str | None = None
    caption: bool = False
    link: str | None = None


_ENTER, _TEXT, _EXIT = object(), object(), object()
_ROWS = etree.XPath("./tr|./tbody/tr|./thead/tr")
_ALL_ROWS = etree.XPath("./tr|./tbody/tr|./thead/tr|./tfoot/tr")
_CELL_TAGS = ("td", "th")


def below(el, *tags: str) -> list:
    """The descendants of ``el`` with one of ``tags``, in document order (``.//tag``)."""
    return [x for x in el.iter(*tags) if x is not el]


def within(el, ancestor) -> bool:
    """Is ``el`` the element ``ancestor`` or inside it?"""
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


def holds(el, tag: str) -> bool:
    """Is there a ``tag`` element below ``el`` (``el.find('.//tag') is not None``)?"""
    for x in el.iter(tag):
        if x is not el:
            return True
    return False


def photos(el) -> list:
    """The pictures below ``el`` that may be photos (no tiny pixel or icon), in document order."""
    return [img for img in below(el, *IMAGE_TAGS) if not _inline_icon(img, False)]


def holds_image(el) -> bool:
    """Is there a photo element below ``el``?"""
    return any(x is not el for x in el.iter(*IMAGE_TAGS))


def _cells(row) -> list:
    """``row.xpath('./td|./th')``."""
    return [cell for cell in row if cell.tag in _CELL_TAGS]


BREAK = "<region left out>"  # where a skipped region (a related-articles box) stood


@dataclass
class Flattener:
    """Walks a container in document order, after ``start_after`` until a stop.

    ``stop_at`` holds elements where reading ends (another article's meta line,
    a sidebar widget, the footer); ``is_stop_line(line)`` ends reading at a line
    (e.g. a "Tin liên quan" heading).
    """

    start_after: object | None = None
    stop_at: frozenset = frozenset()
    is_stop_line: object = None
    skip: frozenset = frozenset()  # regions left out, each marked by a BREAK item (related lists)
    items: list = field(default_factory=list)

    def run(self, container) -> list:
        # The walk keeps its state in local variables (it runs once per element: attribute
        # access on ``self`` there costs more than the work); ``flush`` ends the current line.
        items = self.items
        start_after = self.start_after
        stop_at = self.stop_at
        skip = self.skip
        is_stop_line = self.is_stop_line
        segments: list = []  # (text, context) of the line being read
        started = start_after is None
        stopped = False
        block, block_tag, block_ctx, heading = None, "div", _Ctx(), False

        def flush() -> None:
            nonlocal stopped
            if not segments:
                return
            all_segments = segments[:]
            segments.clear()
            if not started or stopped:
                return
            # the styling of each distinct context that holds visible text, in order of appearance
            contexts = {id(c): c for t, c in all_segments if not t.isspace()}
            if not contexts:
                return
            text = collapse("".join([t for t, _ in all_segments]))
            if not text:
                return
            bold = italic = link_only = True
            for c in contexts.values():
                bold = bold and c.bold
                italic = italic and c.italic
                link_only = link_only and bool(c.link)
            line = Line(
                text,
                block,
                block_tag,
                bold,
                italic,
                block_ctx.align,
                block_ctx.caption,
                heading,
                link_only,
            )
            if is_stop_line is not None and is_stop_line(line):
                stopped = True
                return
            items.append(line)

        # lxml walks the tree (no recursion: pages nest tens of thousands of tags deep); each
        # element's "end" comes after its subtree, or right after its "start" when the subtree
        # is left out. ``opened`` holds, per open element, its parent's context and, for a
        # block, the line state to restore when it ends.
        context = self._context
        ctx = _Ctx()
        opened: list = []
        push = opened.append
        walker = etree.iterwalk(container, events=("start", "end"))
        leave_out = walker.skip_subtree
        for event, el in walker:
            if stopped:
                break
            if event == "end":
                ctx, saved = opened.pop()
                if saved is not None:  # a block element ends
                    if segments:
                        flush()
                    block, block_tag, block_ctx, heading = saved
                if el is not container:
                    tail = el.tail
                    if tail and started:
                        segments.append((tail, ctx))
                continue
            push((ctx, None))
            if el is start_after:
                flush()
                segments.clear()
                started = True
                leave_out()
                continue
            if el is not container:
                if stop_at and started and el in stop_at:
                    flush()
                    stopped = True
                    break
                if skip and el in skip:
                    flush()
                    if started:
                        items.append(BREAK)
                    leave_out()
                    continue
            tag = el.tag
            if tag.__class__ is not str:
                leave_out()
                continue
            if tag in _STYLED_TAGS:
                style = el.get("style")
                if style and _HIDDEN_STYLE.search(style):
                    leave_out()
                    continue
                ctx = context(el, tag, style or "", ctx)
            elif el.attrib:
                style = el.get("style")
                if style:
                    if _HIDDEN_STYLE.search(style):
                        leave_out()
                        continue
                    ctx = context(el, tag, style, ctx)
                else:
                    css = el.get("class")
                    if el.get("align") or (css and _CAPTION_CLASS.search(css)):
                        ctx = context(el, tag, "", ctx)
                    # else: nothing a reader sees changes (see ``_context``)
            if tag in BLOCK_TAGS:
                if tag == "figure" or (tag == "table" and self._image_table(el)):
                    flush()
                    if started:
                        self._captioned_pictures(el, tag)
                    leave_out()
                    continue
                if tag == "table" and started and _data_table(el):
                    flush()
                    self._table_rows(el)
                    leave_out()
                    continue
                if segments:
                    flush()
                opened[-1] = (opened[-1][0], (block, block_tag, block_ctx, heading))
                block, block_tag, block_ctx = el, tag, ctx
                heading = heading or tag in HEADING_TAGS
            elif tag == "br":
                flush()
                leave_out()
                continue
            elif tag in IMAGE_TAGS:
                has_text = any(not text.isspace() for text, _ in segments)
                if _inline_icon(el, has_text):
                    leave_out()  # an emoji, an icon or a tracking pixel: no photo, and no break of its line
                    continue
                if started:
                    if has_text:
                        flush()
                    items.append(make_picture(el, standalone=not has_text))
                leave_out()
                continue
            text = el.text
            if text and started:
                segments.append((text, ctx))
        flush()
        return items

    @staticmethod
    def _context(el, tag: str, style: str, ctx: _Ctx) -> _Ctx:
        bold = ctx.bold or tag in BOLD_TAGS or tag in HEADING_TAGS
        italic = ctx.italic or tag in ITALIC_TAGS
        align = ctx.align
        caption = ctx.caption or tag == "figcaption"
        link = ctx.link
        if style:
            bold = bold or bool(_BOLD_STYLE.search(style))
            italic = italic or bool(_ITALIC_STYLE.search(style))
            found = _ALIGN_STYLE.search(style)
            if found:
                align = found.group(1).lower()
        attr_align = el.get("align")
        if attr_align:
            align = attr_align.lower()
        if tag == "center":
            align = "center"
        css = el.get("class")
        if css and _CAPTION_CLASS.search(css):
            caption = True
        if tag == "a":
            link = el.get("href") or link
        if (bold, italic, align, caption, link) == (ctx.bold, ctx.italic, ctx.align, ctx.caption, ctx.link):
            return ctx
        return _Ctx(bold, italic, align, caption, link)

    # -- pictures -------------------------------------------------------------------------
    @staticmethod
    def _image_table(table) -> bool:
        """A small table that frames images with their captions: each row of images is
        followed by a row of captions, one cell per image (one column, or side by side)."""
        images = photos(table)
        if not images or len(images) > 4 or holds(table, "table"):
            return False
        rows = _ROWS(table)
        if not rows or len(text_of(table)) >= 600:
            return False
        widths = [len(_cells(row)) for row in rows]
        return max(widths) == 1 or all(w == widths[0] for w in widths)

    def _captioned_pictures(self, el, tag: str) -> None:
        if tag == "figure":
            # figcaption, or failing that any text the figure holds (<p class="caption">)
            parts = below(el, "figcaption") or [el]
            caption = collapse(" ".join(text_of(c) for c in parts)) or None
            self._frame(photos(el), [caption])
            return
        rows = _ROWS(el)
        pending: list = []  # image cells of the last row of images
        for row in rows:
            cells = _cells(row)
            if photos(row):
                self._frame([img for cell in pending for img in cell], [None] * len(pending))
                pending = [images for images in (photos(cell) for cell in cells) if images]
                continue
            texts = [collapse(text_of(cell)) or None for cell in cells]
            if pending and len(texts) == len(pending):
                for images, caption in zip(pending, texts):
                    self._frame(images, [caption])
            elif pending:
                caption = collapse(" ".join(t for t in texts if t)) or None
                self._frame([img for cell in pending for img in cell], [caption])
            pending = []
        self._frame([img for cell in pending for img in cell], [None])

    def _table_rows(self, table) -> None:
        """A data table in the body reads row by row: one line per row, cells side by side."""
        for row in _ALL_ROWS(table):
            text = collapse(" ".join(text_of(cell) for cell in _cells(row)))
            if text:
                self.items.append(Line(text=text, element=row, tag="tr"))

    def _frame(self, images: list, captions: list) -> None:
        """Pictures of one frame; the caption goes to the first image it stands under."""
        for index, img in enumerate(images):
            picture = make_picture(img, standalone=True)
            picture.caption = captions[0] if index == 0 and captions else None
            self.items.append(picture)


_MAX_CELL_BLOCK_CHARS = 200  # a <div> in a cell of a table of figures holds a figure or a label


def _data_table(table) -> bool:
    """Rows of several cells holding short text (no layout inside): a table of figures."""
    if holds(table, "table") or holds_image(table):
        return False
    if any(len(text_of(div)) > _MAX_CELL_BLOCK_CHARS for div in below(table, "div")):
        return False  # a block of prose inside a cell: a layout table, not a table of figures
    rows = _ALL_ROWS(table)
    if len(rows) < 2 or max(len(_cells(row)) for row in rows) < 2:
        return False
    return len(text_of(table)) < 8000


_ICON_FILE = re.compile(r"(?:icon|emoji|smiley|pixel|spacer|blank|bullet|arrow|dot)[\w-]*\.\w+$|^data:", re.I)


def _inline_icon(img, in_text: bool) -> bool:
    """A picture that is no photo: tiny by its declared size (anywhere), or, inside a line of
    text, an icon, emoji or pixel by its file (lazy photos keep their real file elsewhere)."""
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 32:
            return True
    if not in_text or any(img.get(attr) for attr in _LAZY_SRC):
        return False
    return bool(_ICON_FILE.search((img.get("src") or "").strip()))


# Lazy-loading attributes hold the real photo; ``src`` then holds a placeholder.
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full")


def make_picture(img, standalone: bool) -> Picture:
    src = img.get("src")
    for attr in _LAZY_SRC:
        lazy = img.get(attr)
        if lazy and lazy.strip() and not lazy.strip().startswith("data:"):
            src = lazy
            break
    alt = img.get("alt")
    title = img.get("title")
    return Picture(
        element=img,
        src=src.strip() if src else None,
        alt=collapse(alt) or None if alt is not None else None,
        title=collapse(title) or None if title is not None else None,
        standalone=standalone,
    )


def flatten(container, *, start_after=None, stop_at=frozenset(), is_stop_line=None, skip=frozenset()) -> list:
    """Lines and pictures of ``container`` in document order (see ``Flattener``)."""
    return Flattener(start_after=start_after, stop_at=stop_at, is_stop_line=is_stop_line, skip=skip).run(container)
