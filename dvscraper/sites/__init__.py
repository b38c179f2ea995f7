"""Site profiles: one TOML file per portal of the CMS family, so a sibling portal needs no code.

A profile (``dvscraper/sites/<name>.toml``, bundled; or a ``[[site]]`` table of a sites
file given with ``--sites-file``)::

    name = "laichau"                          # --site laichau
    hosts = ["laichau.dcs.vn"]                # optional: host names it applies to (default: the start URLs')
    start_urls = ["https://laichau.dcs.vn/"]  # required

    [selectors]                               # optional CSS fast path (dvscraper/parse/profile.py)
    title = ".title-detail"                   # title, meta, summary, body, breadcrumb

    [politeness]                              # optional, per host (Scrapy DOWNLOAD_SLOTS)
    concurrency = 2                           # requests at a time
    delay = 1.0                               # seconds between requests
    autothrottle = false                      # let AutoThrottle move the delay (default: only when no delay is set)

No selectors at all is fine: the label-anchored rules read the page. ``load_site``,
``load_sites_file`` and ``resolve_sites`` raise ``ValueError`` with a one-line message
for a bad file, an unknown field, an unknown site name or missing start URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from dvscraper.parse.profile import SELECTOR_FIELDS, SiteProfile, toml_module
from dvscraper.sites.hosts import host_key, parse_start_urls

DEFAULT_SITE = "dienbien"
SITE_FIELDS = ("name", "description", "hosts", "start_urls", "selectors", "politeness")
POLITENESS_FIELDS = ("concurrency", "delay", "autothrottle")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_HOST = re.compile(r"^[a-z0-9._\-\[\]:]+$")


@dataclass(frozen=True, slots=True)
class Politeness:
    """Per-host limits written in a profile; ``None`` = the crawl's default (dvscraper/settings.py)."""

    concurrency: int | None = None
    delay: float | None = None
    autothrottle: bool | None = None

    def slot(self) -> dict:
        """The ``DOWNLOAD_SLOTS`` entry: only what the profile sets."""
        out: dict = {}
        if self.concurrency is not None:
            out["concurrency"] = self.concurrency
        if self.delay is not None:
            out["delay"] = self.delay
        return out

    @property
    def fixed_delay(self) -> bool:
        """AutoThrottle must leave this site's delay alone (``autothrottle = false``, or a delay set without it)."""
        if self.autothrottle is not None:
            return not self.autothrottle
        return self.delay is not None


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    start_urls: tuple[str, ...]
    hosts: tuple[str, ...]  # host names the profile applies to
    profile: SiteProfile
    politeness: Politeness = Politeness()
    source: str = "bundled"
    declared_hosts: tuple[str, ...] = ()  # the profile's own ``hosts`` (crawlable with their default port)
    mirror: bool = False  # start URLs given on the command line: the crawl stays on their hosts only

    def at(self, start_urls: Iterable[str]) -> Site:
        """This profile applied to a mirror (``--start-url``): its hosts join the profile's."""
        urls = tuple(start_urls)
        hosts = tuple(dict.fromkeys([*self.hosts, *(_hostname(u) for u in urls)]))
        return replace(self, start_urls=urls, hosts=hosts, mirror=True)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host keys (``host[:port]``) the crawl of this site may fetch from."""
        keys = {host_key(url) for url in self.start_urls}
        if not self.mirror:
            keys.update(self.declared_hosts)
        return frozenset(keys)


# -- loading ------------------------------------------------------------------------------------
# The bundled profiles are read as package resources, so they load from a zipped egg too (Scrapyd).
def bundled_names() -> list[str]:
    return sorted(entry.name.removesuffix(".toml") for entry in files(__name__).iterdir()
                  if entry.name.endswith(".toml") and entry.is_file())


def load_site(name: str) -> Site:
    """A bundled profile by name."""
    path = files(__name__) / f"{name}.toml"
    if not _NAME.match(name or "") or not path.is_file():
        raise ValueError(f"unknown site {name!r} (bundled: {', '.join(bundled_names())})")
    data = _read(path)
    site = site_from_dict(data, where=f"{path.name}")
    if site.name != name:
        raise ValueError(f"{path.name}: name {site.name!r} must be the file's name {name!r}")
    return site


def load_sites_file(path: str | Path) -> list[Site]:
    """The ``[[site]]`` tables of a sites file, in order."""
    path = Path(path)
    data = _read(path)
    unknown = sorted(set(data) - {"site"})
    if unknown:
        raise ValueError(f"sites file {path}: unknown top-level field {unknown[0]!r} (expected [[site]] tables)")
    tables = data.get("site")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ValueError(f"sites file {path}: no [[site]] table")
    sites: list[Site] = []
    for n, table in enumerate(tables, 1):
        site = site_from_dict(table, where=f"sites file {path}, site #{n}", source=str(path))
        if any(s.name == site.name for s in sites):
            raise ValueError(f"sites file {path}: site {site.name!r} defined twice")
        sites.append(site)
    return sites


def resolve_sites(names: Iterable[str] | str | None = None, sites_file: str | Path | None = None,
                  start_urls: tuple[str, ...] | None = None) -> tuple[Site, ...]:
    """The sites of one crawl.

    - neither names nor file: the default profile (dienbien);
    - names: each from the sites file when it has it, else bundled;
    - a sites file alone: every site it holds;
    - ``start_urls`` (``--start-url``) with exactly one site: that site crawled at those URLs.
    """
    names = split_names(names)
    from_file = load_sites_file(sites_file) if sites_file not in (None, "") else []
    by_name = {s.name: s for s in from_file}
    if names:
        sites = []
        for name in names:
            if name in by_name:
                sites.append(by_name[name])
            elif name in bundled_names():
                sites.append(load_site(name))
            else:
                known = sorted({*by_name, *bundled_names()})
                raise ValueError(f"unknown site {name!r} (known: {', '.join(known)})")
    elif from_file:
        sites = from_file
    else:
        sites = [load_site(DEFAULT_SITE)]
    if start_urls:
        if len(sites) != 1:
            raise ValueError(f"--start-url goes with exactly one site, not {len(sites)} "
                             f"({', '.join(s.name for s in sites)})")
        sites = [sites[0].at(start_urls)]
    _check_disjoint(sites)
    return tuple(sites)


def split_names(names: Iterable[str] | str | None) -> list[str]:
    """``"a,b"``, ``["a", "b,c"]`` -> ``["a", "b", "c"]`` (order kept, duplicates dropped)."""
    if names is None:
        return []
    items = [names] if isinstance(names, str) else list(names)
    out = [n.strip() for item in items for n in re.split(r"[\s,]+", str(item)) if n.strip()]
    return list(dict.fromkeys(out))


def site_from_dict(data: dict, *, where: str, source: str = "bundled") -> Site:
    """Validate one profile table -> ``Site``; ``ValueError`` (one line, naming ``where``) otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a site must be a table")
    _only_known(data, SITE_FIELDS, "field", where)
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{where}: 'name' must be a lower-case word (letters, digits, '-', '_', '.'), got {name!r}")
    where = f"{where} ({name})"
    raw_urls = data.get("start_urls")
    if isinstance(raw_urls, str):
        raw_urls = [raw_urls]
    if not raw_urls or not isinstance(raw_urls, list) or not all(isinstance(u, str) for u in raw_urls):
        raise ValueError(f"{where}: missing start_urls (a list of http(s) URLs)")
    try:
        start_urls = parse_start_urls(raw_urls)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    hosts_raw = data.get("hosts", [])
    if isinstance(hosts_raw, str):
        hosts_raw = [hosts_raw]
    if not isinstance(hosts_raw, list) or not all(isinstance(h, str) and h.strip() for h in hosts_raw):
        raise ValueError(f"{where}: 'hosts' must be a list of host names")
    hosts = [h.strip().lower() for h in hosts_raw]
    bad = [h for h in hosts if not _HOST.match(h) or "/" in h]
    if bad:
        raise ValueError(f"{where}: bad host {bad[0]!r} (a host name such as example.org)")
    declared = tuple(dict.fromkeys(hosts))
    hosts = tuple(dict.fromkeys([*hosts, *(_hostname(u) for u in start_urls)]))
    return Site(name=name, start_urls=start_urls, hosts=hosts, profile=_profile(name, data.get("selectors"), where),
                politeness=_politeness(data.get("politeness"), where), source=source, declared_hosts=declared)


def _only_known(table: dict, known: tuple[str, ...], what: str, where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown {what} {unknown[0]!r} (known: {', '.join(known)})")


def _profile(name: str, selectors, where: str) -> SiteProfile:
    if selectors is None:
        return SiteProfile(name=name)
    if not isinstance(selectors, dict):
        raise ValueError(f"{where}: [selectors] must be a table")
    _only_known(selectors, SELECTOR_FIELDS, "selector", where)
    for key, value in selectors.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: selector {key!r} must be a CSS selector string")
    try:
        return SiteProfile(name=name, **{k: v.strip() for k, v in selectors.items()})
    except Exception as exc:  # cssselect's SelectorError and friends: a selector that does not compile
        raise ValueError(f"{where}: bad CSS selector ({type(exc).__name__}: {exc})".replace("\n", " ")) from None


def _politeness(table, where: str) -> Politeness:
    if table is None:
        return Politeness()
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [politeness] must be a table")
    _only_known(table, POLITENESS_FIELDS, "politeness field", where)
    concurrency = table.get("concurrency")
    if concurrency is not None and (isinstance(concurrency, bool) or not isinstance(concurrency, int)
                                    or concurrency < 1):
        raise ValueError(f"{where}: politeness.concurrency must be a positive integer, got {concurrency!r}")
    delay = table.get("delay")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
        raise ValueError(f"{where}: politeness.delay must be a number of seconds >= 0, got {delay!r}")
    autothrottle = table.get("autothrottle")
    if autothrottle is not None and not isinstance(autothrottle, bool):
        raise ValueError(f"{where}: politeness.autothrottle must be true or false, got {autothrottle!r}")
    return Politeness(concurrency=concurrency, delay=float(delay) if delay is not None else None,
                      autothrottle=autothrottle)


def _read(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"sites file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read sites file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    tomllib = toml_module()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}".replace("\n", " ")) from None


def _hostname(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _check_disjoint(sites: list[Site]) -> None:
    owner: dict[str, str] = {}
    for site in sites:
        for key in site.allowed_hosts:
            if key in owner and owner[key] != site.name:
                raise ValueError(f"sites {owner[key]!r} and {site.name!r} both claim host {key}")
            owner[key] = site.name


# -- what a crawl of several sites needs ----------------------------------------------------------
def download_slots(sites: Iterable[Site]) -> dict[str, dict]:
    """``DOWNLOAD_SLOTS`` for the sites' explicit politeness: ``{hostname: {"concurrency", "delay"}}``.

    Scrapy keys download slots by host name (no port). Two sites on one host name share its
    slot: the stricter value of each key wins."""
    slots: dict[str, dict] = {}
    for site in sites:
        entry = site.politeness.slot()
        if not entry:
            continue
        for host in site.hosts:
            host = host.split(":")[0] if host.count(":") == 1 else host.strip("[]")
            current = slots.setdefault(host, {})
            if "concurrency" in entry:
                current["concurrency"] = min(current.get("concurrency", entry["concurrency"]), entry["concurrency"])
            if "delay" in entry:
                current["delay"] = max(current.get("delay", entry["delay"]), entry["delay"])
    return slots


def fixed_delay_hosts(sites: Iterable[Site]) -> frozenset[str]:
    """Host names whose delay AutoThrottle must not adjust (``autothrottle_dont_adjust_delay``)."""
    return frozenset(h for s in sites if s.politeness.fixed_delay for h in s.hosts)
