"""Per-site selectors: the fast path, as data.

A selector is CSS. Simple ones (``.sapo``, ``#content``, ``h1.title``) are
resolved during the page's one scan at no extra cost; anything else is compiled
once to XPath. Every selector is optional: with an empty ``SiteProfile()`` the
label-anchored structural rules do all the work, and a selector that misses on a
page falls back to them too.

The selectors of each portal are data in its site profile (``dvscraper/sites/<name>.toml``,
validated by ``dvscraper.sites``); ``DEFAULT_PROFILE`` is the bundled ``dienbien`` one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

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
        self._complex["__parsed__"] = tuple(_parse_selector(s) for s in self._complex["__simple__"])
        for name in SELECTOR_FIELDS:
            selector = getattr(self, name)
            if selector and _parse_selector(selector) is None:
                from cssselect import GenericTranslator  # comes with Scrapy (parsel)

                self._complex[name] = etree.XPath(GenericTranslator().css_to_xpath(selector))

    @property
    def simple_selectors(self) -> tuple[str, ...]:
        """Selectors the page scan resolves itself."""
        return self._complex["__simple__"]

    @property
    def parsed_selectors(self) -> tuple:
        """``simple_selectors``, parsed once (what ``load_page`` hands the page scan)."""
        return self._complex["__parsed__"]

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


def toml_module():
    """``tomllib`` (Python 3.11+), else the ``tomli`` backport it came from."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


BUNDLED_SITES = Path(__file__).resolve().parents[1] / "sites"  # one <name>.toml per site (dvscraper.sites)


def bundled_profile(name: str) -> SiteProfile:
    """The selectors of a bundled site profile (``dvscraper/sites/<name>.toml``); validated by dvscraper.sites."""
    data = toml_module().loads((BUNDLED_SITES / f"{name}.toml").read_text(encoding="utf-8"))
    return SiteProfile(name=data.get("name", name), **data.get("selectors", {}))


@cache
def default_profile() -> SiteProfile:
    """dienbien.dcs.vn's selectors, the parser's default: data in dvscraper/sites/dienbien.toml,
    read on first use (never at import), then kept: a profile is immutable."""
    return bundled_profile("dienbien")


def __getattr__(name: str):
    if name == "DEFAULT_PROFILE":  # the old constant's name, still served (read on first use)
        return default_profile()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
