"""Per-site CSS/XPath selectors: the fast path, as data.

Every selector is optional: an empty ``SiteProfile()`` is valid and the
label-anchored structural rules then do all the work.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteProfile:
    name: str = "generic"
    title: str | None = None  # XPath of the title element
    meta: str | None = None  # XPath of the element holding the publish-time label
    summary: str | None = None  # XPath of the lead (sapo) element
    body: str | None = None  # XPath of the body container
    breadcrumb: str | None = None  # XPath of the breadcrumb container


EMPTY_PROFILE = SiteProfile(name="empty")

# dienbien.dcs.vn: the live markup is not known (SPEC §1), so these selectors are the
# common classes of this CMS family; each one is checked and falls back when it misses.
DEFAULT_PROFILE = SiteProfile(
    name="dienbien.dcs.vn",
    title="//*[contains(concat(' ', normalize-space(@class), ' '), ' title-detail ')]",
    meta="//*[contains(concat(' ', normalize-space(@class), ' '), ' date-detail ')]",
    summary="//*[contains(concat(' ', normalize-space(@class), ' '), ' sapo ')]",
    body="//*[contains(concat(' ', normalize-space(@class), ' '), ' content-detail ')]",
    breadcrumb="//*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb ')]",
)
