"""Text normalisation: Unicode NFC, no zero-width characters, collapsed whitespace."""

from __future__ import annotations

import re
import unicodedata

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
    return " ".join(text.split()) if text else ""


def clean_or_none(text: str | None) -> str | None:
    """``nfc_collapse`` that maps an empty result to ``None``."""
    cleaned = nfc_collapse(text)
    return cleaned or None


def fold(text: str) -> str:
    """Case- and accent-insensitive key for label matching ('Lượt đọc' ~ 'LUOT DOC')."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip().casefold()


def count_words(text: str) -> int:
    return len(text.split())


def text_of(element) -> str:
    """All text inside an element, as is (lxml's ``text_content`` for plain elements)."""
    return "".join(element.itertext())


def spaced_text(element) -> str:
    """An element's text with a space between text nodes, collapsed: for finding dates and
    labels where block boundaries must not glue words ("PM" + "Lượt đọc")."""
    return " ".join(" ".join(element.itertext()).split())
