"""A sibling portal added with a profile and no code: crawls of the replay's sibling theme.

- ``--sites-file examples/sites.toml --site sibling --start-url <replay>``: a profile with no
  selectors at all, on a site whose template shares nothing with Điện Biên's markup; every
  article is written, field by field as the replay's model says, with the coverage computed
  from the Parquet output;
- ``--sites-file FILE`` with two sites (the Điện Biên replay on 127.0.0.1, the sibling on
  127.0.0.2): one run, each site under its own partition, each page read by its site's profile;
- ``--site dienbien --start-url <replay>``: the bundled profile at a mirror.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from dvscraper.analysis.figures import field_coverage
from dvscraper.dataset.layout import parquet_files
from dvscraper.normalize.urls import canonical_url
from dvscraper.replay import build_site, serve_replay
from dvscraper.replay.sibling_theme import INTRO_PATH
from tests.conftest import REPO, run_cli_crawl, write_sites_file

EXAMPLE = REPO / "examples" / "sites.toml"
N_SIBLING = 60
# Fields the sibling template shows on every generated article (the intro page has no read count,
# lead, sub-heading or byline); images: on the articles the model gives one (4 in 5).
EVERY_ARTICLE = ("title", "published_at", "published_at_raw", "read_count", "summary", "event_date", "body_text",
                 "headings", "category", "breadcrumb", "byline", "authors")


def _rows(output: Path) -> list[dict]:
    return pads.dataset(output / "articles", format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture(scope="module")
def sibling_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sibling")
    with serve_replay(generate=N_SIBLING, theme="sibling", host="127.0.0.2") as url:
        result, summary = run_cli_crawl("--sites-file", str(EXAMPLE), "--site", "sibling", "--start-url", url,
                                        "--output", str(tmp / "out"))
        return url, tmp / "out", result, summary


def test_a_profile_without_selectors_reads_a_sibling_template(sibling_crawl):
    import pandas as pd

    url, output, result, summary = sibling_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary["sites"] == ["sibling"]
    model = build_site(generate=N_SIBLING, theme="sibling")
    rows = {r["url"]: r for r in _rows(output)}
    expected_urls = set(url.article_urls)
    assert set(rows) == expected_urls and len(expected_urls) == N_SIBLING + 1  # + the intro page

    # every article as the model made it
    for i in range(N_SIBLING):
        a = model.article(i)
        row = rows[canonical_url(url.rstrip("/") + a.path)]
        assert row["title"] == a.title
        assert row["published_at"] == a.published_at.replace(second=0)  # this portal shows HH:MM
        assert row["read_count"] == a.read_count
        assert row["summary"] == a.summary
        assert row["category"] == model.categories[a.category][1]
        assert row["breadcrumb"] == ["Trang chủ", model.categories[a.category][1]]
        assert row["authors"] and row["authors"][0] == model.body(a)["byline"].split(": ", 1)[1]
        assert len(row["images"]) == (1 if model.body(a)["image"] else 0)
        assert row["site"] == "127.0.0.2"

    # per-field coverage, from the Parquet output
    frame = pd.read_parquet(output / "articles", dtype_backend="pyarrow")
    intro = canonical_url(url.rstrip("/") + INTRO_PATH)
    articles = frame[frame["url"] != intro]
    coverage = field_coverage(articles)
    print("\nsibling field coverage (60 generated articles):\n" + coverage.round(3).to_string())
    for name in EVERY_ARTICLE:
        assert coverage[name] == 1.0, name
    with_image = sum(1 for i in range(N_SIBLING) if model.body(model.article(i))["image"])
    assert coverage["images"] == with_image / N_SIBLING
    overall = field_coverage(frame)
    assert overall[["title", "published_at", "body_text", "category", "breadcrumb"]].min() == 1.0
    quality = summary["quality"]
    assert not quality.get("breaches"), quality


def test_the_sibling_crawl_stays_on_its_mirror(sibling_crawl):
    url, output, _result, summary = sibling_crawl
    assert summary["start_urls"] == [url.url]
    assert not summary["failures"]
    assert {p.relative_to(output / "articles").parts[0] for p in parquet_files(output / "articles")} == {"127.0.0.2"}


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-sites")
    with serve_replay(generate=40, theme="builtin") as dienbien, \
            serve_replay(generate=N_SIBLING, theme="sibling", host="127.0.0.2") as sibling:
        sites = write_sites_file(tmp / "sites.toml", dienbien.url, sibling.url)
        result, summary = run_cli_crawl("--sites-file", str(sites), "--output", str(tmp / "out"))
        return dienbien, sibling, tmp / "out", result, summary


def test_a_sites_file_crawls_every_site_in_one_run_partitioned_by_site(two_sites):
    dienbien, sibling, output, result, summary = two_sites
    assert result.returncode == 0, result.stderr[-3000:]
    assert summary["sites"] == ["portal-replay", "sibling-replay"]
    assert summary["start_urls"] == [dienbien.url, sibling.url]
    rows = _rows(output)
    by_site: dict[str, set] = {}
    for row in rows:
        by_site.setdefault(row["site"], set()).add(row["url"])
    assert by_site == {"127.0.0.1": set(dienbien.article_urls), "127.0.0.2": set(sibling.article_urls)}
    articles = output / "articles"
    for path in parquet_files(articles):
        site, year, month = path.relative_to(articles).parts[:3]
        assert set(pq.read_table(path, columns=["site"]).column(0).to_pylist()) == {site}
        assert year.startswith("year=") and month.startswith("month=")
    assert {p.relative_to(articles).parts[0] for p in parquet_files(articles)} == {"127.0.0.1", "127.0.0.2"}
    assert summary["failures"] == {"http_404": 1}  # the built-in theme's dead link (/VanBan)


def test_the_bundled_profile_at_a_mirror(tmp_path):
    with serve_replay(generate=30, theme="builtin") as url:
        result, summary = run_cli_crawl("--site", "dienbien", "--start-url", url, "--output", str(tmp_path / "out"))
        assert result.returncode == 0, result.stderr[-3000:]
        assert summary["sites"] == ["dienbien"]
        assert {r["url"] for r in _rows(tmp_path / "out")} == set(url.article_urls)
