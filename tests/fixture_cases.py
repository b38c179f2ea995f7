"""Discovery of the saved-page fixtures and one cached parse per (fixture, profile).

A fixture is a file pair ``fixtures/<kind>/<variant>.html`` + ``<variant>.json``; the JSON
holds the page URL (``"url"``) and the expected output, written by hand from the contract.
Discovery takes the union of both suffixes, so a lone ``.html`` or ``.json`` is reported as
a failing case instead of being skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dvscraper.parse.profile import DEFAULT_PROFILE, EMPTY_PROFILE, SiteProfile
from dvscraper.records import ARTICLE_FIELDS

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
KINDS = ("articles", "listings", "not_articles")
# The parser has no clock: every fixture is parsed "at" this instant.
FIXED_CRAWLED_AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
# Every contract field except crawled_at, in contract order: the keys of an expected article JSON.
EXPECTED_ARTICLE_FIELDS: tuple[str, ...] = tuple(f for f in ARTICLE_FIELDS if f != "crawled_at")
LISTING_FIELDS = ("items", "next_page")
LISTING_ITEM_FIELDS = ("url", "title", "published_at", "summary", "thumbnail")
# The whole suite runs twice: with the site's selector profile (fast path) and with none,
# so a template change on the live site degrades to the structural fallback.
PROFILES: dict[str, SiteProfile] = {"default": DEFAULT_PROFILE, "empty": EMPTY_PROFILE}


@dataclass(frozen=True)
class Case:
    kind: str
    stem: str

    @property
    def html_path(self) -> Path:
        return FIXTURES / self.kind / f"{self.stem}.html"

    @property
    def json_path(self) -> Path:
        return FIXTURES / self.kind / f"{self.stem}.json"

    def pairing_problem(self) -> str | None:
        """Why this case is not a complete pair, or None."""
        missing = [p.name for p in (self.html_path, self.json_path) if not p.is_file()]
        if missing:
            return (f"fixtures/{self.kind}/{self.stem}: missing {', '.join(missing)} "
                    "(a fixture is an .html + .json pair)")
        return None

    def html(self) -> bytes:
        return self.html_path.read_bytes()

    def expected(self) -> dict[str, Any]:
        return _load_json(self.json_path)


@cache
def _load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def discover(kind: str) -> list[Case]:
    """Every variant of ``kind`` that has an .html or a .json file (sorted by name)."""
    folder = FIXTURES / kind
    stems = {p.stem for p in folder.glob("*.html")} | {p.stem for p in folder.glob("*.json")}
    return [Case(kind, stem) for stem in sorted(stems)]


def paired(kind: str) -> list[Case]:
    """The complete pairs only (the incomplete ones fail in the pairing test)."""
    return [case for case in discover(kind) if case.pairing_problem() is None]


# --- one parse per (fixture, profile), shared by all field tests --------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the parser did with one fixture: a JSON dict, or the exception it raised."""

    value: dict[str, Any] | None = None
    error: BaseException | None = None
    trace: str = ""

    def describe_error(self) -> str:
        return f"{type(self.error).__name__}: {self.error}\n{self.trace}"


def _run(call) -> Outcome:
    try:
        return Outcome(value=call())
    except Exception as exc:  # every failure is reported by the tests that need the value
        return Outcome(error=exc, trace=traceback.format_exc())


@cache
def article_outcome(stem: str, profile: str) -> Outcome:
    from dvscraper.parse import parse_article

    case = Case("articles", stem)
    url = case.expected()["url"]
    return _run(lambda: parse_article(case.html(), url, crawled_at=FIXED_CRAWLED_AT,
                                      profile=PROFILES[profile]).to_dict())


@cache
def listing_outcome(stem: str, profile: str) -> Outcome:
    from dvscraper.parse import parse_listing

    case = Case("listings", stem)
    url = case.expected()["url"]
    return _run(lambda: parse_listing(case.html(), url, profile=PROFILES[profile]).to_dict())


def not_article_outcome(kind: str, stem: str, profile: str) -> Outcome:
    """parse_article on a page that must be rejected: the value is None, the error the rejection."""
    from dvscraper.parse import parse_article

    case = Case(kind, stem)
    url = case.expected()["url"]
    return _run(lambda: parse_article(case.html(), url, crawled_at=FIXED_CRAWLED_AT,
                                      profile=PROFILES[profile]).to_dict())
