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

from dvscraper.normalize.text import collapse, text_of

BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 table tbody thead tfoot tr td th blockquote "
    "figure figcaption section article header footer aside nav main center pre address form "
    "hr fieldset legend details summary body html caption".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
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
    hrefs: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return len(self.text.split())


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
    _segments: list = field(default_factory=list)
    _block: object = None
    _block_tag: str = "div"
    _block_ctx: _Ctx = field(default_factory=_Ctx)
    _heading: bool = False
    _started: bool = True
    _stopped: bool = False

    def run(self, container) -> list:
        self._started = self.start_after is None
        # An explicit stack, not recursion: pages nest tens of thousands of tags deep.
        stack: list = [(_ENTER, container, _Ctx(), True)]
        while stack and not self._stopped:
            action, a, b, c = stack.pop()
            if action is _ENTER:
                self._enter(a, b, c, stack)
            elif action is _TEXT:
                if self._started:
                    self._segments.append((a, b))
            else:  # _EXIT: a block element ends
                self._flush()
                self._block, self._block_tag, self._block_ctx, self._heading = a
        self._flush()
        return self.items

    def _enter(self, el, ctx: _Ctx, is_root: bool, stack: list) -> None:
        if el is self.start_after:
            self._flush()
            self._segments.clear()
            self._started = True
            return
        if self.stop_at and not is_root and self._started and el in self.stop_at:
            self._flush()
            self._stopped = True
            return
        if self.skip and not is_root and el in self.skip:
            self._flush()
            if self._started:
                self.items.append(BREAK)
            return
        tag = el.tag
        if tag.__class__ is not str:
            return
        if el.attrib or tag in _STYLED_TAGS:
            style = el.get("style")
            if style and _HIDDEN_STYLE.search(style):
                return
            ctx = self._context(el, tag, style or "", ctx)
        if tag == "br":
            self._flush()
            return
        if tag == "img":
            self._picture(el, standalone=not self._has_text())
            return
        if tag in BLOCK_TAGS:
            if tag == "figure" or (tag == "table" and self._image_table(el)):
                self._flush()
                if self._started:
                    self._captioned_pictures(el, tag)
                return
            if tag == "table" and self._started and _data_table(el):
                self._flush()
                self._table_rows(el)
                return
            self._flush()
            stack.append((_EXIT, (self._block, self._block_tag, self._block_ctx, self._heading), None, None))
            self._block, self._block_tag, self._block_ctx = el, tag, ctx
            self._heading = self._heading or tag in HEADING_TAGS
        for child in reversed(el):
            tail = child.tail
            if tail:
                stack.append((_TEXT, tail, ctx, None))
            stack.append((_ENTER, child, ctx, False))
        if el.text:
            stack.append((_TEXT, el.text, ctx, None))

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

    # -- lines ----------------------------------------------------------------------------
    def _has_text(self) -> bool:
        return any(not text.isspace() for text, _ in self._segments)

    def _flush(self) -> None:
        if not self._segments:
            return
        all_segments = self._segments
        self._segments = []
        if not self._started or self._stopped:
            return
        segments = [s for s in all_segments if not s[0].isspace()]
        if not segments:
            return
        text = collapse("".join(t for t, _ in all_segments))
        if not text:
            return
        ctx = self._block_ctx
        contexts = [c for _, c in segments]
        hrefs = tuple(dict.fromkeys(c.link for c in contexts if c.link))
        line = Line(
            text=text,
            element=self._block,
            tag=self._block_tag,
            bold=all(c.bold for c in contexts),
            italic=all(c.italic for c in contexts),
            align=ctx.align,
            caption_hint=ctx.caption,
            heading_tag=self._heading,
            link_only=all(c.link for c in contexts),
            hrefs=hrefs,
        )
        if self.is_stop_line is not None and self.is_stop_line(line):
            self._stopped = True
            return
        self.items.append(line)

    # -- pictures -------------------------------------------------------------------------
    def _picture(self, img, standalone: bool) -> None:
        if not self._started:
            return
        if self._has_text():
            self._flush()
        self.items.append(make_picture(img, standalone=standalone))

    @staticmethod
    def _image_table(table) -> bool:
        """A small table that frames images with their captions: each row of images is
        followed by a row of captions, one cell per image (one column, or side by side)."""
        images = table.xpath(".//img")
        if not images or len(images) > 4 or table.find(".//table") is not None:
            return False
        rows = table.xpath("./tr|./tbody/tr|./thead/tr")
        if not rows or len(text_of(table)) >= 600:
            return False
        widths = [len(row.xpath("./td|./th")) for row in rows]
        return max(widths) == 1 or all(w == widths[0] for w in widths)

    def _captioned_pictures(self, el, tag: str) -> None:
        if tag == "figure":
            # figcaption, or failing that any text the figure holds (<p class="caption">)
            parts = el.xpath(".//figcaption") or [el]
            caption = collapse(" ".join(text_of(c) for c in parts)) or None
            self._frame(el.xpath(".//img"), [caption])
            return
        rows = el.xpath("./tr|./tbody/tr|./thead/tr")
        pending: list = []  # image cells of the last row of images
        for row in rows:
            cells = row.xpath("./td|./th")
            if row.xpath(".//img"):
                self._frame([img for cell in pending for img in cell], [None] * len(pending))
                pending = [cell.xpath(".//img") for cell in cells if cell.xpath(".//img")]
                continue
            texts = [collapse(text_of(cell)) or None for cell in cells]
            if pending and len(texts) == len(pending):
                for images, caption in zip(pending, texts):
                    self._frame(images, [caption])
            elif pending:
                self._frame([img for cell in pending for img in cell], [collapse(" ".join(t for t in texts if t)) or None])
            pending = []
        self._frame([img for cell in pending for img in cell], [None])

    def _table_rows(self, table) -> None:
        """A data table in the body reads row by row: one line per row, cells side by side."""
        for row in table.xpath("./tr|./tbody/tr|./thead/tr|./tfoot/tr"):
            text = collapse(" ".join(text_of(cell) for cell in row.xpath("./td|./th")))
            if text:
                self.items.append(Line(text=text, element=row, tag="tr"))

    def _frame(self, images: list, captions: list) -> None:
        """Pictures of one frame; the caption goes to the first image it stands under."""
        for index, img in enumerate(images):
            picture = make_picture(img, standalone=True)
            picture.caption = captions[0] if index == 0 and captions else None
            self.items.append(picture)


def _data_table(table) -> bool:
    """Rows of several cells holding short text (no layout inside): a table of figures."""
    if table.find(".//table") is not None or table.find(".//img") is not None or table.find(".//div") is not None:
        return False
    rows = table.xpath("./tr|./tbody/tr|./thead/tr|./tfoot/tr")
    if len(rows) < 2 or max(len(row.xpath("./td|./th")) for row in rows) < 2:
        return False
    return len(text_of(table)) < 8000


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
