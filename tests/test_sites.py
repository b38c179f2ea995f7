"""Site profiles (dvscraper/sites): loading and validation, the CLI's exit 2, what a crawl of
several sites is allowed and which profile reads which host, politeness as Scrapy DOWNLOAD_SLOTS,
and the dataset's site partitions (readers, the move from the older layout)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scrapy import Request
from scrapy.crawler import Crawler

from dvscraper.dataset.layout import migrate_legacy_articles, parquet_files, site_dir
from dvscraper.dataset.schemas import ARTICLE_SCHEMA
from dvscraper.parse.profile import DEFAULT_PROFILE, EMPTY_PROFILE
from dvscraper.sites import (
    bundled_names,
    download_slots,
    load_site,
    load_sites_file,
    resolve_sites,
)
from dvscraper.spiders.params import CrawlParams
from dvscraper.spiders.portal import PortalSpider
from pipelines.parquet import ParquetPipeline
from tests.conftest import REPO, build_article, run_cli_crawl

EXAMPLE = REPO / "examples" / "sites.toml"

SIBLING = """
[[site]]
name = "sibling"
start_urls = ["http://127.0.0.2:8001/"]
"""


def write(tmp_path: Path, text: str, name: str = "sites.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- loading ------------------------------------------------------------------------------------
def test_the_bundled_profile_is_the_parsers_default():
    assert "dienbien" in bundled_names()
    site = load_site("dienbien")
    assert site.start_urls == ("https://dienbien.dcs.vn/",)
    assert "dienbien.dcs.vn" in site.hosts
    assert site.profile == DEFAULT_PROFILE  # the selectors live in dienbien.toml only
    assert (DEFAULT_PROFILE.title, DEFAULT_PROFILE.meta) == (".title-detail", ".date-detail")
    # shipped as package data
    assert (resources.files("dvscraper.sites") / "dienbien.toml").is_file()
    assert '"dvscraper.sites" = ["*.toml"]' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_the_example_sites_file_has_a_profile_without_selectors():
    sites = {s.name: s for s in load_sites_file(EXAMPLE)}
    assert set(sites) == {"dienbien", "sibling"}
    sibling = sites["sibling"].profile
    assert not any(getattr(sibling, f) for f in ("title", "meta", "summary", "body", "breadcrumb"))
    assert sites["dienbien"].profile == DEFAULT_PROFILE


def test_resolve_sites(tmp_path):
    file = write(tmp_path, SIBLING + '\n[[site]]\nname = "other"\nstart_urls = ["https://other.example/"]\n')
    assert [s.name for s in resolve_sites()] == ["dienbien"]
    assert [s.name for s in resolve_sites(sites_file=file)] == ["sibling", "other"]
    assert [s.name for s in resolve_sites(["other", "dienbien"], file)] == ["other", "dienbien"]
    assert [s.name for s in resolve_sites("sibling,dienbien", file)] == ["sibling", "dienbien"]
    (mirror,) = resolve_sites(["sibling"], file, ("http://127.0.0.1:9000/",))
    assert mirror.start_urls == ("http://127.0.0.1:9000/",) and "127.0.0.1" in mirror.hosts
    assert mirror.allowed_hosts == {"127.0.0.1:9000"}  # a mirror: the crawl stays on it


@pytest.mark.parametrize("text, message", [
    ("name = [", "not valid TOML"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\ncolour = "red"\n', "unknown field 'colour'"),
    ('[[site]]\nname = "x"\n', "missing start_urls"),
    ('[[site]]\nname = "x"\nstart_urls = []\n', "missing start_urls"),
    ('[[site]]\nname = "x"\nstart_urls = ["ftp://x.example/"]\n', "http(s)"),
    ('[[site]]\nstart_urls = ["https://x.example/"]\n', "'name'"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[site.selectors]\nauthor = ".a"\n',
     "unknown selector 'author'"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[site.selectors]\ntitle = "h1[["\n',
     "bad CSS selector"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[site.politeness]\nconcurrency = 0\n',
     "concurrency"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[site.politeness]\ndelay = "1s"\n', "delay"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[site.politeness]\nspeed = 1\n',
     "unknown politeness field 'speed'"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[[site]]\nname = "x"\n'
     'start_urls = ["https://y.example/"]\n', "defined twice"),
    ('[[site]]\nname = "x"\nstart_urls = ["https://x.example/"]\n[[site]]\nname = "y"\n'
     'start_urls = ["https://x.example/"]\n', "both claim host"),
    ('name = "x"\nstart_urls = ["https://x.example/"]\n', "unknown top-level field"),
])
def test_a_bad_sites_file_is_one_line(tmp_path, text, message):
    with pytest.raises(ValueError) as caught:
        resolve_sites(sites_file=write(tmp_path, text))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_names_and_ambiguous_mirrors_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown site 'nope'"):
        resolve_sites(["nope"])
    with pytest.raises(ValueError, match="not found"):
        resolve_sites(sites_file=tmp_path / "missing.toml")
    with pytest.raises(ValueError, match="exactly one site"):
        resolve_sites(["dienbien", "sibling"], write(tmp_path, SIBLING), ("http://127.0.0.1:9/",))


@pytest.mark.parametrize("args, message", [
    (["--site", "nope"], "unknown site 'nope'"),
    (["--sites-file", "/nonexistent/sites.toml"], "not found"),
    (["--sites-file", str(REPO / "pyproject.toml")], "unknown top-level field"),
    (["--sites-file", str(EXAMPLE), "--start-url", "http://127.0.0.1:9/"], "exactly one site"),
])
def test_the_cli_exits_2_with_one_line(args, message, tmp_path):
    result, _ = run_cli_crawl(*args, "--output", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvscraper: ") and message in lines[0], lines


# -- hosts and profiles of a crawl --------------------------------------------------------------
def test_params_pick_the_profile_by_host(tmp_path):
    file = write(tmp_path, SIBLING)
    default = CrawlParams.parse()
    assert default.site_names == ["dienbien"] and default.start_urls == ("https://dienbien.dcs.vn/",)
    assert default.allowed_hosts == {"dienbien.dcs.vn", "www.dienbien.dcs.vn"}
    assert default.profile_for("https://www.dienbien.dcs.vn/TinTuc/x") == DEFAULT_PROFILE

    both = CrawlParams.parse(sites=["dienbien", "sibling"], sites_file=file)
    assert both.start_urls == ("https://dienbien.dcs.vn/", "http://127.0.0.2:8001/")
    assert both.allowed_hosts == {"dienbien.dcs.vn", "www.dienbien.dcs.vn", "127.0.0.2:8001"}
    assert both.profile_for("https://dienbien.dcs.vn/a") == DEFAULT_PROFILE
    sibling = both.profile_for("http://127.0.0.2:8001/TinBai/a-1")
    assert sibling.name == "sibling" and sibling.simple_selectors == ()
    assert both.profile_for("http://127.0.0.2:9999/x").name == "sibling"  # same host name, other port
    assert both.profile_for("https://elsewhere.example/") == EMPTY_PROFILE  # no site claims it

    # one site at a mirror: its profile reads the mirror, the crawl stays there
    mirror = CrawlParams.parse(sites=["dienbien"], start_urls="http://127.0.0.1:8123/")
    assert mirror.allowed_hosts == {"127.0.0.1:8123"}
    assert mirror.profile_for("http://127.0.0.1:8123/x") == DEFAULT_PROFILE
    # no site set (a bare CrawlParams): the parser's default profile everywhere, as before
    assert CrawlParams(start_urls=("http://127.0.0.1:1/",)).profile_for("http://127.0.0.1:1/") is DEFAULT_PROFILE


def new_crawler(values: dict | None = None) -> Crawler:
    from dvscraper.runs.runner import project_settings

    return Crawler(PortalSpider, project_settings(values or {}))


def test_scrapy_crawl_takes_sites_as_spider_arguments_and_settings(tmp_path):
    file = write(tmp_path, SIBLING)
    crawler = new_crawler()
    spider = PortalSpider.from_crawler(crawler, site="sibling", sites_file=str(file), output=str(tmp_path / "o"))
    assert spider.params.site_names == ["sibling"] and spider.start_urls == ["http://127.0.0.2:8001/"]
    assert crawler.settings.getlist("DV_SITES") == ["sibling"]
    assert spider.profile_for("http://127.0.0.2:8001/TinBai/x-1").name == "sibling"

    crawler = new_crawler({"DV_SITES_FILE": str(file), "DV_OUTPUT_DIR": str(tmp_path / "o")})
    spider = PortalSpider.from_crawler(crawler)  # scrapy crawl portal -s DV_SITES_FILE=...
    assert spider.params.site_names == ["sibling"]
    crawler = new_crawler({"DV_OUTPUT_DIR": str(tmp_path / "o")})
    spider = PortalSpider.from_crawler(crawler)  # nothing said: the dienbien profile and its start URL
    assert spider.params.site_names == ["dienbien"] and spider.start_urls == ["https://dienbien.dcs.vn/"]
    with pytest.raises(ValueError, match="unknown site"):
        PortalSpider.from_crawler(new_crawler(), site="nope")


# -- politeness -> DOWNLOAD_SLOTS ---------------------------------------------------------------
POLITE = SIBLING.replace('start_urls = ["http://127.0.0.2:8001/"]', '''start_urls = ["http://127.0.0.2:8001/"]
hosts = ["sibling.example"]
[site.politeness]
concurrency = 3
delay = 0.25''')


def _downloader_slot(crawler: Crawler, url: str):
    """The slot the installed Scrapy's downloader gives a request (its DOWNLOAD_SLOTS semantics)."""
    from scrapy.core.downloader import Downloader

    settings = crawler.settings  # what Downloader.__init__ reads, without a running crawl
    downloader = Downloader.__new__(Downloader)
    downloader.slots = {}
    downloader.per_slot_settings = settings.getdict("DOWNLOAD_SLOTS")
    downloader.domain_concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
    downloader.ip_concurrency = settings.getint("CONCURRENT_REQUESTS_PER_IP")
    downloader._delay = settings.getfloat("DOWNLOAD_DELAY")
    downloader._jitter = 0.0
    downloader._start_slot_gc = lambda: None
    return downloader._get_slot(Request(url))[1]


def test_politeness_written_in_a_profile_becomes_a_download_slot_and_wins_on_loopback(tmp_path):
    file = write(tmp_path, POLITE)
    (site,) = load_sites_file(file)
    assert download_slots([site]) == {"sibling.example": {"concurrency": 3, "delay": 0.25},
                                      "127.0.0.2": {"concurrency": 3, "delay": 0.25}}
    crawler = new_crawler()
    spider = PortalSpider.from_crawler(crawler, sites_file=str(file), output=str(tmp_path / "o"))
    settings = crawler.settings
    # loopback start URLs relax the defaults ...
    assert settings.getfloat("DOWNLOAD_DELAY") == 0 and settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 16
    # ... but the profile's own politeness is a per-host slot, which the downloader applies
    assert settings.getdict("DOWNLOAD_SLOTS")["127.0.0.2"] == {"concurrency": 3, "delay": 0.25}
    slot = _downloader_slot(crawler, "http://127.0.0.2:8001/T/TIN-TUC")
    assert (slot.concurrency, slot.delay) == (3, 0.25)
    other = _downloader_slot(crawler, "http://127.0.0.1:8001/")
    assert (other.concurrency, other.delay) == (16, 0)  # a host without a profile politeness: the defaults
    # a fixed delay: AutoThrottle is told to leave that host's slot alone
    assert spider._request("http://127.0.0.2:8001/x", priority=0, depth=0).meta["autothrottle_dont_adjust_delay"]
    assert "autothrottle_dont_adjust_delay" not in spider._request("http://127.0.0.1:8001/x", priority=0, depth=0).meta


def test_without_politeness_the_polite_defaults_stay(tmp_path):
    crawler = new_crawler()
    PortalSpider.from_crawler(crawler, output=str(tmp_path / "o"))  # the live dienbien portal
    settings = crawler.settings
    assert not settings.getdict("DOWNLOAD_SLOTS")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2 and settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    slot = _downloader_slot(crawler, "https://dienbien.dcs.vn/")
    assert (slot.concurrency, slot.delay) == (2, 1.0)


# -- the dataset, partitioned by site -----------------------------------------------------------
def _two_site_articles():
    return [build_article(i) for i in range(3)] + [
        build_article(10 + i, url=f"http://127.0.0.2:8001/TinBai/bai-{i}", site="127.0.0.2") for i in range(2)]


def test_articles_are_partitioned_by_site_and_every_reader_loads_them(tmp_path, stats):
    import duckdb
    import pandas as pd
    import polars as pl

    pipeline = ParquetPipeline(tmp_path, run_id="r1", stats=stats)
    pipeline.open_spider()
    for article in _two_site_articles():
        pipeline.process_item(article)
    pipeline.close_spider()
    articles = tmp_path / "articles"
    for path in parquet_files(articles):
        site_folder = path.relative_to(articles).parts[0]
        assert {site_dir(s) for s in pq.read_table(path, columns=["site"]).column(0).to_pylist()} == {site_folder}
    assert {p.relative_to(articles).parts[0] for p in parquet_files(articles)} == {"dienbien.dcs.vn", "127.0.0.2"}

    frame = pd.read_parquet(articles, dtype_backend="pyarrow")
    polars = pl.read_parquet(f"{articles}/**/*.parquet", hive_partitioning=True)
    duck = duckdb.sql(f"SELECT * FROM read_parquet('{articles}/**/*.parquet', hive_partitioning=true)")
    expected = {"dienbien.dcs.vn": 3, "127.0.0.2": 2}
    assert frame["site"].value_counts().to_dict() == expected
    assert str(frame["site"].dtype) == "string[pyarrow]"
    assert polars["site"].dtype == pl.String and dict(polars["site"].value_counts().iter_rows()) == expected
    assert dict(duck.aggregate("site, count(*)").fetchall()) == expected
    assert dict(zip(duck.columns, duck.types))["site"] == "VARCHAR"
    # the dataset gains no column: the contract's, plus the year/month hive keys as before
    assert set(frame.columns) - set(ARTICLE_SCHEMA.names) == {"year", "month"}
    assert set(polars.columns) - set(ARTICLE_SCHEMA.names) == {"year", "month"}


def _write_legacy(articles: Path, name: str, rows: list) -> Path:
    """A file of the layout before site partitions: articles/year=YYYY/month=MM/<name>."""
    import pyarrow as pa

    folder = articles / "year=2023" / "month=01"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    pq.write_table(pa.Table.from_pylist([a.to_row() for a in rows], schema=ARTICLE_SCHEMA), path)
    return path


def test_an_output_of_the_older_layout_moves_into_site_partitions_once(tmp_path):
    from dvscraper.normalize.dates import VN_TZ

    articles = tmp_path / "articles"
    january = dt.datetime(2023, 1, 13, 17, 36, 49, tzinfo=VN_TZ)
    one_site = [build_article(i, published_at=january) for i in range(2)]
    mixed = [build_article(5, published_at=january),
             build_article(6, url="http://127.0.0.2:8001/TinBai/b-6", site="127.0.0.2", published_at=january)]
    _write_legacy(articles, "part-old-0.parquet", one_site)
    _write_legacy(articles, "part-old-1.parquet", mixed)
    ids_before = {a.article_id for a in one_site + mixed}

    assert migrate_legacy_articles(articles) == 2
    files = {p.relative_to(articles).as_posix() for p in parquet_files(articles)}
    assert files == {"dienbien.dcs.vn/year=2023/month=01/part-old-0.parquet",
                     "dienbien.dcs.vn/year=2023/month=01/part-old-1.parquet",
                     "127.0.0.2/year=2023/month=01/part-old-1.parquet"}
    assert not (articles / "year=2023").exists()  # the old folders are gone
    assert not list(tmp_path.rglob("*.tmp"))
    rows = [r for p in parquet_files(articles) for r in pq.read_table(p).to_pylist()]
    assert {r["article_id"] for r in rows} == ids_before and len(rows) == 4  # nothing lost, nothing doubled
    for path in parquet_files(articles):
        assert pq.read_schema(path).equals(ARTICLE_SCHEMA)
        assert {site_dir(s) for s in pq.read_table(path).column("site").to_pylist()} == {
            path.relative_to(articles).parts[0]}
    assert migrate_legacy_articles(articles) == 0  # once


def test_a_split_killed_halfway_is_finished_by_the_next_call(tmp_path):
    articles = tmp_path / "articles"
    mixed = [build_article(5), build_article(6, url="http://127.0.0.2:8001/TinBai/b-6", site="127.0.0.2")]
    legacy = _write_legacy(articles, "part-old-1.parquet", mixed)
    # as if killed after the first site's part was renamed into place, before the old file was removed
    done = articles / "dienbien.dcs.vn" / "year=2023" / "month=01" / "part-old-1.parquet"
    done.parent.mkdir(parents=True)
    import shutil

    shutil.copy(legacy, done)
    assert migrate_legacy_articles(articles) == 1
    rows = [r for p in parquet_files(articles) for r in pq.read_table(p).to_pylist()]
    assert sorted(r["site"] for r in rows) == ["127.0.0.2", "dienbien.dcs.vn"]


def test_a_crawl_and_compact_move_the_older_layout_first(tmp_path, stats):
    import subprocess
    import sys

    articles = tmp_path / "articles"
    _write_legacy(articles, "part-old-0.parquet", [build_article(0)])
    pipeline = ParquetPipeline(tmp_path, run_id="r2", stats=stats)
    pipeline.open_spider()  # what every crawl does first
    pipeline.close_spider()
    assert stats.values["dv/migrated_legacy_files"] == 1
    assert [p.relative_to(articles).parts[0] for p in parquet_files(articles)] == ["dienbien.dcs.vn"]

    other = tmp_path / "other"
    _write_legacy(other / "articles", "part-old-0.parquet", [build_article(0), build_article(1)])
    result = subprocess.run([sys.executable, "-m", "dvscraper.cli", "compact", str(other)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    files = parquet_files(other / "articles")
    assert len(files) == 1 and files[0].relative_to(other / "articles").parts[0] == "dienbien.dcs.vn"
    assert pq.read_metadata(files[0]).num_rows == 2
