"""Old rows made safe to show: timestamps no reader can convert, and terminal control characters.

Before issue 17 a page dated ``01/01/0001`` (stored with the LMT offset +07:06:30) or
``31/12/9999`` could reach ``articles/``; converting such a value to a Python datetime raises
``OverflowError`` (pandas, ``stats``, ``report``). ``sane_timestamps(table)`` turns every timestamp
outside 1900..2200 into null before the table leaves Arrow. ``printable(text)`` removes the C0/C1
control characters (ESC sequences that would drive a terminal) from text printed by ``stats``.
"""

from __future__ import annotations

import re

LOW_YEAR, HIGH_YEAR = 1900, 2200
_LOW_US = -2208988800 * 1_000_000  # 1900-01-01T00:00:00Z in microseconds since the epoch
_HIGH_US = 7258118400 * 1_000_000  # 2200-01-01T00:00:00Z
# C0 controls but tab/newline, DEL, C1 controls (U+0080..U+009F); a whole ESC sequence goes at once
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sane_timestamps(table):
    """``table`` with each timestamp value outside 1900..2200 set to null (other columns untouched)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for index, field in enumerate(table.schema):
        if not pa.types.is_timestamp(field.type) or table.num_rows == 0:
            continue
        column = table.column(index)
        micros = pc.cast(column.cast(pa.timestamp("us", tz=field.type.tz)), pa.int64())
        bad = pc.or_(pc.less(micros, _LOW_US), pc.greater_equal(micros, _HIGH_US))
        if not pc.any(bad).as_py():
            continue
        fixed = pc.if_else(bad, pa.scalar(None, field.type), column)
        table = table.set_column(index, pa.field(field.name, field.type, nullable=True), fixed)
    return table


def printable(value) -> str:
    """``str(value)`` without terminal escape sequences or other control characters."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return _CONTROL.sub("", _ESCAPE.sub("", text))
