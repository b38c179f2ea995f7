"""Vietnamese integers: '.' (and ',') are thousands separators in read counts."""

from __future__ import annotations

import re

# ASCII digits only: str.isdigit() and \d also accept "²" or "١", which int() rejects or misreads.
_DIGITS = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:[.,\s][0-9]{3})+$")
_INT64_MAX = 2**63 - 1  # read_count is int64 in Parquet: a larger "count" is junk, not a number


def parse_vn_int(text: str | None) -> int | None:
    """``'7444'`` -> 7444, ``'1.053'`` -> 1053, ``'12,345'`` -> 12345; junk or empty -> None."""
    if text is None:
        return None
    text = text.strip().replace("\u00a0", " ")
    if not text:
        return None
    if _DIGITS.match(text):
        value = int(text)
    elif _GROUPED.match(text):
        value = int(re.sub(r"[.,\s]", "", text))
    else:
        return None
    return value if value <= _INT64_MAX else None
