"""Text normalisation: Unicode NFC, no zero-width characters, collapsed whitespace."""

from __future__ import annotations

import re
import unicodedata

from lxml.etree import tostring as _tostring

# Zero-width and invisible formatting characters removed outright (not turned into spaces).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# Every Unicode whitespace run (incl. NBSP U+00A0, narrow NBSP, ideographic space) -> one space.
_WHITESPACE = re.compile(r"\s+")


def nfc_collapse(text: str | None) -> str:
    """NFC-normalise, drop zero-width characters and collapse whitespace; strip the ends."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _WHITESPACE.sub(" ", text).strip()


def collapse(text: str | None) -> str:
    """Collapse whitespace only: for text already NFC and free of zero-width characters
    (everything read from a tree built by ``dvscraper.parse.document.load_tree``)."""
    if not text:
        return ""
    # Every whitespace character but the ASCII space is unprintable: printable text with no
    # double space needs only its ends trimmed (splitting it into words costs several times more).
    if text.isprintable() and "  " not in text:
        return text.strip(" ")
    return " ".join(text.split())


def clean_or_none(text: str | None) -> str | None:
    """``nfc_collapse`` that maps an empty result to ``None``."""
    cleaned = nfc_collapse(text)
    return cleaned or None


# The combining marks of the Combining Diacritical Marks block (all Vietnamese tone and vowel
# marks are there): dropped by one ``str.translate`` before the per-character check.
_BLOCK_COMBINING = dict.fromkeys((c for c in range(0x300, 0x370) if unicodedata.combining(chr(c))), None)


def fold(text: str) -> str:
    """Case- and accent-insensitive key for label matching ('Lượt đọc' ~ 'LUOT DOC')."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = decomposed.translate(_BLOCK_COMBINING)
    if not stripped.isascii():  # other marks may remain (ASCII holds none)
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip().casefold()


def count_words(text: str) -> int:
    return len(text.split())


def text_of(element) -> str:
    """All text inside an element, as is (lxml's ``text_content`` for plain elements): what
    ``"".join(element.itertext())`` gives, serialised by libxml2 (several times faster)."""
    return _tostring(element, method="text", encoding=str, with_tail=False)


def spaced_text(element) -> str:
    """An element's text with a space between text nodes, collapsed: for finding dates and
    labels where block boundaries must not glue words ("PM" + "Lượt đọc")."""
    return collapse(" ".join(element.itertext()))


def spaced_text_within(element, limit: int) -> str | None:
    """``spaced_text(element)`` when it is at most ``limit`` characters long, else None; a large
    element is given up as soon as its text so far is too long (its text is never all joined)."""
    pieces = []
    raw = 0
    check_at = limit
    for piece in element.itertext():
        pieces.append(piece)
        raw += len(piece) + 1
        if raw > check_at:
            # the collapsed text of a prefix only grows as more text follows
            if len(collapse(" ".join(pieces))) > limit:
                return None
            check_at = raw * 2
    text = collapse(" ".join(pieces))
    return text if len(text) <= limit else None


def text_within(element, limit: int) -> str | None:
    """``text_of(element)`` when it is at most ``limit`` characters long, else None (found
    without joining a large element's text)."""
    pieces = []
    size = 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit:
            return None
        pieces.append(piece)
    return "".join(pieces)


def collapsed_text_within(element, limit: int) -> str | None:
    """``collapse(text_of(element))`` when it is at most ``limit`` characters long, else None;
    a large element is given up as soon as its text so far is too long."""
    pieces = []
    raw = 0
    check_at = limit
    for piece in element.itertext():
        pieces.append(piece)
        raw += len(piece)
        if raw > check_at:
            # collapsing the text of a prefix never gives a longer string than the whole
            if len(collapse("".join(pieces))) > limit:
                return None
            check_at = raw * 2
    text = collapse("".join(pieces))
    return text if len(text) <= limit else None
