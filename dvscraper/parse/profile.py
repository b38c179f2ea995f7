"""Per-site selectors: the fast path, as data.

A selector is CSS. Simple ones (``.sapo``, ``#content``, ``h1.title``) are
resolved during the page's one scan at no extra cost; anything else is compiled
once to XPath. Every selector is optional: with an empty ``SiteProfile()`` the
label-anchored structural rules do all the work, and a selector that misses on a
page falls back to them too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from dvscraper.parse.scan import _parse_selector

SELECTOR_FIELDS = ("title", "meta", "summary", "body", "breadcrumb")


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteProfile:
    name: str = "generic"
    title: str | None = None  # the title element
    meta: str | None = None  # the element holding the publish-time label
    summary: str | None = None  # the lead (sapo) element
    body: str | None = None  # the body container
    breadcrumb: str | None = None  # the breadcrumb container
    _complex: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._complex["__simple__"] = tuple(
            s for s in (getattr(self, n) for n in SELECTOR_FIELDS) if s and _parse_selector(s) is not None
        )
        for name in SELECTOR_FIELDS:
            selector = getattr(self, name)
            if selector and _parse_selector(selector) is None:
                from cssselect import GenericTranslator  # comes with Scrapy (parsel)

                self._complex[name] = etree.XPath(GenericTranslator().css_to_xpath(selector))

    @property
    def simple_selectors(self) -> tuple[str, ...]:
        """Selectors the page scan resolves itself."""
        return self._complex["__simple__"]

    def select(self, name: str, page) -> list:
        """Elements the profile's selector ``name`` finds on ``page`` ([] when none)."""
        selector = getattr(self, name)
        if not selector:
            return []
        compiled = self._complex.get(name)
        if compiled is not None:
            return compiled(page.root)
        found = page.scan().by_selector.get(selector)
        return [found] if found is not None else []


EMPTY_PROFILE = SiteProfile(name="empty")

# dienbien.dcs.vn: the live markup is not known (SPEC §1), so these are the common class
# names of this CMS family; each is checked on the page and falls back when it misses.
DEFAULT_PROFILE = SiteProfile(
    name="dienbien.dcs.vn",
    title=".title-detail",
    meta=".date-detail",
    summary=".sapo",
    body=".content-detail",
    breadcrumb=".breadcrumb",
)
