"""FixtureTheme: the generated site's pages cut from the saved fixture pages.

- Article pages: an article fixture (the seed first) with its title, publish time,
  read count, lead and one stretch of body text turned into slots.
- Listing pages: a listing fixture whose teaser blocks (found from its expected
  JSON: the blocks holding each teaser's link) are replaced by generated teasers in
  the markup of one of them, and whose pager is redrawn in its own style.
- Home, intro, contact...: the fixture pages of the other routes, served as they are.

In every page, links to the fixtures' article routes (``/TinTuc/...``) are pointed at
generated articles, so the chrome (side lists, "Tin mới nhất") stays on the site.
The categories are the fixtures' (``/T/<SLUG>`` routes, named as in the menu).
Building fails loudly (``ThemeError``) when the fixtures do not have what it needs;
``load_theme`` then falls back to the built-in markup.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from dvscraper.normalize.urls import canonical_url
from dvscraper.replay.fixture_site import PORTAL_HOSTS, is_article_fixture, normalize_uri
from dvscraper.replay.pages import content_type_for

_HREF = re.compile(r'(href|src)="([^"]*)"')
_SHOWN_TIME = re.compile(r"\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?")
_READ_COUNT = re.compile(r"(L[ưu]ợt\s+(?:đọc|xem)\s*:?\s*(?:<[^>]+>\s*)*)(\d[\d.,]*)")


class ThemeError(ValueError):
    """The fixtures lack something a template needs."""


class Template:
    """Text with named slots: ``render(TITLE=..., ...)`` interleaves values (no parsing per page)."""

    def __init__(self, text: str, literals: dict[str, str]):
        for literal, slot in sorted(literals.items(), key=lambda kv: -len(kv[0])):
            if literal:
                if literal not in text:
                    raise ThemeError(f"{literal[:40]!r} not found for slot {slot}")
                text = text.replace(literal, f"\x00{slot}\x00")
        pieces = text.split("\x00")
        self.parts = pieces[0::2]
        self.slots = pieces[1::2]

    def render(self, **values: str) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


def _found(text: str, value: str) -> str:
    """The form in which ``value`` (page text) appears in ``text``: as is, or HTML-escaped."""
    for form in (value, html.escape(value, quote=False), html.escape(value)):
        if form and form in text:
            return form
    raise ThemeError(f"{value[:40]!r} not found verbatim")


class FixtureTheme:
    def __init__(self, fixtures: Path):
        self.fixtures = Path(fixtures)
        routes = json.loads((self.fixtures / "replay" / "routes.json").read_text(encoding="utf-8"))
        routes = routes.get("routes", routes) if isinstance(routes, dict) else routes
        self.routes: dict[str, Path] = {}
        for uri, target in routes.items():
            target = target if isinstance(target, str) else target["file"]
            self.routes[normalize_uri(uri)] = (self.fixtures / target).resolve()
        article_routes = [p for p, f in self.routes.items() if is_article_fixture(f)]
        if not article_routes:
            raise ThemeError("no article routes")
        segment = Counter(p.split("/")[1] for p in article_routes).most_common(1)[0][0]
        self.article_prefix = f"/{segment}/"
        listing_routes = {p.split("?")[0] for p, f in self.routes.items() if f.parent.name == "listings"}
        names = self._menu_names()
        self.categories = tuple((p.rsplit("/", 1)[1], names.get(p, p.rsplit("/", 1)[1])) for p in sorted(listing_routes))
        self.listing_prefix = "/" + next(iter(sorted(listing_routes))).strip("/").rsplit("/", 1)[0] + "/"
        if not self.categories:
            raise ThemeError("no category listings")
        # Routes served as they are: everything that is neither an article route of the main family
        # (those become generated articles) nor a category listing (those are generated).
        self.extra_routes = {
            p: f for p, f in self.routes.items()
            if not p.startswith(self.article_prefix) and p.split("?")[0] not in listing_routes
            and p != "/robots.txt"
        }
        self._remap_targets: dict[str, int] = {}
        self._site = None

    # -- wiring ---------------------------------------------------------------------------------
    def prepare(self, site) -> None:
        """Compile the templates for ``site`` (the generated article paths are known now)."""
        self._site = site
        self.article = self._article_template()
        self.listing, self.teaser, self.pager_style = self._listing_templates()
        self.extras: dict[str, bytes] = {}
        for p, f in self.extra_routes.items():
            charset = _charset(f)
            text = self._remap(f.read_bytes().decode(charset, errors="replace"), f)
            self.extras[p] = text.encode(charset, errors="xmlcharrefreplace")

    def extra_article_paths(self) -> list[str]:
        return sorted(p for p, f in self.extra_routes.items() if is_article_fixture(f))

    def robots(self) -> bytes | None:
        path = self.routes.get("/robots.txt") or (self.fixtures / "replay" / "robots.txt")
        return path.read_bytes() if path.is_file() else None

    # -- rendering ------------------------------------------------------------------------------
    def render_home(self) -> str | bytes:
        return self.extras.get("/") or self.render_listing(0, 1)

    def extra_page(self, uri: str) -> tuple[bytes, bytes] | None:
        """(body, Content-Type) of a fixture page served as it is, or None."""
        key = normalize_uri(uri)
        body = self.extras.get(key)
        if body is None:
            return None
        return body, content_type_for(self.extra_routes[key].name, body)

    def render_article(self, a, *, shown_time: str, reads: str, paragraphs: list, **_ignored) -> str:
        text = next(p for p in paragraphs if isinstance(p, str))
        return self.article.render(TITLE=html.escape(a.title, quote=False), PUBLISHED=shown_time, READS=reads,
                                   SUMMARY=html.escape(a.summary, quote=False), BODY=html.escape(text, quote=False))

    def render_listing(self, c: int, page: int) -> str:
        site = self._site
        items = "".join(
            self.teaser.render(HREF=a.path, TITLE=html.escape(a.title, quote=False), TIME=self._teaser_time(a),
                               SUMMARY=html.escape(a.summary, quote=False), THUMB=f"/Uploads/thumbs/{a.index % 97}.jpg")
            for a in site.listing_items(c, page)
        )
        pages = site.category_pages(c)
        pager = self._pager(c, page, pages)
        return self.listing.render(ITEMS=items, PAGER=pager, CATEGORY=html.escape(self.categories[c][1], quote=False))

    # -- building: articles ---------------------------------------------------------------------
    def _article_template(self) -> Template:
        candidates = sorted(self.fixtures.glob("articles/*.html"), key=lambda p: (not p.stem.startswith("seed"), p.stem))
        problems = []
        for path in candidates:
            try:
                return self._article_from(path)
            except (ThemeError, KeyError, ValueError) as exc:
                problems.append(f"{path.stem}: {exc}")
        raise ThemeError("no article fixture fits: " + "; ".join(problems[:3]))

    def _article_from(self, path: Path) -> Template:
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        text = self._remap(path.read_text(encoding="utf-8"), path)
        if not expected.get("read_count") or not expected.get("summary") or "charset=utf-8" not in text.lower():
            raise ThemeError("wants a UTF-8 page with a read count and a lead")
        match = _READ_COUNT.search(text)
        if not match:
            raise ThemeError("no read count")
        text = text[: match.start(2)] + "\x01READS\x01" + text[match.end(2):]
        body = next((p for p in expected["body_text"].split("\n\n") if p not in expected["headings"] and len(p) > 80),
                    None)
        if body is None:
            raise ThemeError("no body paragraph")
        literals = {
            _found(text, expected["title"]): "TITLE",
            _found(text, expected["published_at_raw"]): "PUBLISHED",
            _found(text, expected["summary"]): "SUMMARY",
            _found(text, body[:80]): "BODY",
        }
        return Template(text.replace("\x01READS\x01", "\x00READS\x00"), literals)

    # -- building: listings ---------------------------------------------------------------------
    def _listing_templates(self):
        candidates = []
        served = set(self.routes.values())  # the replay's own listing pages: the theme is theirs
        for path in sorted(self.fixtures.glob("listings/*.html")):
            if path.resolve() not in served:
                continue
            expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            if expected.get("next_page") and len(expected.get("items", [])) >= 2:
                candidates.append((-len(expected["items"]), path.stem, path, expected))
        problems = []
        for _, _, path, expected in sorted(candidates):
            try:
                return self._listing_from(path, expected)
            except (ThemeError, KeyError, ValueError) as exc:
                problems.append(f"{path.stem}: {exc}")
        raise ThemeError("no listing fixture fits: " + "; ".join(problems[:3]) if problems else "no listing fixture")

    def _listing_from(self, path: Path, expected: dict):
        base = expected["url"]
        doc = _parse(path)
        anchors = []
        for item in expected["items"]:
            want = canonical_url(item["url"])
            found = next((a for a in doc.iter("a") if a.get("href") and
                          canonical_url(urljoin(base, a.get("href").strip())) == want), None)
            if found is None:
                raise ThemeError(f"teaser link {want} not found")
            anchors.append(found)
        container = _common_ancestor(anchors)
        blocks = [_child_towards(container, a) for a in anchors]
        if len(set(map(id, blocks))) != len(blocks):
            raise ThemeError("teasers share a block")
        pick = 1 if len(blocks) > 1 else 0
        teaser = self._teaser_template(blocks[pick], expected["items"][pick])
        # the pager: the element around the next-page link, unless it also holds teasers
        next_url = canonical_url(expected["next_page"])
        next_anchor = next((a for a in doc.iter("a") if a.get("href") and
                            canonical_url(urljoin(base, a.get("href").strip())) == next_url
                            and a.text_content().strip() not in ("", "2")), None)
        if next_anchor is None:
            next_anchor = next(a for a in doc.iter("a") if a.get("href") and
                               canonical_url(urljoin(base, a.get("href").strip())) == next_url)
        pager = next_anchor.getparent()
        if pager.tag == "li":
            pager = pager.getparent()
        style = {"tag": pager.tag, "li": pager.tag in ("ul", "ol"), "next_text": next_anchor.text_content().strip()}
        if any(pager is b or _contains(pager, b) for b in blocks) or _contains(blocks[0], pager):
            raise ThemeError("pager mixed with teasers")
        for child in list(pager):
            pager.remove(child)
        pager.text = None
        pager.append(etree.Comment("DV-PAGER"))
        first = blocks[0]
        first.addprevious(etree.Comment("DV-ITEMS"))
        for block in blocks:
            tail = block.tail
            parent = block.getparent()
            previous = block.getprevious()
            parent.remove(block)
            if tail and tail.strip() and previous is not None:  # keep text that followed a block
                previous.tail = (previous.tail or "") + tail
        text = lxml.html.tostring(doc.getroottree(), encoding="unicode", method="html",
                                  doctype=doc.getroottree().docinfo.doctype)
        text = self._remap(text, path, base=base)
        text = text.replace("<!--DV-ITEMS-->", "\x00ITEMS\x00").replace("<!--DV-PAGER-->", "\x00PAGER\x00")
        name = self._category_name_of(base)
        literals = {html.escape(name, quote=False): "CATEGORY"} if name and html.escape(name, quote=False) in text else {}
        return Template(text, literals), teaser, style

    def _teaser_template(self, block, item: dict) -> Template:
        text = lxml.html.tostring(block, encoding="unicode", method="html", with_tail=False)
        literals: dict[str, str] = {}
        for attr in ("href",):
            for match in re.finditer(rf'{attr}="([^"]*)"', text):
                value = html.unescape(match.group(1))
                if canonical_url(urljoin(item["url"], value)) == canonical_url(item["url"]):
                    literals[match.group(0)] = "HREF_ATTR"
        if not literals:
            raise ThemeError("teaser block has no link")
        literals[_found(text, item["title"])] = "TITLE"
        for form in (html.escape(item["title"]),):
            if f'"{form}"' in text:
                literals[f'"{form}"'] = "TITLE_ATTR"
        if item.get("summary"):
            literals[_found(text, item["summary"])] = "SUMMARY"
        time = _SHOWN_TIME.search(text)
        if time:
            self._time_style = time.group(0)
            literals[time.group(0)] = "TIME"
        else:
            self._time_style = None
        thumb = re.search(r'<img[^>]*\bsrc="([^"]*)"', text)
        if thumb and item.get("thumbnail"):
            literals[f'src="{thumb.group(1)}"'] = "THUMB_ATTR"
        template = Template(text, literals)
        return _TeaserTemplate(template)

    def _teaser_time(self, a) -> str:
        style = getattr(self, "_time_style", None) or "01/01/2024"
        when = a.published_at
        if re.search(r"[AP]M", style):
            return when.strftime("%d/%m/%Y %I:%M:%S %p") if style.count(":") == 2 else when.strftime("%d/%m/%Y %I:%M %p")
        if ":" in style:
            return when.strftime("%d/%m/%Y %H:%M:%S") if style.count(":") == 2 else when.strftime("%d/%m/%Y %H:%M")
        return when.strftime("%d/%m/%Y")

    def _pager(self, c: int, page: int, pages: int) -> str:
        site = self._site
        style = self.pager_style
        links = []
        for p in range(max(1, page - 2), min(pages, page + 2) + 1):
            href = html.escape(site.listing_path(c, p))
            if style["li"]:
                links.append(f'<li class="active"><a href="{href}">{p}</a></li>' if p == page
                             else f'<li><a href="{href}">{p}</a></li>')
            else:
                links.append(f'<span class="current">{p}</span>' if p == page else f'<a href="{href}">{p}</a>')
        if page < pages:
            href = html.escape(site.listing_path(c, page + 1))
            text = html.escape(style["next_text"] or "Trang sau", quote=False)
            links.append(f'<li><a href="{href}">{text}</a></li>' if style["li"] else f'<a href="{href}">{text}</a>')
        return " ".join(links)

    # -- helpers --------------------------------------------------------------------------------
    def _menu_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        home = self.routes.get("/")
        sources = [home] if home else []
        sources += sorted(self.fixtures.glob("listings/*.html"))
        for source in sources:
            doc = _parse(source)
            for a in doc.iter("a"):
                href = (a.get("href") or "").strip()
                text = " ".join(a.text_content().split())
                path = urlsplit(href).path
                if path and text and path not in names and urlsplit(href).netloc in ("", *PORTAL_HOSTS):
                    names[path] = text
        return names

    def _category_name_of(self, url: str) -> str | None:
        path = urlsplit(url).path
        return {f"{self.listing_prefix}{slug}": name for slug, name in self.categories}.get(path)

    def _remap(self, text: str, source: Path, *, base: str | None = None) -> str:
        """Point links at this site: portal-absolute -> root-relative; fixture articles -> generated ones."""
        site = self._site
        page_url = base or "https://dienbien.dcs.vn/"

        def replace(match: re.Match) -> str:
            attr, value = match.group(1), match.group(2)
            raw = html.unescape(value)
            parts = urlsplit(urljoin(page_url, raw))
            if parts.hostname not in PORTAL_HOSTS and urlsplit(raw).netloc:
                return match.group(0)  # really off-site
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if attr == "href" and parts.path.startswith(self.article_prefix):
                index = self._remap_targets.setdefault(target, len(self._remap_targets)) % (site.n - site.first) + site.first
                target = site.article(index).path
            elif not urlsplit(raw).netloc:
                return match.group(0)
            return f'{attr}="{html.escape(target)}"'

        return _HREF.sub(replace, text)


class _TeaserTemplate:
    """A teaser block: link, title (text and attribute), time, lead, thumbnail."""

    def __init__(self, template: Template):
        self.template = template

    def render(self, *, HREF: str, TITLE: str, TIME: str, SUMMARY: str, THUMB: str) -> str:
        values = {"HREF_ATTR": f'href="{html.escape(HREF)}"', "TITLE": TITLE, "TITLE_ATTR": f'"{TITLE}"',
                  "TIME": TIME, "SUMMARY": SUMMARY, "THUMB_ATTR": f'src="{html.escape(THUMB)}"'}
        return self.template.render(**{slot: values[slot] for slot in set(self.template.slots)})


def _common_ancestor(elements):
    chains = [list(e.iterancestors()) for e in elements]
    first = chains[0]
    others = [set(map(id, chain)) for chain in chains[1:]]
    for ancestor in first:
        if all(id(ancestor) in chain for chain in others):
            return ancestor
    raise ThemeError("no common ancestor")


def _child_towards(container, element):
    node = element
    while node.getparent() is not container:
        node = node.getparent()
        if node is None:
            raise ThemeError("element outside container")
    return node


def _contains(outer, inner) -> bool:
    return any(node is outer for node in inner.iterancestors())


def _parse(path: Path):
    """An lxml tree of a fixture page, decoded with its declared charset (not libxml2's guess)."""
    return lxml.html.fromstring(path.read_bytes().decode(_charset(path), errors="replace"))


def _charset(path: Path) -> str:
    head = path.read_bytes()[:2048].lower()
    match = re.search(rb"charset=[\"']?([a-z0-9_-]+)", head)
    return match.group(1).decode() if match else "utf-8"
