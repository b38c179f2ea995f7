"""Content-preserving rewrites of saved article pages (for ``tests/test_rewrites.py``).

A rewrite changes a page's markup or encoding but nothing a reader sees, so the parsed
record of the rewritten page must equal the fixture's expected record. Each rewrite is a
pure, deterministic function ``(html: bytes, expected: dict) -> bytes``; only the two that
must find where the article stands (``teaser-box-after``, ``sidebar-first``) read
``expected`` (to locate the title, body paragraphs and byline by their text).

The page is decoded with its own declaration (BOM, then ``<meta charset>``, then UTF-8,
then windows-1258), so a fixture served in a legacy charset is rewritten as text, and
tree rewrites write it back in that same charset (characters it lacks become numeric
references). Tree edits use lxml; re-serialising moves the provenance comment after the
doctype and normalises markup, which changes bytes but nothing a reader sees.

A rewrite that cannot apply raises ``RewriteError`` (the tests then fail with its message:
nothing is skipped).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from html import escape as html_escape
from urllib.parse import urljoin, urlsplit

from lxml import etree


class RewriteError(Exception):
    """A rewrite could not be applied to a page (reported as a test failure)."""


# --- decoding, parsing, serialising -------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_page(html: bytes) -> tuple[str, str]:
    """(text, codec name) of page bytes, by their own declaration."""
    for bom, encoding in _BOMS:
        if html.startswith(bom):
            return html[len(bom):].decode(encoding), "utf-8"
    candidates = []
    declared = _META_CHARSET.search(html, 0, 4096)
    if declared:
        try:
            candidates.append(codecs.lookup(declared.group(1).decode("ascii")).name)
        except LookupError:
            pass
    candidates += ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            return html.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RewriteError("page bytes decode in neither the declared charset, UTF-8 nor windows-1258")


def parse_tree(text: str) -> etree._ElementTree:
    """The lxml tree of page text, comments kept (the parser of the rewrites, not of the product)."""
    parser = etree.HTMLParser(remove_comments=False, remove_pis=False, huge_tree=True)
    root = etree.fromstring(_XML_DECL.sub("", text, count=1), parser=parser)
    if root is None:
        raise RewriteError("the page has no markup")
    return root.getroottree()


def load(html: bytes) -> tuple[etree._ElementTree, str]:
    text, encoding = decode_page(html)
    return parse_tree(text), encoding


# Attributes libxml2's HTML serialiser would URI-escape (a space becomes %20): written back as
# they were parsed instead, so a URL stays byte-for-byte the page's own.
_ESCAPED_ATTRS = frozenset({"href", "src", "action", "name", "background", "cite", "longdesc",
                            "srcset", "formaction", "poster", "usemap", "codebase", "data"})


def serialise(tree: etree._ElementTree, encoding: str) -> bytes:
    """The tree as HTML in ``encoding``; characters the charset lacks become ``&#NNNN;``."""
    saved: dict[str, str] = {}
    for el in tree.getroot().iter():
        if not is_element(el):
            continue
        for name, value in el.attrib.items():
            if name.lower() in _ESCAPED_ATTRS or name.lower().startswith("data-"):
                token = f"rwattr{len(saved):06d}x"
                saved[token] = value
                el.set(name, token)
    text = etree.tostring(tree, method="html", encoding="unicode")
    for el in tree.getroot().iter():  # the tree is the caller's: restore it
        if is_element(el):
            for name, value in el.attrib.items():
                if value in saved:
                    el.set(name, saved[value])
    text = re.sub(r"rwattr\d{6}x", lambda m: html_escape(saved[m.group(0)], quote=True), text)
    return text.encode(encoding, errors="xmlcharrefreplace")


def _tree_rewrite(edit: Callable[[etree._ElementTree], None]) -> Callable[[bytes, Mapping | None], bytes]:
    def rewrite(html: bytes, expected: Mapping | None = None) -> bytes:
        tree, encoding = load(html)
        edit(tree)
        return serialise(tree, encoding)

    rewrite.__doc__ = edit.__doc__
    rewrite.__name__ = edit.__name__
    return rewrite


# --- element helpers -----------------------------------------------------------------------------

# Tags whose content a reader never sees as text.
INVISIBLE = frozenset({"script", "style", "noscript", "template"})
# Block-level tags: a line break (a word boundary) before and after.
BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul", "select",
})
# Blocks around which the indentation rewrite adds whitespace.
INDENT_BLOCKS = frozenset({
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "ul", "ol", "li",
    "table", "tbody", "thead", "tfoot", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "figure", "figcaption", "dl", "dt", "dd", "form", "center",
})
# Cells and items: content goes inside them, never as their sibling.
CELLS = frozenset({"li", "td", "th", "dd", "dt"})
# Containers that only hold cells/items/rows.
ROW_CONTAINERS = frozenset({"ul", "ol", "dl", "table", "tbody", "thead", "tfoot", "tr", "select", "colgroup"})
# Attributes holding URLs: never touched by the text rewrites.
URL_ATTRS = frozenset({
    "href", "src", "data-src", "data-original", "data-lazy-src", "data-lazyload", "data-url",
    "data-srcset", "srcset", "action", "background", "poster", "cite", "longdesc", "formaction",
    "usemap", "codebase", "data", "style", "value", "xmlns", "content", "http-equiv", "charset",
})
# Attributes whose text a reader sees (tooltip, alternative text).
TEXT_ATTRS = ("alt", "title")
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZW_RE = re.compile("[" + ZERO_WIDTH + "]")


def is_element(node) -> bool:
    return isinstance(node.tag, str)


def tag_of(node) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def body_of(tree: etree._ElementTree) -> etree._Element:
    root = tree.getroot()
    body = root.find("body")
    if body is None:
        raise RewriteError("the page has no <body>")
    return body


def _in_invisible(el) -> bool:
    return any(tag_of(a) in INVISIBLE for a in el.iterancestors()) or tag_of(el) in INVISIBLE


def text_slots(root: etree._Element):
    """Every visible text position under ``root``: (element, 'text' | 'tail'), document order.

    Text inside script/style/comments is left out; tails of comments and scripts are in."""
    slots = []

    def walk(el, hidden):
        me_hidden = hidden or (is_element(el) and tag_of(el) in INVISIBLE) or not is_element(el)
        if not me_hidden and el.text:
            slots.append((el, "text"))
        if is_element(el):
            for child in el:
                walk(child, hidden or tag_of(el) in INVISIBLE)
        if el is not root and not hidden and el.tail:
            slots.append((el, "tail"))

    walk(root, _in_invisible(root))
    return slots


def get_slot(el, where):
    return el.text if where == "text" else el.tail


def set_slot(el, where, value):
    if where == "text":
        el.text = value
    else:
        el.tail = value


def norm(text: str) -> str:
    """What a reader reads: NFC, no zero-width characters, whitespace (NBSP too) collapsed."""
    return " ".join(_ZW_RE.sub("", unicodedata.normalize("NFC", text)).split())


def render(el, *, attrs: bool = True) -> str:
    """The text a reader sees in ``el`` (with ``alt``/``title`` of images), a space at block edges."""
    parts: list[str] = []

    def walk(node):
        if not is_element(node):
            return
        tag = tag_of(node)
        if tag in INVISIBLE:
            return
        block = tag in BLOCK or tag == "br"
        if block:
            parts.append(" ")
        if tag == "img" and attrs:
            for name in TEXT_ATTRS:
                if node.get(name):
                    parts.append(f" {node.get(name)} ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(el)
    return norm("".join(parts))


def visible_text(tree: etree._ElementTree) -> str:
    """The page's visible text: the <title>, then the body (see ``render``)."""
    root = tree.getroot()
    title = root.find("head/title")
    parts = [render(title)] if title is not None else []
    body = root.find("body")
    parts.append(render(body if body is not None else root))
    return " ".join(p for p in parts if p)


def image_files(tree: etree._ElementTree, *, lazy_first: bool = True) -> list[str]:
    """Each <img>'s file as the page references it (a lazy image's ``data-src`` first)."""
    out = []
    for img in tree.getroot().iter("img"):
        names = ("data-src", "data-original", "data-lazy-src", "src") if lazy_first else ("src",)
        out.append(next((img.get(n) for n in names if img.get(n)), ""))
    return out


def links(tree: etree._ElementTree) -> list[str]:
    return [a.get("href") for a in tree.getroot().iter("a") if a.get("href") is not None]


# --- 1. classes-renamed -----------------------------------------------------------------------


def _token(prefix: str, value: str) -> str:
    return prefix + hashlib.sha1(value.encode("utf-8")).hexdigest()[:7]


@_tree_rewrite
def classes_renamed(tree):
    """Every class and id value replaced by a meaningless stable token (same name, same token)."""
    for el in tree.getroot().iter():
        if not is_element(el):
            continue
        if el.get("class") is not None:
            el.set("class", " ".join(_token("c", t) for t in el.get("class").split()))
        if el.get("id") is not None:
            el.set("id", _token("i", el.get("id")))


# --- 2. div-to-section ------------------------------------------------------------------------


@_tree_rewrite
def div_to_section(tree):
    """Every <div> becomes a <section>."""
    for el in tree.getroot().iter("div"):
        el.tag = "section"


# --- 3. layout-table --------------------------------------------------------------------------


@_tree_rewrite
def layout_table(tree):
    """The whole body content wrapped in a one-cell layout table."""
    body = body_of(tree)
    table = etree.Element("table", {"width": "100%", "border": "0", "cellpadding": "0", "cellspacing": "0"})
    tr = etree.SubElement(table, "tr")
    td = etree.SubElement(tr, "td", {"valign": "top"})
    td.text, body.text = body.text, None
    for child in list(body):
        td.append(child)  # tails move with their elements
    table.text, table.tail, tr.tail = None, "\n", None
    body.append(table)


# --- 4. nfd and 6. windows-1258: text forms -----------------------------------------------------


def _map_text(tree, fn: Callable[[str], str], *, attrs: bool = True) -> None:
    """Apply ``fn`` to every visible text node and every non-URL attribute value."""
    root = tree.getroot()
    for el, where in text_slots(root):
        set_slot(el, where, fn(get_slot(el, where)))
    if attrs:
        for el in root.iter():
            if not is_element(el) or _in_invisible(el):
                continue
            for name, value in el.attrib.items():
                if name.lower() not in URL_ATTRS and not name.lower().startswith("on"):
                    el.set(name, fn(value))


@_tree_rewrite
def nfd(tree):
    """All text (and non-URL attribute values, so alt/title too) decomposed to NFD."""
    _map_text(tree, lambda s: unicodedata.normalize("NFD", s))


# Vowel-shape marks windows-1258 holds precomposed (â ê ô ơ ư ă); tone marks it holds combining.
_SHAPE_MARKS = frozenset("\u0302\u0306\u031b")


def _cp1258_ok(text: str) -> bool:
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def cp1258_decomposed(text: str) -> str:
    """``text`` decomposed as windows-1258 stores Vietnamese: every tone mark a combining
    character after its vowel (NFD), the vowel shapes the code page has (â ê ô ơ ư ă)
    precomposed. A character with no such form stays NFD (written as a numeric reference)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) == 1:
            out.append(ch)
            continue
        base, marks = decomposed[0], decomposed[1:]
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPE_MARKS))
        tones = "".join(m for m in marks if m not in _SHAPE_MARKS)
        if len(shaped) == 1 and _cp1258_ok(shaped + tones):
            out.append(shaped + tones)
        else:
            out.append(decomposed)
    return "".join(out)


def _declare_charset(tree, name: str) -> None:
    """Replace every charset declaration by one ``<meta http-equiv>`` first in <head>."""
    root = tree.getroot()
    for meta in list(root.iter("meta")):
        attrs = {k.lower(): v for k, v in meta.attrib.items()}
        declares = "charset" in attrs or (
            attrs.get("http-equiv", "").lower() == "content-type" and "charset" in attrs.get("content", "").lower())
        if declares:
            _remove_keep_tail(meta)
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    meta = etree.Element("meta", {"http-equiv": "Content-Type", "content": f"text/html; charset={name}"})
    meta.tail = head.text
    head.text = None
    head.insert(0, meta)


def _remove_keep_tail(el) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def windows_1258(html: bytes, expected: Mapping | None = None) -> bytes:
    """The page decomposed as windows-1258 stores it, encoded in windows-1258 (characters it
    cannot encode become numeric references), its charset declaration now windows-1258."""
    tree, _ = load(html)
    _map_text(tree, cp1258_decomposed)
    _declare_charset(tree, "windows-1258")
    return serialise(tree, "cp1258")


# --- 5. numeric-references --------------------------------------------------------------------


def numeric_references(html: bytes, expected: Mapping | None = None) -> bytes:
    """Every non-ASCII character written as ``&#NNNN;`` (text and attributes; the markup as it is).
    A page written in references already has its hexadecimal ones written in decimal."""
    text, _ = decode_page(html)
    if text.isascii():
        text = re.sub(r"&#[xX]([0-9a-fA-F]+);", lambda m: f"&#{int(m.group(1), 16)};", text)
    return text.encode("ascii", errors="xmlcharrefreplace")


# --- 7. zero-width-nbsp -----------------------------------------------------------------------

_ZW_CYCLE = ("\u200b", "\ufeff", "\u2060")
_PUNCT_EDGES = "\"'“”‘’«»()[]{}.,;:!?…-–—/"


def _insert_zero_width(word: str, zw: str) -> str | None:
    """``word`` with ``zw`` before its third letter (never between a letter and its marks),
    or None when ``word`` is not plain letters (numbers, URLs, file names stay as they are)."""
    core = word.strip(_PUNCT_EDGES)
    if not core or any(not (c.isalpha() or unicodedata.combining(c)) for c in core):
        return None
    start = word.index(core)
    bases = [i for i, c in enumerate(core) if not unicodedata.combining(c)]
    if len(bases) < 3:
        return None
    cut = start + bases[2]
    return word[:cut] + zw + word[cut:]


class _ZeroWidthNbsp:
    def __init__(self):
        self.words = 0
        self.spaces = 0

    def __call__(self, text: str) -> str:
        parts = re.split(r"( +)", text)
        for i, part in enumerate(parts):
            if not part:
                continue
            if part.startswith(" "):
                # a single space between two words: every third becomes NBSP
                if part == " " and 0 < i < len(parts) - 1 and parts[i - 1] and parts[i + 1] \
                        and not parts[i - 1][-1].isspace() and not parts[i + 1][0].isspace():
                    self.spaces += 1
                    if self.spaces % 3 == 1:
                        parts[i] = "\u00a0"
                continue
            words = re.split(r"(\s+)", part)
            for j, word in enumerate(words):
                if not word or word[0].isspace():
                    continue
                changed = _insert_zero_width(word, _ZW_CYCLE[self.words % 3])
                if changed is not None:
                    if self.words % 2 == 0:
                        words[j] = changed
                    self.words += 1
            parts[i] = "".join(words)
        return "".join(parts)


def zero_width_nbsp(html: bytes, expected: Mapping | None = None) -> bytes:
    """Zero-width characters (U+200B, U+FEFF, U+2060) inside every other word, and NBSP for
    every third single space between words, in the text and in alt/title (never in URLs)."""
    tree, encoding = load(html)
    edit = _ZeroWidthNbsp()
    root = tree.getroot()
    for el, where in text_slots(root):
        set_slot(el, where, edit(get_slot(el, where)))
    for img in root.iter("img"):
        for name in TEXT_ATTRS:
            if img.get(name):
                img.set(name, edit(img.get(name)))
    return serialise(tree, encoding)


# --- 8. indentation ---------------------------------------------------------------------------


def _blank(text: str | None) -> bool:
    return not text or not text.strip(" \t\r\n")


@_tree_rewrite
def indentation(tree):
    """Newlines and indentation between block tags: the blank (or missing) whitespace before and
    after every block becomes a newline and indentation (never inline text, never in <pre>)."""
    body = body_of(tree)

    def walk(el, depth):
        if tag_of(el) in ("pre", "textarea") or tag_of(el) in INVISIBLE:
            return
        children = list(el)
        for i, child in enumerate(children):
            if not is_element(child):
                continue
            if tag_of(child) in INDENT_BLOCKS:
                pad = "\n" + "  " * (depth + 1)
                if i == 0:
                    if _blank(el.text):
                        el.text = pad
                else:
                    prev = children[i - 1]
                    if _blank(prev.tail):
                        prev.tail = pad
                if _blank(child.tail):
                    child.tail = "\n" + "  " * depth if i == len(children) - 1 else pad
            walk(child, depth + 1)

    walk(body, 0)


# --- 9. ad-slots ------------------------------------------------------------------------------

AD_COMMENT = " ad slot: Thời gian đăng: 01/01/2020 10:00:00 AM - Lượt đọc: 999 "
AD_SCRIPT = 'var x="Lượt xem: 5; Thời gian đăng: 02/02/2021 08:00:00 AM";'
PARAGRAPH_BLOCKS = frozenset({"div", "section", "li", "td", "th", "dd", "dt", "blockquote", "article"})


def _has_block_descendant(el) -> bool:
    return any(is_element(d) and tag_of(d) in BLOCK for d in el.iterdescendants())


def _own_text(el) -> bool:
    return bool(norm(render(el)))


def _has_direct_text(el) -> bool:
    return bool(norm(el.text or "")) or any(norm(c.tail or "") for c in el)


def _paragraphs(body) -> list:
    """Paragraph-like elements: every <p>, the leaf blocks that hold text, and the blocks that
    hold text of their own beside other blocks (paragraphs written as text split by <br>)."""
    out = []
    for el in body.iter():
        if not is_element(el) or _in_invisible(el):
            continue
        tag = tag_of(el)
        if tag == "p" or (tag in PARAGRAPH_BLOCKS and not _has_block_descendant(el) and _own_text(el)) \
                or (tag in PARAGRAPH_BLOCKS and _has_direct_text(el)):
            out.append(el)
    return out


def own_slots(block) -> list:
    """The text positions of ``block`` itself: its text, its inline descendants', the tails of
    its children; not the text inside its child blocks (paragraphs of their own)."""
    out = [(block, "text")] if block.text else []
    for child in block:
        if is_element(child) and tag_of(child) not in BLOCK and tag_of(child) not in INVISIBLE:
            out += [s for s in text_slots(child) if not (s[0] is child and s[1] == "tail")]
        if child.tail:
            out.append((child, "tail"))
    return out


def _insert_after(el, *new) -> None:
    """``new`` elements right after ``el`` (``el``'s tail moves after them)."""
    tail, el.tail = el.tail, None
    anchor = el
    for node in new:
        anchor.addnext(node)
        anchor = node
    anchor.tail = tail


def _append_inside(el, *new) -> None:
    for node in new:
        el.append(node)


def ad_slots(html: bytes, expected: Mapping | None = None) -> bytes:
    """After every paragraph, an HTML comment and a <script> holding meta labels and dates
    (in a windows-1258 page, in that code page's form: comments hold no references)."""
    tree, encoding = load(html)
    form = cp1258_decomposed if encoding == "cp1258" else (lambda s: s)
    def slot():
        comment = etree.Comment(form(AD_COMMENT))
        script = etree.Element("script", {"type": "text/javascript"})
        script.text = form(AD_SCRIPT)
        return comment, script

    for el in _paragraphs(body_of(tree)):
        if tag_of(el) != "p" and _has_direct_text(el):  # text split by <br>: a slot after each <br>
            for br in [c for c in el if tag_of(c) == "br"]:
                _insert_after(br, *slot())
        comment, script = slot()
        parent = el.getparent()
        if tag_of(el) in CELLS or parent is None or tag_of(parent) in ROW_CONTAINERS:
            _append_inside(el, comment, script)
        else:
            _insert_after(el, comment, script)
    return serialise(tree, encoding)


# --- 10. word-spans ---------------------------------------------------------------------------

WORD_SPAN_STYLE = "font-family: Times New Roman; font-size: 14pt;"
WORD_SPAN_MIN_WORDS = 8  # shorter text runs (bylines, short headings) are left alone
WORD_SPAN_CHUNK = 4


def _span_chunks(text: str) -> tuple[str, list[str], str] | None:
    m = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S)
    lead, core, trail = m.groups()
    pieces = re.split(r"(\s+)", core)
    words = pieces[0::2]
    if len(words) < WORD_SPAN_MIN_WORDS:
        return None
    chunks, current, count = [], "", 0
    for k, piece in enumerate(pieces):
        current += piece
        if k % 2 == 0:
            count += 1
        elif count == WORD_SPAN_CHUNK:  # the separator after a chunk stays inside it
            chunks.append(current)
            current, count = "", 0
    if current:
        chunks.append(current)
    return lead, chunks, trail


def _span(text: str) -> etree._Element:
    span = etree.Element("span", {"style": WORD_SPAN_STYLE, "lang": "VI"})
    span.text = text
    return span


def word_spans(html: bytes, expected: Mapping, *, everywhere: bool = False) -> bytes:
    """Inside the article's paragraphs (those holding its lead, body paragraphs or captions:
    the text an editor pastes from a word processor), runs of words wrapped in word-processor
    spans, several per run, so no line is wrapped whole; runs under eight words (bylines,
    short headings) are left alone. Template text (meta line, menus, sidebar) is untouched,
    unless ``everywhere``: then every paragraph-like block of the page, the meta line too
    ("<span>Thời gian đăng: 13/01/2023 </span><span>05:36:49 PM - Lượt </span>...")."""
    tree, encoding = load(html)
    loc = Locator(tree, expected["url"])
    pasted = [norm(p) for p in expected["body_text"].split("\n\n") if p.strip()]
    pasted += [norm(t) for t in [expected.get("summary")] + [i.get("caption") for i in expected["images"]] if t]
    slots = []
    for para in _paragraphs(loc.body):
        if not everywhere and not any(t in loc.text(para) for t in pasted):
            continue
        for el, where in own_slots(para):
            if where == "text" and tag_of(el) in ("option", "select", "textarea", "title"):
                continue
            slots.append((el, where))
    seen = set()
    for el, where in slots:
        key = (id(el), where)
        if key in seen:
            continue
        seen.add(key)
        split = _span_chunks(get_slot(el, where) or "")
        if split is None:
            continue
        lead, chunks, trail = split
        spans = [_span(c) for c in chunks]
        if where == "text":
            el.text = lead
            for k, span in enumerate(spans):
                el.insert(k, span)
            spans[-1].tail = trail
        else:
            el.tail = lead
            anchor = el
            for span in spans:
                anchor.addnext(span)
                anchor = span
            spans[-1].tail = trail
    return serialise(tree, encoding)


# --- 11. lazy-images --------------------------------------------------------------------------

PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src")


@_tree_rewrite
def lazy_images(tree):
    """Every <img src=X> becomes <img src=placeholder data-src=X class="... lazy"> (an image
    that is lazy already keeps its file attribute; a srcset becomes data-srcset)."""
    for img in tree.getroot().iter("img"):
        src = img.get("src")
        if src is None and not any(img.get(a) for a in _LAZY_ATTRS):
            continue
        if not any(img.get(a) for a in _LAZY_ATTRS):
            img.set("data-src", src)
        img.set("src", PLACEHOLDER)
        if img.get("srcset") is not None:
            img.set("data-srcset", img.attrib.pop("srcset"))
        classes = (img.get("class") or "").split()
        if "lazy" not in classes:
            img.set("class", " ".join([*classes, "lazy"]))


# --- locating the article by its expected text ----------------------------------------------


class Locator:
    """Finds, in a page tree, the elements holding expected texts (by what a reader reads)."""

    def __init__(self, tree: etree._ElementTree, url: str):
        self.tree = tree
        self.body = body_of(tree)
        self.elements = [e for e in self.body.iter() if is_element(e) and not _in_invisible(e)]
        self.index = {e: i for i, e in enumerate(self.elements)}
        self.end = {}
        for e in reversed(self.elements):
            last = self.index[e]
            for child in e:
                if child in self.end:
                    last = max(last, self.end[child])
            self.end[e] = last
        self._text = {}
        base = url
        for b in tree.getroot().iter("base"):
            if b.get("href"):
                base = urljoin(url, b.get("href"))
            break
        self.base = base

    def text(self, el) -> str:
        if el not in self._text:
            self._text[el] = render(el)
        return self._text[el]

    def holders(self, needle: str) -> list:
        """The deepest elements whose text contains ``needle`` (document order)."""
        needle = norm(needle)
        if not needle:
            return []
        hits = [e for e in self.elements if needle in self.text(e)]
        hit_set = set(hits)
        return [e for e in hits if not any(d in hit_set for d in e.iterdescendants())]

    def holders_fuzzy(self, text: str, *, from_end: bool = True) -> list:
        """``holders`` of the text, else of its last (or first) words, fewer and fewer."""
        found = self.holders(text)
        words = norm(text).split()
        n = min(len(words), 12)
        while not found and n >= 2:
            piece = words[-n:] if from_end else words[:n]
            found = self.holders(" ".join(piece))
            n -= 2
        return found

    def images(self, src: str) -> list:
        name = urlsplit(src).path.rsplit("/", 1)[-1]
        out = []
        for img in self.body.iter("img"):
            for attr in ("data-src", "data-original", "data-lazy-src", "src"):
                value = img.get(attr)
                if value and urljoin(self.base, value.strip()).rsplit("/", 1)[-1].split("?")[0] == name:
                    out.append(img)
                    break
        return out


def _block_of(el):
    while el is not None and tag_of(el) not in BLOCK:
        el = el.getparent()
    return el


def _visible_after(el) -> bool:
    """Whether anything visible follows ``el`` inside its parent."""
    if el.tail and norm(el.tail):
        return True
    for sib in el.itersiblings():
        if not is_element(sib) or tag_of(sib) in INVISIBLE:
            if sib.tail and norm(sib.tail):
                return True
            continue
        if render(sib) or sib.find(".//img") is not None or tag_of(sib) == "img":
            return True
        if sib.tail and norm(sib.tail):
            return True
    return False


def _row_has_other_content(cell) -> bool:
    row = cell.getparent()
    if row is None:
        return False
    return any(c is not cell and is_element(c) and (render(c) or c.find(".//img") is not None)
               for c in row)


def article_end(tree, expected: Mapping) -> etree._Element:
    """The block where the article's content ends: the latest in document order of the
    byline, the last body paragraph, the images and their captions."""
    loc = Locator(tree, expected["url"])
    candidates = []
    paragraphs = [p for p in expected["body_text"].split("\n\n") if p]
    if paragraphs:
        candidates += loc.holders_fuzzy(paragraphs[-1])
    if expected.get("byline"):
        candidates += loc.holders_fuzzy(expected["byline"])
    for image in expected.get("images") or []:
        candidates += loc.images(image["src"])
        if image.get("caption"):
            candidates += loc.holders_fuzzy(image["caption"])
    if not candidates and expected.get("summary"):
        candidates += loc.holders_fuzzy(expected["summary"])
    candidates = [c for c in candidates if c in loc.end]  # (an <img> inside <noscript> is not shown)
    if not candidates:
        raise RewriteError("cannot locate the end of the article: none of the last body paragraph, "
                           "byline, images or captions is found in the page")
    last = max(candidates, key=lambda e: (loc.end[e], loc.index[e]))
    return _block_of(last)


# --- 12. teaser-box-after ---------------------------------------------------------------------

TEASER_BOX_TITLE = "Những bài viết cùng chủ đề đáng chú ý"
TEASERS = (
    ("Huyện Mường Chà đẩy mạnh phát triển cây mắc ca", "Moung-Cha-day-manh-phat-trien-cay-mac-ca",
     "mac-ca.jpg", "Diện tích mắc ca toàn huyện tăng gần gấp đôi so với cùng kỳ."),
    ("Tuần Giáo ra mắt mô hình bản văn hóa kiểu mẫu", "Tuan-Giao-ra-mat-mo-hinh-ban-van-hoa-kieu-mau",
     "ban-van-hoa.jpg", "Mô hình được triển khai tại ba bản của xã Quài Cang."),
    ("Nông dân Điện Biên Đông thu hoạch lúa mùa sớm", "Nong-dan-Dien-Bien-Dong-thu-hoach-lua-mua-som",
     "lua-mua.jpg", "Năng suất bình quân ước đạt 5,2 tấn mỗi héc-ta."),
    ("Thanh niên Nậm Pồ tình nguyện sửa đường vào bản", "Thanh-nien-Nam-Po-tinh-nguyen-sua-duong-vao-ban",
     "sua-duong.jpg", "Hơn 200 đoàn viên tham gia trong ba ngày cuối tuần."),
)


def teaser_box(url: str) -> etree._Element:
    """A box of four teaser cards (thumbnail, linked title, date, one-line summary)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    box = etree.Element("div", {"class": "box-chu-de"})
    box.text = "\n"
    head = etree.SubElement(box, "div", {"class": "box-chu-de-tieu-de"})
    head.text = TEASER_BOX_TITLE
    head.tail = "\n"
    for title, slug, image, summary in TEASERS:
        card = etree.SubElement(box, "div", {"class": "the-tin"})
        link = etree.SubElement(card, "a", {"href": f"{origin}/TinTuc/{slug}"})
        etree.SubElement(link, "img", {"src": f"/Uploads/images/tintuc/2024/08/{image}", "alt": title,
                                       "width": "120"})
        name = etree.SubElement(card, "a", {"href": f"{origin}/TinTuc/{slug}", "class": "the-tin-ten"})
        name.text = title
        name.tail = " "
        date = etree.SubElement(card, "span", {"class": "the-tin-ngay"})
        date.text = "(14/08/2024)"
        lead = etree.SubElement(card, "p", {"class": "the-tin-mo-ta"})
        lead.text = summary
        card.tail = "\n"
    box.tail = "\n"
    return box


def _last_content_in(container, el) -> bool:
    """Whether nothing visible follows ``el`` inside ``container`` (an ancestor)."""
    cur = el
    while cur is not container:
        if _visible_after(cur):
            return False
        cur = cur.getparent()
    return True


def _place_after_article(end: etree._Element, box: etree._Element) -> None:
    """Put ``box`` right after ``end``: after the largest block that ``end`` closes, inside
    the content column (never past a cell that has neighbours, never as a row's child)."""
    cur = end
    while True:
        parent = cur.getparent()
        if parent is None or tag_of(parent) in ("body", "html", "form"):
            break
        if tag_of(parent) in ROW_CONTAINERS:
            # leave a table or list only as a whole, when it ends with the article
            outer = next((a for a in cur.iterancestors() if tag_of(a) in ("table", "ul", "ol", "dl")), None)
            if outer is None or not _last_content_in(outer, cur) or outer.getparent() is None \
                    or tag_of(outer.getparent()) in ROW_CONTAINERS | {"html"}:
                break
            if tag_of(outer.getparent()) in ("td", "th") and _row_has_other_content(outer.getparent()):
                cur = outer
                break
            cur = outer
            continue
        if _visible_after(cur):
            break
        if tag_of(parent) in ("td", "th") and _row_has_other_content(parent):
            break
        cur = parent
    if tag_of(cur) in CELLS:
        _append_inside(cur, box)
    elif tag_of(cur.getparent()) in ROW_CONTAINERS:
        raise RewriteError(f"the article ends in a <{tag_of(cur)}> inside a "
                           f"<{tag_of(cur.getparent())}>: no place for a box")
    else:
        _insert_after(cur, box)


def teaser_box_after(html: bytes, expected: Mapping) -> bytes:
    """A box of four teasers of other articles (title on no known list), right after the
    article's last content (byline, last paragraph, image or caption, whichever is last)."""
    tree, encoding = load(html)
    end = article_end(tree, expected)
    _place_after_article(end, teaser_box(expected["url"]))
    return serialise(tree, encoding)


# --- 13. sidebar-first ------------------------------------------------------------------------

SIDEBAR_MARKERS = (
    "BẢN ĐỒ HÀNH CHÍNH", "Thống kê truy cập", "Liên kết web", "Tin mới nhất", "Tin đọc nhiều",
    "Tin xem nhiều", "Tổng truy cập", "Thăm dò ý kiến", "Văn bản mới", "Thư viện ảnh",
)
_FOLDED_MARKERS = tuple(norm(m).casefold() for m in SIDEBAR_MARKERS)


def sidebar_block() -> etree._Element:
    """A sidebar of the usual widgets, with teasers that have their own dates and read counts."""
    html = (
        '<div class="cot-ben">'
        '<div class="khoi"><div class="khoi-tieu-de">Tin mới nhất</div><ul>'
        '<li><a href="/TinTuc/Dien-Bien-tong-ket-cong-tac-dan-toc-nam-2024">Điện Biên tổng kết công tác '
        'dân tộc năm 2024</a> <span>10/08/2024 09:15:00 AM</span> | <span>Lượt đọc: 321</span></li>'
        '<li><a href="/TinTuc/Khoi-cong-cau-treo-ban-Na-Sang">Khởi công cầu treo bản Na Sang</a> '
        '<span>09/08/2024 02:40:10 PM</span> | <span>Lượt đọc: 1.204</span></li>'
        '<li><a href="/TinTuc/Hoi-nghi-bao-cao-vien-thang-8">Hội nghị báo cáo viên tháng 8</a> '
        '<span>08/08/2024 08:05:00 AM</span> | <span>Lượt đọc: 87</span></li>'
        '</ul></div>'
        '<div class="khoi"><div class="khoi-tieu-de">BẢN ĐỒ HÀNH CHÍNH</div>'
        '<img src="/Uploads/images/ban-do-hanh-chinh-tinh.jpg" alt="" width="270"></div>'
        '<div class="khoi"><div class="khoi-tieu-de">Liên kết web</div><select>'
        '<option value="">-- Chọn liên kết --</option>'
        '<option value="https://baodienbienphu.com.vn/">Báo Điện Biên Phủ</option></select></div>'
        '<div class="khoi"><div class="khoi-tieu-de">Thống kê truy cập</div>'
        '<div>Tổng truy cập: 2.345.678</div></div>'
        '</div>'
    )
    block = etree.fromstring(html, etree.HTMLParser()).find(".//div")
    block.tail = "\n"
    return block


def _content_anchors(loc: Locator, expected: Mapping) -> list:
    """The elements holding the article's texts: title, lead, every body paragraph, captions, byline."""
    anchors = []
    for paragraph in [p for p in expected["body_text"].split("\n\n") if p]:
        anchors += loc.holders_fuzzy(paragraph)[-1:]
    for text in [expected.get("summary"), expected.get("byline")] + [
            i.get("caption") for i in expected.get("images") or []]:
        if text:
            anchors += loc.holders_fuzzy(text)[-1:]
    if not anchors:
        raise RewriteError("cannot locate the article: no body paragraph, lead or byline found")
    first = min(loc.index[a] for a in anchors)
    titles = loc.holders(expected["title"])
    before = [t for t in titles if loc.index[t] <= first]
    if before:
        anchors.append(before[-1])
    elif titles:
        anchors.append(titles[0])
    return anchors


def _contains_any(el, anchors) -> bool:
    return any(a is el or el in a.iterancestors() for a in anchors)


def _widget_roots(loc: Locator, anchors) -> list:
    """The page's sidebar blocks: the largest ancestors of the widgets holding no content."""
    starts = []
    for el in loc.elements:
        if tag_of(el) == "aside":
            starts.append(el)
            continue
        own = norm("".join([el.text or ""] + [c.tail or "" for c in el])).casefold()
        if own and any(m in own for m in _FOLDED_MARKERS):
            starts.append(el)
    roots = []
    for el in starts:
        if _contains_any(el, anchors):
            continue
        cur = el
        while True:
            parent = cur.getparent()
            if parent is None or tag_of(parent) in ("html",) or _contains_any(parent, anchors):
                break
            cur = parent
        if cur.getparent() is not None and tag_of(cur) not in ("body", "head") and cur not in roots:
            roots.append(cur)
    # keep the outermost only
    return [r for r in roots if not any(o is not r and o in r.iterancestors() for o in roots)]


def _flow_position(el):
    """``el`` or its nearest ancestor before which a block may stand (not a cell or row)."""
    while el.getparent() is not None and (
            tag_of(el) in CELLS | ROW_CONTAINERS - {"table", "ul", "ol", "dl"}
            or tag_of(el.getparent()) in ROW_CONTAINERS):
        el = el.getparent()
    return el


def sidebar_first(html: bytes, expected: Mapping) -> bytes:
    """The sidebar moved before the content in source order (each sidebar block that follows
    the content goes right before it); a page with no sidebar after its content gets one,
    with teasers that have their own dates and read counts, before its content."""
    tree, encoding = load(html)
    loc = Locator(tree, expected["url"])
    anchors = _content_anchors(loc, expected)
    moved = 0
    for side in _widget_roots(loc, anchors):
        parent = side.getparent()
        content = next((c for c in parent if is_element(c) and _contains_any(c, anchors)), None)
        if content is None or parent.index(side) < parent.index(content):
            continue
        _remove_keep_tail(side)
        side.tail = "\n"
        content.addprevious(side)
        moved += 1
    if not moved:
        common = anchors[0]
        while not all(_contains_any(common, [a]) for a in anchors):
            common = common.getparent()
        target = _flow_position(common)
        if tag_of(target) in ("body", "html", "form"):
            target.insert(0, sidebar_block())
            block = target[0]
            block.tail, target.text = (target.text or "") + "\n", None
        else:
            target.addprevious(sidebar_block())
    return serialise(tree, encoding)


# --- the catalogue ----------------------------------------------------------------------------

REWRITES: dict[str, Callable[[bytes, Mapping], bytes]] = {
    "classes-renamed": classes_renamed,
    "div-to-section": div_to_section,
    "layout-table": layout_table,
    "nfd": nfd,
    "numeric-references": numeric_references,
    "windows-1258": windows_1258,
    "zero-width-nbsp": zero_width_nbsp,
    "indentation": indentation,
    "ad-slots": ad_slots,
    "word-spans": word_spans,
    "word-spans-everywhere": lambda html, expected: word_spans(html, expected, everywhere=True),
    "lazy-images": lazy_images,
    "teaser-box-after": teaser_box_after,
    "sidebar-first": sidebar_first,
}
# Rewrites whose visible text is the original's, word for word (the others add or move furniture).
SAME_TEXT = frozenset(REWRITES) - {"teaser-box-after", "sidebar-first"}
