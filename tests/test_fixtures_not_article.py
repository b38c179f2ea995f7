"""Saved pages that are NOT articles: ``parse_article`` must raise ``NotAnArticle(reason)``.

``fixtures/not_articles/<variant>.json`` = ``{"url": ..., "reason": ...}``; the raised
reason must start with the expected one (``no title`` / ``no readable meta time``), as
web-poet's ``exception.json`` does. Every listing fixture is also checked not to parse
as an article (any reason).
"""

from __future__ import annotations

import pytest

from dvscraper.records import NotAnArticle
from tests.fixture_cases import PROFILES, Case, discover, not_article_outcome, paired

ALL = discover("not_articles")
PAIRED = paired("not_articles")
REASONS = ("no title", "no readable meta time")
REQUIRED = ("home",)  # the home page, with many dated teasers, is the classic false positive

profiles = pytest.mark.parametrize("profile", list(PROFILES))


def test_not_article_fixtures_discovered() -> None:
    stems = {case.stem for case in PAIRED}
    assert len(stems) >= 3, f"only {len(stems)} not-article fixtures"
    assert set(REQUIRED) <= stems
    assert {case.expected()["reason"] for case in PAIRED} <= set(REASONS)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.stem)
def test_not_article_fixture_is_a_pair(case: Case) -> None:
    problem = case.pairing_problem()
    assert problem is None, problem


@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_not_article_expected_json_is_consistent(case: Case) -> None:
    expected = case.expected()
    assert list(expected) == ["url", "reason"]
    assert expected["url"].startswith("https://dienbien.dcs.vn/")
    assert expected["reason"] in REASONS


@profiles
@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_not_article(case: Case, profile: str) -> None:
    outcome = not_article_outcome(case.kind, case.stem, profile)
    expected = case.expected()["reason"]
    if outcome.error is None:
        pytest.fail(f"{case.stem}.html parsed as an article titled {outcome.value['title']!r}; "
                    f"expected NotAnArticle({expected!r})", pytrace=False)
    if not isinstance(outcome.error, NotAnArticle):
        pytest.fail(f"expected NotAnArticle({expected!r}), got {outcome.describe_error()}", pytrace=False)
    assert outcome.error.reason.startswith(expected), (
        f"reason {outcome.error.reason!r} does not start with {expected!r}")


@profiles
@pytest.mark.parametrize("case", paired("listings"), ids=lambda c: c.stem)
def test_listing_page_is_not_an_article(case: Case, profile: str) -> None:
    outcome = not_article_outcome(case.kind, case.stem, profile)
    if outcome.error is None:
        pytest.fail(f"listing {case.stem}.html parsed as an article titled {outcome.value['title']!r}",
                    pytrace=False)
    assert isinstance(outcome.error, NotAnArticle), outcome.describe_error()
