"""A local copy of the portal on a free loopback port, for the demo, tests and benchmarks.

Two sites: the fixture copy (``fixtures/replay/routes.json``: home, category
listings with ``PageIndex`` pagination, articles, non-article pages, a 404) and a
generated site of N articles (``--generate N``), built on the fly.

Run it as a separate process::

    python -m dvscraper.replay --port 0 [--generate 10000]   # first stdout line: the base URL

or from Python::

    with serve_replay(generate=10_000) as url:   # url: "http://127.0.0.1:PORT/"
        ...                                     # url.article_urls: what a full crawl must write
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from dvscraper.normalize.urls import canonical_url
from dvscraper.replay.fixture_site import FixtureSite
from dvscraper.replay.generated import GeneratedSite, make_theme
from dvscraper.replay.variants import with_template_variant

# The pages served: dvscraper/replay/fixtures, a link to the repository's fixtures/ in a checkout and a
# folder of package data in an install; a checkout without symbolic links (the link is then a file)
# reads fixtures/ itself.
_PACKAGED_FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEFAULT_FIXTURES = (_PACKAGED_FIXTURES.resolve() if _PACKAGED_FIXTURES.is_dir()
                    else Path(__file__).resolve().parents[2] / "fixtures")
STARTUP_TIMEOUT = 30.0
DEFAULT_THEMED_ARTICLES = 60  # --theme without --generate

__all__ = ["DEFAULT_FIXTURES", "ReplayURL", "build_site", "serve_replay", "stop_process"]


def build_site(*, fixtures: Path = DEFAULT_FIXTURES, generate: int | None = None, page_size: int = 20,
               link_to: str | None = None, template_variant: str | None = None, first: int = 0,
               read_epoch: int = 0, theme: str | None = None):
    """The site model: generated (``generate`` articles) or the fixture copy (``template_variant``: replay/variants.py).

    ``theme`` (generated sites): ``fixture`` (default), ``builtin`` or ``sibling`` (a sibling portal in
    other markup); a theme without ``generate`` serves ``DEFAULT_THEMED_ARTICLES`` articles."""
    if theme not in (None, "fixture") and not generate:
        generate = DEFAULT_THEMED_ARTICLES
    if generate:
        site = GeneratedSite(generate, page_size=page_size, fixtures=fixtures, link_to=link_to, first=first,
                             read_epoch=read_epoch, theme=make_theme(theme, fixtures))
    else:
        site = FixtureSite(fixtures, link_to=link_to)
    return with_template_variant(site, template_variant)


class ReplayURL(str):
    """The base URL of a running replay server (a ``str``), with what it serves."""

    url: str
    article_paths: list[str]
    process: subprocess.Popen

    @property
    def article_urls(self) -> list[str]:
        """The article pages' URLs, canonical (as the dataset's ``url`` column holds them)."""
        return [canonical_url(urljoin(self, path.lstrip("/"))) for path in self.article_paths]

    @property
    def article_count(self) -> int:
        return len(self.article_paths)

    def server_stats(self) -> dict:
        """The server's ``Meter`` (``/__replay__/stats``): requests, in_flight, max_in_flight."""
        import json
        from urllib.request import urlopen

        with urlopen(urljoin(self, "__replay__/stats"), timeout=10) as answer:  # loopback only
            return json.loads(answer.read())


@contextmanager
def serve_replay(
    *,
    generate: int | None = None,
    fixtures: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    page_size: int = 20,
    request_log: Path | None = None,
    link_to: str | None = None,
    template_variant: str | None = None,
    theme: str | None = None,
    first: int = 0,
    read_epoch: int = 0,
    faults: bool = False,
    fault_delay: float = 5.0,
    latency: float = 0.0,
) -> Iterator[ReplayURL]:
    """Start ``python -m dvscraper.replay`` in a subprocess; yield its base URL; stop it on exit."""
    fixtures = Path(fixtures or DEFAULT_FIXTURES)
    command = [sys.executable, "-m", "dvscraper.replay", "--host", host, "--port", str(port),
               "--fixtures", str(fixtures), "--page-size", str(page_size)]
    if generate:
        command += ["--generate", str(generate)]
    if request_log:
        command += ["--request-log", str(request_log)]
    if link_to:
        command += ["--link-to", link_to]
    if template_variant:
        command += ["--template-variant", template_variant]
    if theme:
        command += ["--theme", theme]
    if first or read_epoch:
        command += ["--first", str(first), "--read-epoch", str(read_epoch)]
    if faults:
        command += ["--faults", "--fault-delay", str(fault_delay)]
    if latency:
        command += ["--latency", str(latency)]
    site = build_site(fixtures=fixtures, generate=generate, page_size=page_size, first=first,
                      read_epoch=read_epoch, theme=theme)  # same model, for the manifest
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = _first_line(process)
        if not line.startswith("http"):
            raise RuntimeError(f"replay server did not start (exit {process.poll()}): {line!r}")
        url = ReplayURL(line)
        url.url = str(line)
        url.article_paths = site.article_paths()
        url.process = process
        yield url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` s; close its pipes (a server started for a test or bench)."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pipe in (process.stdout, process.stderr):
        if pipe:
            pipe.close()


def _first_line(process: subprocess.Popen) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(STARTUP_TIMEOUT)
    if not result:
        raise RuntimeError(f"replay server printed no URL within {STARTUP_TIMEOUT:.0f}s")
    return result[0].strip()
