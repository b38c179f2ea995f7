"""Command-line input checked before use: one line and exit 2 for each bad value (issue 17).

- ``check_page_url``: ``parse --url`` must be an absolute http(s) URL with a host (not
  ``javascript:``, ``data:``, ``ftp:``, ``http:///x``).
- ``check_days``: ``--refresh-read-counts`` a finite, positive number of days (at most 700,000: the
  refresh window must stay a date).
- ``check_overrides``: each ``-s NAME=VALUE`` whose setting has a numeric or boolean default must
  read as one (``DOWNLOAD_TIMEOUT=abc`` is refused), and the sizes and counts below must be in range
  (``DV_PARQUET_ROW_GROUP_SIZE=0`` is refused).
- ``check_output_dir``: an output folder that exists as a file (``--output /etc/passwd``) is named
  as such, not "File exists".
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlsplit

MAX_DAYS = 700_000.0  # ~1900 years: now - MAX_DAYS stays a valid datetime

# setting -> (minimum, maximum or None): counts and sizes that make no sense (or crash) outside
POSITIVE = {
    "DV_PARQUET_ROW_GROUP_SIZE": (1, None),
    "DV_PARQUET_FILE_ROWS": (1, None),
    "DV_PARQUET_MAX_OPEN_FILES": (1, None),
    "DV_LOOPBACK_CONCURRENCY": (1, None),
    "CONCURRENT_REQUESTS": (1, None),
    "CONCURRENT_REQUESTS_PER_DOMAIN": (1, None),
    "DOWNLOAD_TIMEOUT": (0.001, None),
    "DOWNLOAD_DELAY": (0, None),
    "DOWNLOAD_MAXSIZE": (0, None),
    "DOWNLOAD_WARNSIZE": (0, None),
    "RETRY_TIMES": (0, None),
    "REDIRECT_MAX_TIMES": (0, None),
    "DEPTH_LIMIT": (0, None),
    "CLOSESPIDER_PAGECOUNT": (0, None),
    "DV_RETRY_BACKOFF_BASE": (0, None),
    "DV_RETRY_BACKOFF_MAX": (0, None),
    "DV_RETRY_AFTER_MAX": (0, None),
    "DV_REDIS_IDLE_SECONDS": (0, None),
    "DV_PROGRESS_INTERVAL": (0.05, None),
    "DV_PAGE_MAX_BYTES": (0, None),
    "DV_PAGE_MAX_ELEMENTS": (0, None),
    "DV_PAGE_MAX_ATTRIBUTES": (0, None),
    "DV_PARSE_TIME_BUDGET": (0, None),
    "DV_MAX_PAGES_PER_PATTERN": (0, None),
    "DV_MAX_REQUESTS_PER_RUN": (0, None),
    "DV_MAX_REJECT_RATE": (0, 1),
    "DV_COVERAGE_MIN_ARTICLES": (0, None),
}
# Integer defaults that Scrapy or dvscraper read as floats: a fraction is fine for these.
_FRACTION_OK_SUFFIXES = ("_TIMEOUT", "_DELAY", "_SECONDS", "_DAYS", "_INTERVAL", "_MAX", "_BASE")
_BOOLS = {"1", "0", "true", "false", "yes", "no", "on", "off", "True", "False"}


def check_page_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return str(exc)
    if parts.scheme.lower() not in ("http", "https"):
        return "expected an absolute http(s) URL"
    if not parts.hostname:
        return "no host"
    return None


def check_days(value: float, option: str) -> str | None:
    if not math.isfinite(value) or value <= 0 or value > MAX_DAYS:
        return f"{option} must be a positive number of days (at most {MAX_DAYS:g})"
    return None


def check_overrides(overrides: dict) -> str | None:
    """The first ``-s`` value that cannot work, as a one-line reason; None when all can."""
    from dvscraper.runs.runner import project_settings  # imports Scrapy: only the commands that take -s

    defaults = project_settings()
    for name, value in overrides.items():
        if not isinstance(value, str):
            continue
        default = defaults.get(name)
        text = value.strip()
        number = None
        if isinstance(default, bool):
            if text not in _BOOLS:
                return f"bad -s {name}={value!r} (expected true or false)"
            continue
        if isinstance(default, (int, float)) or name in POSITIVE:
            try:
                number = int(text) if isinstance(default, int) and not isinstance(default, bool) else float(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    return f"bad -s {name}={value!r} (expected a number)"
                if isinstance(default, int) and not number.is_integer() and not name.endswith(_FRACTION_OK_SUFFIXES):
                    return f"bad -s {name}={value!r} (expected a whole number)"
            if not math.isfinite(number):
                return f"bad -s {name}={value!r} (expected a finite number)"
        if number is not None and name in POSITIVE:
            low, high = POSITIVE[name]
            if number < low or (high is not None and number > high):
                bound = f">= {low:g}" if high is None else f"between {low:g} and {high:g}"
                return f"bad -s {name}={value!r} (must be {bound})"
    return None


def check_output_dir(path: Path) -> str | None:
    path = Path(path)
    if path.exists() and not path.is_dir():
        return f"{path} exists and is not a folder"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is not a folder"
            break
    return None
