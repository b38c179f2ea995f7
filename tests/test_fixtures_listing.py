"""Saved listing pages against their hand-written expected teasers and next page.

``fixtures/listings/<variant>.json`` = ``{"url": <page url>, "items": [...], "next_page": ...}``;
``"url"`` is the page's own URL (dropped before comparing with ``ListingPage.to_dict()``).
Each page also carries a side list of OTHER articles that must not show up in ``items``.
"""

from __future__ import annotations

import json

import pytest

from dvscraper.normalize.urls import canonical_url
from tests.fixture_cases import (
    FIXTURES,
    LISTING_FIELDS,
    LISTING_ITEM_FIELDS,
    PROFILES,
    Case,
    discover,
    listing_outcome,
    paired,
)

ALL = discover("listings")
PAIRED = paired("listings")
MIN_VARIANTS = 3

profiles = pytest.mark.parametrize("profile", list(PROFILES))


def _parsed(case: Case, profile: str) -> dict:
    outcome = listing_outcome(case.stem, profile)
    if outcome.error is not None:
        pytest.fail(f"parse_listing({case.stem}.html, profile={profile}) raised "
                    f"{outcome.describe_error()}", pytrace=False)
    return outcome.value


def test_listing_fixtures_discovered() -> None:
    assert len(ALL) >= MIN_VARIANTS, f"only {len(ALL)} listing fixtures under fixtures/listings/"
    assert any(case.expected()["next_page"] is None for case in PAIRED), "a last page (next_page null)"
    assert any(case.expected()["next_page"] for case in PAIRED), "a page with a next page"


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.stem)
def test_listing_fixture_is_a_pair(case: Case) -> None:
    problem = case.pairing_problem()
    assert problem is None, problem


@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_listing_expected_json_is_consistent(case: Case) -> None:
    """The oracle on its own: shape, absolute URLs, and, for a listing the replay site serves,
    every teaser and the next page lead to a replay route."""
    expected = case.expected()
    assert list(expected) == ["url", *LISTING_FIELDS]
    assert expected["items"], "a listing page lists teasers"
    routes = json.loads((FIXTURES / "replay" / "routes.json").read_text(encoding="utf-8"))
    def path(url: str) -> str:  # SPEC: URLs are kept as linked, so an http:// teaser stays http://
        return url.removeprefix("https://dienbien.dcs.vn").removeprefix("http://dienbien.dcs.vn")

    if f"listings/{case.stem}.html" not in routes.values():
        routes = {path(item["url"]): None for item in expected["items"]}
        routes[path(expected["next_page"] or "")] = None
    for item in expected["items"]:
        assert list(item) == list(LISTING_ITEM_FIELDS)
        assert item["url"] == canonical_url(item["url"])
        assert item["url"].startswith(("https://dienbien.dcs.vn/", "http://dienbien.dcs.vn/"))
        assert path(item["url"]) in routes, "teaser URL is a replay route"
        assert item["thumbnail"] is None or item["thumbnail"].startswith(("https://dienbien.dcs.vn/", "http://dienbien.dcs.vn/"))
    if expected["next_page"]:
        assert path(expected["next_page"]) in routes


@profiles
@pytest.mark.parametrize(("case", "field"), [pytest.param(case, field, id=f"{case.stem}-{field}")
                                             for case in PAIRED for field in LISTING_FIELDS])
def test_listing_field(case: Case, field: str, profile: str) -> None:
    actual = _parsed(case, profile)
    assert actual[field] == case.expected()[field]


@profiles
@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_listing_item_urls(case: Case, profile: str) -> None:
    """The page's own teasers in order, none from its side lists (a narrower view of 'items')."""
    actual = [item["url"] for item in _parsed(case, profile)["items"]]
    assert actual == [item["url"] for item in case.expected()["items"]]


@profiles
@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_listing_fields_complete(case: Case, profile: str) -> None:
    actual = _parsed(case, profile)
    assert list(actual) == list(LISTING_FIELDS)
    for item in actual["items"]:
        assert list(item) == list(LISTING_ITEM_FIELDS)


def test_a_page_whose_only_headline_links_are_its_breadcrumb_lists_nothing():
    """(found by the robustness suite) every link skipped as the trail leaves no group at all."""
    from dvscraper import parse_listing

    html = ('<html><body><div class="bc"><a href="/">Trang chủ</a> &gt; <a href="/T/TIN-TUC">Tin tức sự kiện'
            ' trong tỉnh</a></div><a href="/T/X?PageIndex=2">2</a></body></html>').encode()
    assert parse_listing(html, "https://dienbien.dcs.vn/T/X").items == []
