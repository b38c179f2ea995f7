"""Saved article pages against their hand-written expected records, one test per field.

``fixtures/articles/<variant>.html`` is parsed with ``parse_article(html, expected["url"],
crawled_at=FIXED)`` and ``record.to_dict()`` (minus ``crawled_at``) is compared with
``<variant>.json`` field by field, so a failure reads
``test_article_field[caption-table-row-images-images-default]`` and ``pytest -k images``
runs one field across every variant. The suite runs twice: with the site profile
(``default``) and with an empty one (``empty``, the structural fallback alone).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest

from dvscraper.normalize.urls import article_id, canonical_url
from dvscraper.parse import labels
from tests.fixture_cases import (
    EXPECTED_ARTICLE_FIELDS,
    FIXED_CRAWLED_AT,
    PROFILES,
    Case,
    article_outcome,
    discover,
    paired,
)

ALL = discover("articles")
PAIRED = paired("articles")
MIN_VARIANTS = 16  # SPEC §1 lists this many markup forms at least; an empty glob must not pass

# Meta-line labels: never part of the body.
META_LABELS = ("Thời gian đăng", "Lượt đọc", "Lượt xem")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00a0\u00ad]")

profiles = pytest.mark.parametrize("profile", list(PROFILES))


def _parsed(case: Case, profile: str) -> dict:
    outcome = article_outcome(case.stem, profile)
    if outcome.error is not None:
        pytest.fail(f"parse_article({case.stem}.html, profile={profile}) raised "
                    f"{outcome.describe_error()}", pytrace=False)
    return outcome.value


# --- discovery --------------------------------------------------------------------------------


def test_article_fixtures_discovered() -> None:
    assert len(ALL) >= MIN_VARIANTS, f"only {len(ALL)} article fixtures under fixtures/articles/"


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.stem)
def test_article_fixture_is_a_pair(case: Case) -> None:
    problem = case.pairing_problem()
    assert problem is None, problem


# --- the oracle itself (no parser involved) -----------------------------------------------------


@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_article_expected_json_is_consistent(case: Case) -> None:
    """The expected record obeys the contract on its own: keys, derived fields, clean text."""
    expected = case.expected()
    assert list(expected) == list(EXPECTED_ARTICLE_FIELDS), "keys = contract fields in contract order"
    url = expected["url"]
    assert url == canonical_url(url) and url.startswith("https://dienbien.dcs.vn/")
    assert expected["article_id"] == article_id(url)
    assert expected["site"] == "dienbien.dcs.vn"
    body = expected["body_text"]
    assert expected["word_count"] == len(body.split())
    assert expected["content_sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert expected["headings"] == [p for p in body.split("\n\n") if p in expected["headings"]]
    assert not case.html().startswith(b"\xef\xbb\xbf"), "no BOM before the provenance comment"
    assert case.html().lstrip().startswith(b"<!-- variant:"), "HTML opens with a provenance comment"
    texts = [expected[k] for k in ("title", "summary", "byline", "source", "category") if expected[k]]
    texts += body.split("\n\n") + expected["breadcrumb"] + expected["authors"]
    texts += [image[k] for image in expected["images"] for k in ("caption", "alt") if image[k]]
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), f"not NFC: {text[:40]!r}"
        assert not ZERO_WIDTH.search(text) and text == " ".join(text.split()), f"not collapsed: {text[:40]!r}"
    for image in expected["images"]:
        assert image["src"].startswith("https://dienbien.dcs.vn/"), image["src"]
    _assert_body_excludes_non_content(expected["body_text"], expected)


# --- the parser against the oracle ---------------------------------------------------------------

FIELD_CASES = [pytest.param(case, field, id=f"{case.stem}-{field}")
               for case in PAIRED for field in EXPECTED_ARTICLE_FIELDS]


@profiles
@pytest.mark.parametrize(("case", "field"), FIELD_CASES)
def test_article_field(case: Case, field: str, profile: str) -> None:
    expected = case.expected()
    assert field in expected, f"{case.json_path.name} has no {field!r}"
    actual = _parsed(case, profile)
    assert field in actual, f"the record has no {field!r}"
    assert actual[field] == expected[field]


@profiles
@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_article_fields_complete(case: Case, profile: str) -> None:
    """No extra and no missing fields; crawled_at is the clock passed in, in UTC."""
    actual = _parsed(case, profile)
    assert list(actual) == [*EXPECTED_ARTICLE_FIELDS, "crawled_at"]
    assert actual["crawled_at"] == FIXED_CRAWLED_AT.isoformat()
    assert set(case.expected()) == set(EXPECTED_ARTICLE_FIELDS)


@profiles
@pytest.mark.parametrize("case", PAIRED, ids=lambda c: c.stem)
def test_article_body_excludes_non_content(case: Case, profile: str) -> None:
    """Cross-cutting 'must not contain' oracle: the body holds none of the page's chrome."""
    _assert_body_excludes_non_content(_parsed(case, profile)["body_text"], case.expected())


def _assert_body_excludes_non_content(body: str, expected: dict) -> None:
    for widget in labels.SIDEBAR_WIDGETS:
        assert widget not in body, f"sidebar widget {widget!r} in body_text"
    for label in META_LABELS:
        assert label not in body, f"meta label {label!r} in body_text"
    for key in ("title", "summary", "byline"):
        if expected[key]:
            assert expected[key] not in body, f"the {key} is in body_text: {expected[key][:60]!r}"
    for image in expected["images"]:
        if image["caption"]:
            assert image["caption"] not in body, f"image caption in body_text: {image['caption']!r}"
