"""Bytes -> clean lxml tree: charset detection, NFC, zero-width removal, no scripts.

Everything downstream sees NFC text without zero-width characters, so labels can
be matched with plain (case-insensitive) regular expressions.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from dvscraper.normalize.article import REASON_NO_META_TIME
from dvscraper.parse.scan import scan_page
from dvscraper.records import NotAnArticle

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Zero-width and invisible characters, and the NUL/control characters libxml2 rejects.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e" + "".join(
    chr(c) for c in range(32) if chr(c) not in "\t\n\r"
)
_INVISIBLE = re.compile("[" + re.escape(_INVISIBLE_CHARS) + "]")
# The ones worth a look before a full substitution pass (str.__contains__ is fast; re is not).
_INVISIBLE_PROBES = "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00\x0b\x0c\x1b"
# Elements whose content is never visible text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "select", "textarea",
              "button", "object", "embed", "canvas", "map")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings Vietnamese pages are served in, tried in order when nothing is declared.
_FALLBACK_ENCODINGS = ["utf-8", "windows-1258", "windows-1252"]


def _decode(html: bytes | str) -> tuple[str, bool]:
    """Decode page bytes to text (BOM, then a declared charset, then UTF-8, then UnicodeDammit),
    and say whether the text is just ``html.decode("utf-8")`` (no BOM)."""
    if isinstance(html, str):
        return html, False
    for bom, encoding in _BOMS:
        if html.startswith(bom):
            return html[len(bom):].decode(encoding, errors="replace"), False
    declared = _META_CHARSET.search(html, 0, 4096)
    candidates: list[str] = []
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        try:
            candidates.append(codecs.lookup(name).name)
        except LookupError:
            pass
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return html.decode(encoding), encoding == "utf-8"
        except UnicodeDecodeError:
            continue
    # Mostly UTF-8 with a few stray bytes (a mangled copy-paste): keep UTF-8, replace the strays.
    replaced = html.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") * 100 < max(1, sum(1 for ch in replaced if ord(ch) > 127)):
        return replaced, False
    from bs4 import UnicodeDammit  # forgiving detection pays only for really messy bytes

    dammit_log = logging.getLogger("bs4.dammit")
    level = dammit_log.level
    dammit_log.setLevel(logging.ERROR)  # it logs a warning for replaced characters
    try:
        dammit = UnicodeDammit(html, _FALLBACK_ENCODINGS, is_html=True)
    finally:
        dammit_log.setLevel(level)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup, False
    return html.decode("utf-8", errors="replace"), False


def clean_text(text: str) -> str:
    """NFC, no zero-width or control characters (applied to the whole document once)."""
    if any(ch in text for ch in _INVISIBLE_PROBES):
        text = _INVISIBLE.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


@dataclass(slots=True)
class Page:
    """A loaded page: the cleaned tree, its cleaned source and (lazily) its visible text.

    The visible text lets a parser ask "does this label occur at all?" with one regular
    expression before it asks the tree *where* (an XPath with just the words found)."""

    root: etree._Element
    source: str
    selectors: tuple = ()  # the site profile's simple selectors, resolved by the scan
    _text: str | None = None
    _lower: str | None = None
    _scan: object = None
    _folded: str | None = None
    _lowered: str | None = None
    _body: object = None

    @property
    def body(self):
        if self._body is None:
            body = self.root.find("body")
            self._body = body if body is not None else self.root
        return self._body

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = etree.tostring(self.body, method="text", encoding=str, with_tail=False)
        return self._text

    def base_url(self, url: str) -> str:
        """The URL relative links resolve against: ``<base href>`` when the page sets one."""
        for base in self.root.iter("base"):
            href = (base.get("href") or "").strip()
            if href and not href.lower().startswith(("javascript:", "data:")):
                return urljoin(url, href)
            break
        return url

    def scan(self):
        """Landmarks of the page (labels, breadcrumb home, sidebar, furniture), found once."""
        if self._scan is None:
            self._scan = scan_page(self, self.selectors)
        return self._scan

    @property
    def folded_text(self) -> str:
        """The visible text, whitespace collapsed (NBSP included) and lower-cased."""
        if self._folded is None:
            self._folded = " ".join(self.text.split()).lower()
        return self._folded

    @property
    def lowered_text(self) -> str:
        """The visible text, lower-cased (search it with a lower-case ``phrase_pattern``)."""
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def occurrences(self, phrases: tuple[str, ...]) -> set[str]:
        """Those of ``phrases`` that occur in the page's visible text, ignoring case and how
        the words are spaced (one ``str.__contains__`` each: far cheaper than a regex)."""
        folded = self.folded_text
        return {phrase for phrase in phrases if phrase.lower() in folded}


def load_page(html: bytes | str, selectors: tuple = ()) -> Page:
    """Decode, clean and parse a page (raises ``NotAnArticle`` for input with no markup)."""
    text, root = _load(html)
    return Page(root=root, source=text, selectors=selectors)


def load_tree(html: bytes | str) -> etree._Element:
    """The page's root element with scripts, styles and comments removed."""
    return _load(html)[1]


def _load(html: bytes | str) -> tuple[str, etree._Element]:
    """The cleaned text and the tree of a page. UTF-8 bytes that cleaning leaves as they are
    are parsed as they came (the same tree, without handing libxml2 the decoded text).

    Character references are decoded by libxml2, after the source was cleaned: a page whose
    decomposed (NFD) text, zero-width or control characters arrive as references
    (``o&#768;``, ``&#8203;``, ``&zwj;``) has its tree's text and attributes cleaned too."""
    text, utf8 = _decode(html)
    cleaned = clean_text(text)
    root = None
    if utf8 and cleaned is text and not _XML_DECL.match(text) and not text.isspace():
        root = _parse_utf8(html)
    if root is None:
        root = _parse(cleaned)
    if "&" in cleaned and _needs_tree_cleaning(cleaned):
        clean_tree(root)
    return cleaned, root


# A numeric character reference, or a named one that stands for an invisible character.
_REFERENCE = re.compile(
    r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?|&(?:zwj|zwnj|shy|lrm|rlm|ZeroWidthSpace|NoBreak);?"
)


def _needs_tree_cleaning(text: str) -> bool:
    """Does a reference stand for a character the clean text may not hold, or one that is part
    of a decomposed letter (a combining mark, anything past Latin-1)? ``&#39;``, ``&#160;`` and
    ``&nbsp;`` are harmless (NBSP is whitespace to every reader of the tree)."""
    for match in _REFERENCE.finditer(text):
        hexa, decimal = match.groups()
        if hexa is None and decimal is None:
            return True  # a named invisible character
        code = int(hexa, 16) if hexa is not None else int(decimal)
        if code < 0x20 or 0x7F <= code < 0xA0 or code == 0xAD or code >= 0x300:
            return True
    return False


# Characters an lxml tree can hold (XML 1.0): a reference to anything else is dropped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean_value(value: str) -> str:
    value = _NOT_XML.sub("", _INVISIBLE.sub("", value))
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


def clean_tree(root: etree._Element) -> None:
    """``clean_text`` applied to every text, tail and attribute value of the tree in place
    (when the tree's text is clean already, to the attributes a record reads: those of
    images and links)."""
    shown = etree.tostring(root, method="text", encoding=str)
    if not any(ch in shown for ch in _INVISIBLE_PROBES) and (
        shown.isascii() or unicodedata.is_normalized("NFC", shown)
    ) and not _NOT_XML.search(shown):
        for el in root.iter("img", "amp-img", "a"):
            for name, value in el.attrib.items():
                if value and not (value.isascii() and value.isprintable()):
                    cleaned = _clean_value(value)
                    if cleaned != value:
                        el.set(name, cleaned)
        return
    for el in root.iter():
        text = el.text
        if text and not (text.isascii() and text.isprintable()):
            cleaned = _clean_value(text)
            if cleaned != text:
                el.text = cleaned
        tail = el.tail
        if tail and not (tail.isascii() and tail.isprintable()):
            cleaned = _clean_value(tail)
            if cleaned != tail:
                el.tail = cleaned
        if el.tag.__class__ is str and el.attrib:
            for name, value in el.attrib.items():
                if value and not (value.isascii() and value.isprintable()):
                    cleaned = _clean_value(value)
                    if cleaned != value:
                        try:
                            el.set(name, cleaned)
                        except ValueError:  # a name libxml2 let through that lxml refuses to set
                            continue


_STYLE_OR_HIDDEN = etree.XPath("//@style | //@hidden")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Elements that only hint where a word may break: their text is the word's (``<wbr>`` is
# not void to libxml2, which then wraps the rest of the line in it).
_BREAK_HINTS = ("wbr", "nobr")


def _tidy(root: etree._Element) -> None:
    """Remove what a reader never sees: scripts and the like, and elements hidden by the
    ``hidden`` attribute or an inline ``display: none`` / ``visibility: hidden`` (a hidden
    copy of a meta line or a title must not stand for the page's own); unwrap ``<wbr>``."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    etree.strip_tags(root, *_BREAK_HINTS)
    hidden = []
    for value in _STYLE_OR_HIDDEN(root):  # (attributes by XPath: a fifth of a test on every element)
        if value.attrname == "hidden" or (("none" in value or "hidden" in value) and _HIDDEN_STYLE.search(value)):
            el = value.getparent()
            if el is not None and el.tag not in ("html", "body"):
                hidden.append(el)
    for el in hidden:
        if el.getparent() is not None:
            _remove_keep_tail(el)


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _parse_utf8(data: bytes) -> etree._Element | None:
    """The tree of UTF-8 bytes, or None where ``_parse`` of their text should decide."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8")
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    _tidy(root)
    return root


def _parse(text: str) -> etree._Element:
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise NotAnArticle(f"{REASON_NO_META_TIME}: empty page")
    # plain etree elements: lxml.html's Python-level element-class lookup costs ~20% of a parse
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.LxmlError, ValueError) as exc:
        raise NotAnArticle(f"{REASON_NO_META_TIME}: unparseable page ({exc})") from None
    if root is None:
        raise NotAnArticle(f"{REASON_NO_META_TIME}: empty page")
    _tidy(root)
    return root
