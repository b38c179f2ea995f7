"""Vietnamese publish dates -> tz-aware datetimes in Asia/Ho_Chi_Minh.

A fast path handles the portal's fixed formats (``13/01/2023 05:36:49 PM``,
``13/1/2023 17:36``, ``17:36 - 13/01/2023``, ``ngày 13 tháng 1 năm 2023``);
dateparser handles free text. An impossible date (31/02) gives None, never a
wrong date.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# d/m/yyyy (also '-' or '.' separators), zero padding optional.
_DATE = r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
# h:mm[:ss] [AM|PM|SA|CH] (SA = sáng = AM, CH = chiều = PM); 'h' as a separator too (17h30).
_TIME = (
    r"(?P<H>\d{1,2})\s*[:hH]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?|SA|CH|sa|ch)(?![\w]))?"
)
# (written without a leading and trailing ``\s*``: the same strings, without the many ways to
# split a run of spaces between them that made a failed search backtrack for microseconds)
_SEP = r"(?:[-,|–]|lúc|vào|ngày|\s)*"
_DATE_TIME = re.compile(_DATE + r"(?:" + _SEP + _TIME + r")?", re.IGNORECASE)
_TIME_DATE = re.compile(_TIME + _SEP + _DATE, re.IGNORECASE)
_WORDY = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_MAX_TIME_DATE_TRIES = 16  # digits before the first date tried one by one; past that, one search
# What is worth handing to dateparser at all: some digits.
_HAS_DIGIT = re.compile(r"\d")


def _build(d: str, m: str, y: str, H=None, M=None, S=None, ampm=None) -> dt.datetime | None:
    try:
        day, month, year = int(d), int(m), int(y)
        hour = int(H) if H is not None else 0
        minute = int(M) if M is not None else 0
        second = int(S) if S is not None else 0
        if ampm:
            marker = ampm.replace(".", "").replace(" ", "").upper()
            if hour < 1 or hour > 12:
                return None
            if marker in ("AM", "SA"):
                hour = 0 if hour == 12 else hour
            else:
                hour = 12 if hour == 12 else hour + 12
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)
    except (ValueError, TypeError):
        return None


def match_published(text: str) -> re.Match | None:
    """The first date(-time) expression in ``text`` in one of the portal's formats."""
    date_time = _DATE_TIME.search(text)
    if date_time is None:
        return None  # no date at all: no "time date" either
    # A "time date" wins only if it starts no later than the first date: try it only at the
    # digits up to there (a whole failed search of it backtracks for microseconds).
    start = date_time.start()
    time_date = None
    for tries, digit in enumerate(_DIGIT.finditer(text, 0, start + 1)):
        if tries == _MAX_TIME_DATE_TRIES:
            time_date = _TIME_DATE.search(text)
            if time_date is not None and time_date.start() > start:
                time_date = None
            break
        time_date = _TIME_DATE.match(text, digit.start())
        if time_date is not None:
            break
    if time_date is None:
        return date_time
    return min((time_date, date_time), key=lambda m: (m.start(), -len(m.group(0))))


def parse_published(text: str | None) -> dt.datetime | None:
    """``'13/01/2023 05:36:49 PM'`` -> 2023-01-13T17:36:49+07:00; unreadable -> None."""
    if not text:
        return None
    match = match_published(text)
    if match:
        return _build(**match.groupdict())
    wordy = _WORDY.search(text)
    if wordy:
        return _build(**wordy.groupdict())
    return parse_free_text(text)


def parse_free_text(text: str) -> dt.datetime | None:
    """dateparser (Vietnamese, day first, Asia/Ho_Chi_Minh) for anything else; needs a digit."""
    if not text or not _HAS_DIGIT.search(text) or len(text) > 200:
        return None
    import dateparser  # imported lazily: the fast path covers the portal's own formats

    try:
        parsed = dateparser.parse(
            text,
            languages=["vi"],
            settings={
                "DATE_ORDER": "DMY",
                "TIMEZONE": "Asia/Ho_Chi_Minh",
                "TO_TIMEZONE": "Asia/Ho_Chi_Minh",
                "RETURN_AS_TIMEZONE_AWARE": True,
                "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_DATES_FROM": "past",
            },
        )
    except Exception:  # dateparser raises assorted errors on junk: treat as unreadable
        return None
    if parsed is None:
        return None
    return parsed.astimezone(VN_TZ)


def parse_iso(text: str | None) -> dt.datetime | None:
    """ISO 8601 (``2023-01-13T17:36:49+07:00`` or naive local) -> aware datetime."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


# -- sane publication dates (issue 17) ----------------------------------------------------------------
DEFAULT_PUBLISHED_FLOOR = dt.date(1995, 1, 1)  # DV_PUBLISHED_FLOOR: no Vietnamese news site is older
FUTURE_SLACK = dt.timedelta(days=1)  # "after tomorrow": a misread date, not news from the future


def published_out_of_bounds(published_at: dt.datetime, *, floor: dt.date | str | None = None,
                            now: dt.datetime | None = None) -> str | None:
    """Why ``published_at`` cannot be a publication date (before ``floor``, default 1995-01-01, or more
    than a day after ``now``), or None. The one check for the crawl (``ValidatePipeline``) and
    ``dvscraper parse``. Never raises ``OverflowError``: a date near year 1 or 9999 is compared in
    local time before any time-zone arithmetic (year 1 in Asia/Ho_Chi_Minh is +07:06:30 LMT, and
    converting it to UTC leaves the range of ``datetime``)."""
    if isinstance(floor, str):
        floor = dt.date.fromisoformat(floor.strip())
    floor = floor or DEFAULT_PUBLISHED_FLOOR
    if published_at.date() < floor:
        return f"published_at before {floor.isoformat()}: {published_at.replace(tzinfo=None).isoformat()}"
    now = now or dt.datetime.now(dt.timezone.utc)
    if published_at.year >= dt.MAXYEAR - 1 or now.year >= dt.MAXYEAR - 1:
        return f"published_at in the future: {published_at.replace(tzinfo=None).isoformat()}"
    if published_at > now + FUTURE_SLACK:
        return f"published_at in the future: {published_at.isoformat()}"
    return None
