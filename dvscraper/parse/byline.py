"""Find the byline: the last short right-aligned / bold / italic line of the article.

``Tin, ảnh: Minh Thùy``, ``Bài, ảnh: X``, ``Tin: X``, ``Ảnh: X``, ``X - Y``,
``Theo baodienbienphu.com.vn``, ``Nguồn: TTXVN``. Splitting it into authors and
source is ``dvscraper.normalize.byline``'s job.
"""

from __future__ import annotations

import re

from dvscraper.parse.blocks import Line

# A credit line: role label + colon (Tin/Bài/Ảnh/...), or "Theo ..."/"Nguồn: ..." (source).
_CREDIT = re.compile(
    r"^\(?\s*(?:(?:tin|bài|ảnh|video|clip|đồ\s+họa|thực\s+hiện|nhóm\s+pv|pv)"
    r"(?:\s*(?:,|và|\+|/|&)\s*(?:tin|bài|ảnh|video))*\s*:|theo\s+\S|nguồn\s*:?\s*\S)",
    re.I,
)
_MAX_BYLINE_WORDS = 14
_MAX_BYLINE_CHARS = 120


_SOURCE_WORD = re.compile(r"^\(?\s*(?:theo|nguồn)\s*(:)?\s*(\S+)", re.I)


def is_credit(text: str) -> bool:
    """A role label and a colon ("Tin, ảnh: X"), or a source: "Theo X" / "Nguồn: X" / "Nguồn X" where
    X is a name or a domain ("Theo kế hoạch, ..." and "Nguồn kinh phí" open sentences, not credits)."""
    if not _CREDIT.match(text):
        return False
    source = _SOURCE_WORD.match(text)
    if source is None:
        return True
    colon, word = source.groups()
    return bool(colon) or word[:1].isupper() or word[:1].isdigit() or "." in word


def reads_as_byline(line: Line) -> bool:
    """A short line that credits the authors or the source."""
    if line.words > _MAX_BYLINE_WORDS or len(line.text) > _MAX_BYLINE_CHARS:
        return False
    if line.link_only and not is_credit(line.text):
        return False
    if is_credit(line.text):
        return True
    styled = line.align == "right" or line.bold or line.italic
    return styled and _looks_like_names(line.text)


def reads_as_byline_tail(line: Line) -> bool:
    """The second line of a two-line byline: "(Theo baodienbienphu.com.vn)" under the names."""
    return line.text.startswith("(") and reads_as_byline(line)


def _looks_like_names(text: str) -> bool:
    words = text.replace("(", " ( ").replace(")", " ) ").split()
    if not words or (text.endswith((".", ":", "?", "!")) and not text.endswith(".vn")):
        return False
    for word in words:
        bare = word.strip("()[],.;:")
        if not bare or bare in ("-", "–", "—", "&", "và", "theo") or bare[0].isupper() or "." in bare:
            continue
        return False
    return True


def find_byline(lines: list[Line]) -> int | None:
    """Index of the byline among ``lines`` (the last line that reads as one), or None."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
        line = lines[index]
        if reads_as_byline(line):
            return index
        if not _is_trailing_furniture(line):
            return None
    return None


def _is_trailing_furniture(line: Line) -> bool:
    """Lines a byline may be followed by: links, dates, tags ('Từ khóa: ...')."""
    return line.link_only or line.words <= 3 or line.text.lower().startswith(("từ khóa", "tags", "chia sẻ"))
