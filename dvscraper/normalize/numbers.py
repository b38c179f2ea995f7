"""Vietnamese integers: '.' (and ',') are thousands separators in read counts."""

from __future__ import annotations

import re

_GROUPED = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")


def parse_vn_int(text: str | None) -> int | None:
    """``'7444'`` -> 7444, ``'1.053'`` -> 1053, ``'12,345'`` -> 12345; junk or empty -> None."""
    if text is None:
        return None
    text = text.strip().replace("\u00a0", " ")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"[.,\s]", "", text))
    return None
