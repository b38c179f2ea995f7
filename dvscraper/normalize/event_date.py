"""The day a reported event happened, from the lead's opening date expression.

``Chiều nay (13/1), ...``, ``Sáng 15/10, ...``, ``Ngày 25/2/2023, ...``,
``Tối qua (12/1) ...``, ``(ĐBP) - Sáng 15/10 ...``: day and month come from the
text; the year from ``published_at`` (the year before when that would put the
event more than a day after publication). A lead that opens with a relative
word only (``Sáng nay, ...``, ``Hôm qua, ...``) is dated from ``published_at``.
A lead that opens with no date expression gives None.
"""

from __future__ import annotations

import datetime as dt
import re

# A leading dateline such as "(ĐBP) - ", "ĐBP - ", "Điện Biên Phủ - ", "ĐIỆN BIÊN PHỦ (TTĐT) - "
# may come first: a place of up to five words, an agency in brackets, or both, then a dash.
_DATELINE = (
    r"(?:(?:\(?[^\W\d_][\w.]*(?:\s+[^\W\d_][\w.]*){0,4}\)?\s*)?(?:\([^()]{1,20}\)\s*)?[-–—]\s*)?"
)
# The same, strictly: the place in capitals or an agency in brackets ("ĐBP - ", "(TTĐT) - ").
_STRICT_DATELINE = re.compile(
    r"^\s*(?:(?P<place>[^\W\d_][^\W\d_.]*(?:\s+[^\W\d_][^\W\d_.]*){0,4})\s*)?"
    r"(?:\((?P<agency>[^()]{1,20})\)\s*)?[-–—]\s*\S"
)
# Time-of-day words that open a Vietnamese lead (Sáng = morning ... Đêm = night).
_PART_OF_DAY = (
    r"(?:sáng|trưa|chiều|tối|đêm|ngày|hôm|rạng\s+sáng|sáng\s+sớm|cuối\s+giờ\s+chiều|đầu\s+giờ\s+sáng"
    r"|trong\s+(?:\d+|hai|ba|bốn|năm)\s+ngày)"  # "Trong 2 ngày (14-15/1)": over two days, from the first
)
_RELATIVE = r"(?P<rel>nay|qua|mai|hôm\s+nay|hôm\s+qua|ngày\s+mai)"
# d/m, d-m or d.m (a range "14-15/1" keeps the first day); an optional /yyyy.
_DAY_MONTH = (
    r"(?P<d>\d{1,2})(?:\s*(?:[-–]|và)\s*\d{1,2})?\s*[/.\-]\s*(?P<m>\d{1,2})"
    r"(?:\s*[/.\-]\s*(?P<y>\d{4}))?(?!\s*[/.\-]?\d)"
)
_OPENING = re.compile(
    r"^\s*" + _DATELINE + r"(?:" + _PART_OF_DAY + r"\s*(?:" + _RELATIVE + r")?|" + r"(?P<rel2>hôm\s+nay|hôm\s+qua))"
    r"\s*(?:\(\s*(?:" + r"ngày\s*)?" + _DAY_MONTH.replace("?P<", "?P<p") + r"\s*\)|(?:ngày\s*)?" + _DAY_MONTH + r")?",
    re.IGNORECASE,
)


def event_date_from_lead(lead: str | None, published_at: dt.datetime | None) -> dt.date | None:
    """``('Chiều nay (13/1), ...', 2023-01-13T17:36+07:00)`` -> ``date(2023, 1, 13)``."""
    if not lead or published_at is None:
        return None
    match = _OPENING.match(lead[:120])
    if not match:
        return None
    groups = match.groupdict()
    day = groups.get("d") or groups.get("pd")
    month = groups.get("m") or groups.get("pm")
    year = groups.get("y") or groups.get("py")
    published_day = published_at.date()
    rel = (groups.get("rel") or groups.get("rel2") or "").lower()
    try:
        return _event_day(day, month, year, rel, published_day)
    except OverflowError:  # next to year 1 or 9999: no sane event date (the publish date is refused too)
        return None


def _event_day(day, month, year, rel: str, published_day: dt.date) -> dt.date | None:
    if day is None:
        if not rel:
            return None  # e.g. "Ngày càng nhiều ..." / "Sáng kiến ...": no date expression
        if "qua" in rel:
            return published_day - dt.timedelta(days=1)
        if "mai" in rel:  # "Sáng mai" (tomorrow morning): the day after publication
            return published_day + dt.timedelta(days=1)
        return published_day
    try:
        if year:
            return dt.date(int(year), int(month), int(day))
        candidate = dt.date(published_day.year, int(month), int(day))
        if candidate > published_day + dt.timedelta(days=1):
            candidate = dt.date(published_day.year - 1, int(month), int(day))
        return candidate
    except ValueError:
        return None


def opens_with_event_date(text: str) -> bool:
    """Does the text open with a day-and-month date expression (``Chiều nay (13/1), ...``)?"""
    match = _OPENING.match(text[:120])
    return bool(match and (match.group("d") or match.group("pd")))


def opens_with_dateline(text: str) -> bool:
    """Does the text open with a news dateline: ``ĐIỆN BIÊN PHỦ (TTĐT) - ``, ``ĐBP - ``,
    ``(TTĐT) - ``? (A place in capitals, or an agency in brackets, then a dash.)"""
    match = _STRICT_DATELINE.match(text[:80])
    if not match:
        return False
    place, agency = match.group("place"), match.group("agency")
    if agency is not None:
        return agency.strip().isupper()
    return place is not None and place.isupper() and len(place.replace(" ", "")) >= 2
