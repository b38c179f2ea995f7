"""Content-preserving rewrites of every article fixture (``tests/rewrites.py``), parsed with the
site profile: a rewrite changes markup or encoding, never what a reader sees, so the record
must still equal the fixture's expected JSON, field by field.

One test per (fixture, rewrite, field), e.g. ``seed-dan-van-kheo-classes-renamed-body_text``
(``-k classes-renamed``, ``-k "nfd and images"``); the rewrite and the parse run once per
(fixture, rewrite). ``test_rewrite_preserves_content`` checks the rewrites themselves (no
parser involved): the rewritten page still reads the same, holds the same images and links,
and really has the rewritten form. The empty-profile run is the fixture suite's job;
``classes-renamed`` defeats the profile's selectors here.

Nothing is skipped: a rewrite that cannot apply fails its tests with the reason.
"""

from __future__ import annotations

import traceback
import unicodedata
from collections import Counter
from functools import cache

import pytest
from cssselect import GenericTranslator
from lxml import etree

from dvscraper.parse.profile import DEFAULT_PROFILE, SELECTOR_FIELDS
from tests import rewrites as rw
from tests.fixture_cases import EXPECTED_ARTICLE_FIELDS, FIXED_CRAWLED_AT, Case, Outcome, paired

CASES = paired("articles")
REWRITES = list(rw.REWRITES)


@cache
def rewritten(stem: str, name: str) -> Outcome:
    """The rewritten page bytes (``value``), or why the rewrite failed (``error``)."""
    case = Case("articles", stem)
    try:
        return Outcome(value=rw.REWRITES[name](case.html(), case.expected()))
    except Exception as exc:
        return Outcome(error=exc, trace=traceback.format_exc())


@cache
def parsed(stem: str, name: str) -> Outcome:
    """The record of the rewritten page, parsed once with the site profile."""
    from dvscraper.parse import parse_article

    page = rewritten(stem, name)
    if page.error is not None:
        return page
    url = Case("articles", stem).expected()["url"]
    try:
        return Outcome(value=parse_article(page.value, url, crawled_at=FIXED_CRAWLED_AT,
                                           profile=DEFAULT_PROFILE).to_dict())
    except Exception as exc:
        return Outcome(error=exc, trace=traceback.format_exc())


def _page(stem: str, name: str) -> bytes:
    page = rewritten(stem, name)
    if page.error is not None:
        pytest.fail(f"rewrite {name!r} cannot apply to {stem}.html: {page.describe_error()}", pytrace=False)
    return page.value


def _record(stem: str, name: str) -> dict:
    _page(stem, name)
    outcome = parsed(stem, name)
    if outcome.error is not None:
        pytest.fail(f"parse_article({stem}.html rewritten {name!r}) raised {outcome.describe_error()}",
                    pytrace=False)
    return outcome.value


# --- the parser on the rewritten pages --------------------------------------------------------

FIELD_CASES = [pytest.param(case.stem, name, field, id=f"{case.stem}-{name}-{field}")
               for case in CASES for name in REWRITES for field in EXPECTED_ARTICLE_FIELDS]


@pytest.mark.parametrize(("stem", "name", "field"), FIELD_CASES)
def test_rewritten_field(stem: str, name: str, field: str) -> None:
    expected = Case("articles", stem).expected()
    actual = _record(stem, name)
    assert field in actual, f"the record has no {field!r}"
    assert actual[field] == expected[field], f"{field} differs after rewrite {name!r}"


# --- the rewrites themselves ------------------------------------------------------------------


def expected_texts(expected: dict) -> list[str]:
    """What a reader must still read on the page: title, lead, body paragraphs, byline, captions."""
    texts = [expected["title"], expected["summary"], expected["byline"]]
    texts += expected["body_text"].split("\n\n")
    texts += [image["caption"] for image in expected["images"]]
    return [rw.norm(t) for t in texts if t]


def _tree(html: bytes) -> etree._ElementTree:
    return rw.load(html)[0]


def _words(text: str) -> Counter:
    return Counter(text.split())


SANITY_CASES = [pytest.param(case.stem, name, id=f"{case.stem}-{name}") for case in CASES for name in REWRITES]


@pytest.mark.parametrize(("stem", "name"), SANITY_CASES)
def test_rewrite_preserves_content(stem: str, name: str) -> None:
    case = Case("articles", stem)
    expected = case.expected()
    original, page = case.html(), _page(stem, name)
    assert page != original, f"rewrite {name!r} left {stem}.html unchanged"
    before, after = _tree(original), _tree(page)
    text_before, text_after = rw.visible_text(before), rw.visible_text(after)

    # every expected text is still shown (the oracle can only vouch for what the original shows)
    missing = [(t[:80], "not on the original either" if t not in text_before else "lost")
               for t in expected_texts(expected) if t not in text_after]
    assert not missing, f"expected text not on the page rewritten by {name!r}: {missing}"

    # the page reads the same: word for word, or plus the furniture the rewrite adds
    if name in rw.SAME_TEXT:
        assert text_after == text_before, _first_difference(text_before, text_after)
    elif name == "teaser-box-after":
        box = rw.render(rw.teaser_box(expected["url"]))
        assert text_after.count(box) == 1, "the teaser box is not on the page once, in one piece"
        assert " ".join(text_after.replace(box, " ").split()) == text_before, \
            _first_difference(text_before, " ".join(text_after.replace(box, " ").split()))
    else:  # sidebar-first: the same words, moved, or plus a synthetic sidebar
        extra = _words(text_after) - _words(text_before)
        assert not (_words(text_before) - _words(text_after)), "words lost by moving the sidebar"
        assert not extra or extra == _words(rw.render(rw.sidebar_block())), f"unexpected words: {extra}"

    # the same files and links (a lazy image's file is its data-src)
    files_before, files_after = rw.image_files(before), rw.image_files(after)
    links_before, links_after = rw.links(before), rw.links(after)
    if name in rw.SAME_TEXT:
        assert files_after == files_before
        assert links_after == links_before
    else:
        assert not Counter(files_before) - Counter(files_after), "an image was lost"
        assert not Counter(links_before) - Counter(links_after), "a link was lost"

    CHECKS[name](original, page, before, after, expected)


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"visible text differs at {i}: before {a[max(0, i - 60):i + 60]!r} / after {b[max(0, i - 60):i + 60]!r}"


# --- the form each rewrite promises -------------------------------------------------------------


def _check_classes(original, page, before, after, expected):
    old = {t for el in before.getroot().iter() if rw.is_element(el) for t in (el.get("class") or "").split()}
    new = {t for el in after.getroot().iter() if rw.is_element(el) for t in (el.get("class") or "").split()}
    assert not old & new, f"class names kept: {sorted(old & new)[:5]}"
    for field in SELECTOR_FIELDS:
        selector = getattr(DEFAULT_PROFILE, field)
        if selector:
            found = after.getroot().xpath(GenericTranslator().css_to_xpath(selector))
            assert not found, f"the profile's {field} selector {selector!r} still matches"


def _check_divs(original, page, before, after, expected):
    assert after.getroot().find(".//div") is None, "a <div> is left"


def _check_layout_table(original, page, before, after, expected):
    body = after.getroot().find("body")
    children = [c for c in body if rw.is_element(c)]
    assert [c.tag for c in children] == ["table"] and not rw.norm(body.text or ""), "body is not one table"
    assert children[0].find("tr/td") is not None


def _text_nodes(tree):
    return [rw.get_slot(el, where) for el, where in rw.text_slots(tree.getroot())]


def _check_nfd(original, page, before, after, expected):
    assert all(unicodedata.is_normalized("NFD", t) for t in _text_nodes(after)), "a text node is not NFD"
    assert any(unicodedata.combining(c) for t in _text_nodes(after) for c in t), "no combining mark"
    alts = [img.get("alt") for img in after.getroot().iter("img") if img.get("alt")]
    assert all(unicodedata.is_normalized("NFD", a) for a in alts), "an alt is not NFD"


def _check_numeric(original, page, before, after, expected):
    assert page.isascii(), "non-ASCII bytes left"
    assert b"&#" in page


def _check_cp1258(original, page, before, after, expected):
    declared = rw._META_CHARSET.findall(page)
    assert [d.lower() for d in declared] == [b"windows-1258"], f"charset declarations: {declared}"
    assert rw.decode_page(page)[1] == "cp1258"
    page.decode("cp1258")
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    combining = {b"\xcc", b"\xec", b"\xde", b"\xd2", b"\xf2"}  # grave acute tilde hook dot-below
    assert any(c in page for c in combining), "no tone mark stored as a combining byte"


def _check_zero_width(original, page, before, after, expected):
    text = "".join(_text_nodes(after))
    assert any(z in text for z in ("\u200b", "\ufeff", "\u2060")), "no zero-width character inserted"
    assert "\u00a0" in text, "no NBSP inserted"
    for el in after.getroot().iter():
        if rw.is_element(el):
            for attr in rw.URL_ATTRS:
                value = el.get(attr) or ""
                assert not any(z in value for z in rw.ZERO_WIDTH), f"zero-width inside {attr}={value!r}"


def _check_indentation(original, page, before, after, expected):
    assert page.count(b"\n  ") > original.count(b"\n  "), "no indentation added"


def _check_ad_slots(original, page, before, after, expected):
    comments = [c for c in after.getroot().iter(etree.Comment) if rw.norm(c.text or "") == rw.norm(rw.AD_COMMENT)]
    scripts = [s for s in after.getroot().iter("script") if rw.norm(s.text or "") == rw.norm(rw.AD_SCRIPT)]
    assert comments and len(comments) == len(scripts), (len(comments), len(scripts))
    body_paragraphs = [p for p in expected["body_text"].split("\n\n") if p]
    assert len(comments) >= min(len(body_paragraphs), 2), "fewer ad slots than paragraphs"


def _check_word_spans(original, page, before, after, expected):
    spans = [s for s in after.getroot().iter("span") if s.get("style") == rw.WORD_SPAN_STYLE]
    assert len(spans) >= 2, "no word-processor spans"
    for span in spans:
        block = rw._block_of(span)
        assert rw.render(block) != rw.render(span), f"a whole line is wrapped: {rw.render(span)[:60]!r}"
        assert "font-weight" not in span.get("style") and "text-align" not in span.get("style")
    if expected["byline"]:
        for span in spans:
            assert rw.norm(expected["byline"]) not in rw.render(span), "the byline is inside a span"


def _check_lazy(original, page, before, after, expected):
    imgs = list(after.getroot().iter("img"))
    assert imgs, "no image on the page"
    assert all(i.get("src") == rw.PLACEHOLDER and "lazy" in i.get("class", "").split() for i in imgs)


def _check_teaser_box(original, page, before, after, expected):
    loc = rw.Locator(after, expected["url"])
    heads = loc.holders(rw.TEASER_BOX_TITLE)
    assert len(heads) == 1, "the box title is not on the page once"
    box = heads[0].getparent()
    assert len(box.findall("div")) == 5 and len(box.findall(".//img")) == 4
    end = rw.article_end(after, expected)
    assert loc.index[box] > loc.end[end], "the box is not after the article's last content"


def _check_sidebar_first(original, page, before, after, expected):
    loc = rw.Locator(after, expected["url"])
    paragraphs = [p for p in expected["body_text"].split("\n\n") if p]
    first_body = loc.index[loc.holders_fuzzy(paragraphs[0], from_end=False)[0]]
    markers = [loc.index[h] for m in rw.SIDEBAR_MARKERS for h in loc.holders(m)]
    assert markers and min(markers) < first_body, "no sidebar widget before the body"
    late = [m for m in rw.SIDEBAR_MARKERS for h in loc.holders(m) if loc.index[h] > loc.end[
        loc.holders_fuzzy(paragraphs[-1])[-1]]]
    assert not late, f"sidebar widgets still after the content: {late}"


CHECKS = {
    "classes-renamed": _check_classes,
    "div-to-section": _check_divs,
    "layout-table": _check_layout_table,
    "nfd": _check_nfd,
    "numeric-references": _check_numeric,
    "windows-1258": _check_cp1258,
    "zero-width-nbsp": _check_zero_width,
    "indentation": _check_indentation,
    "ad-slots": _check_ad_slots,
    "word-spans": _check_word_spans,
    "word-spans-everywhere": _check_word_spans,
    "lazy-images": _check_lazy,
    "teaser-box-after": _check_teaser_box,
    "sidebar-first": _check_sidebar_first,
}


def test_every_rewrite_has_a_check() -> None:
    assert set(CHECKS) == set(rw.REWRITES)
    assert len(CASES) >= 16, f"only {len(CASES)} article fixtures"
