"""End to end: `dvscraper crawl` of the replay sites on loopback, checked through the Parquet it leaves.

The expensive crawls run once per session (module-scoped fixtures), each in a
subprocess (one Twisted reactor per process), against replay servers on ephemeral
loopback ports.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from dvscraper.dataset.layout import parquet_files
from dvscraper.dataset.schemas import ARTICLE_SCHEMA
from dvscraper.normalize.urls import article_id, canonical_url
from dvscraper.records import ARTICLE_FIELDS
from dvscraper.replay import serve_replay
from dvscraper.replay.fixture_site import FixtureSite
from tests.conftest import FIXTURES, run_cli_crawl

HAS_FIXTURE_SITE = (FIXTURES / "replay" / "routes.json").is_file()
needs_fixture_site = pytest.mark.skipif(not HAS_FIXTURE_SITE, reason="fixtures/replay/routes.json not written yet")


class Crawl:
    def __init__(self, url, output: Path, result, summary, requests: list[str], elsewhere: list[str] | None = None):
        self.url = url
        self.base = url.rstrip("/")
        self.output = output
        self.result = result
        self.summary = summary
        self.requests = requests  # "METHOD URI STATUS" lines logged by the replay server
        self.elsewhere = elsewhere  # what the *other* server (linked from every page) saw meanwhile

    def table(self) -> pa.Table:
        return pads.dataset(self.output / "articles", format="parquet", partitioning="hive").to_table()

    def rows(self) -> list[dict]:
        return self.table().select(list(ARTICLE_FIELDS)).to_pylist()


def _log_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


# -- the fixture copy of the portal ---------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_crawl(tmp_path_factory) -> Crawl:
    if not HAS_FIXTURE_SITE:
        pytest.skip("fixtures/replay/routes.json not written yet")
    tmp = tmp_path_factory.mktemp("crawl-fixtures")
    other_log, site_log = tmp / "other.log", tmp / "site.log"
    # Every page of the crawled site links to the other server (same address, another port).
    with serve_replay(request_log=other_log) as other, \
            serve_replay(request_log=site_log, link_to=f"{other}T/TIN-TUC-SU-KIEN") as url:
        result, summary = run_cli_crawl("--start-url", url, "--output", str(tmp / "out"))
        return Crawl(url, tmp / "out", result, summary, _log_lines(site_log), _log_lines(other_log))


@needs_fixture_site
def test_crawl_finishes_with_exit_0(fixture_crawl):
    assert fixture_crawl.result.returncode == 0, fixture_crawl.result.stderr[-3000:]
    assert fixture_crawl.summary["finish_reason"] == "finished"
    assert fixture_crawl.result.stderr.count("Traceback") == 0, fixture_crawl.result.stderr[-3000:]


@needs_fixture_site
def test_articles_written_are_exactly_the_article_pages(fixture_crawl):
    expected = {canonical_url(fixture_crawl.base + path) for path in FixtureSite(FIXTURES).article_paths()}
    written = [row["url"] for row in fixture_crawl.rows()]
    missing, extra = expected - set(written), set(written) - expected
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"
    assert fixture_crawl.summary["articles_written"] == len(expected)


@needs_fixture_site
def test_no_duplicate_rows(fixture_crawl):
    rows = fixture_crawl.rows()
    assert len({r["article_id"] for r in rows}) == len(rows)
    assert len({r["url"] for r in rows}) == len(rows)


@needs_fixture_site
def test_every_file_has_the_article_schema(fixture_crawl):
    files = parquet_files(fixture_crawl.output / "articles")
    assert files
    for path in files:
        assert pq.read_schema(path).equals(ARTICLE_SCHEMA), path
        year, month = path.parent.parent.name, path.parent.name
        local = pq.read_table(path, columns=["published_at"]).column(0).to_pylist()
        assert {f"year={v.year:04d}" for v in local} == {year}
        assert {f"month={v.month:02d}" for v in local} == {month}
    assert not [p for p in fixture_crawl.output.rglob("*") if p.name.endswith(".tmp")]


@needs_fixture_site
def test_rows_equal_what_dvscraper_parse_prints(fixture_crawl):
    """A crawled row is the fixture's expected record, with the replay host in its URLs."""
    rows = {r["url"]: r for r in fixture_crawl.rows()}
    site = FixtureSite(FIXTURES)
    base = fixture_crawl.base
    checked = 0
    for path in site.article_paths():
        html = site._sources[path][0]
        expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        url = canonical_url(base + path)
        row = rows.get(url)
        assert row is not None, f"{url} not written"
        expected["url"] = url
        expected["article_id"] = article_id(url)
        expected["site"] = urlsplit(url).hostname
        for image in expected["images"]:
            image["src"] = image["src"].replace("https://dienbien.dcs.vn", base).replace("http://dienbien.dcs.vn", base)
        expected.pop("crawled_at", None)
        got = {
            **row,
            "published_at": row["published_at"].isoformat(),
            "event_date": row["event_date"].isoformat() if row["event_date"] else None,
        }
        got.pop("crawled_at")
        for field, value in expected.items():
            assert got[field] == value, f"{html.stem}: {field}: got {got[field]!r}, expected {value!r}"
        checked += 1
    assert checked


@needs_fixture_site
def test_rejects_carry_their_reasons(fixture_crawl):
    rejects = pq.read_table(fixture_crawl.output / "rejects").to_pylist() if (
        fixture_crawl.output / "rejects").exists() else []
    by_url = {r["url"]: r for r in rejects}
    base = fixture_crawl.base
    expected = {}  # the replay site's routes to not-article fixtures -> their expected reasons
    for path, (html, status, _) in FixtureSite(FIXTURES)._sources.items():
        data = json.loads(html.with_suffix(".json").read_text(encoding="utf-8")) if html.with_suffix(
            ".json").is_file() else {}
        if status == 200 and "reason" in data:
            expected[canonical_url(base + path)] = data["reason"]
    assert expected
    for url, reason in expected.items():
        assert url in by_url, f"{url} not in rejects"
        assert by_url[url]["reason"].startswith(reason), by_url[url]
    # the invalid date (31/02) is reported with the text as shown
    assert any("31/02" in r["reason"] for r in rejects)
    # listing pages are recorded too (not articles), each with a reason and a stage
    assert any("/T/" in r["url"] for r in rejects)
    assert all(r["reason"] and r["stage"] and r["at"].tzinfo for r in rejects)
    summary = fixture_crawl.summary
    assert summary["rejects_total"] == len(rejects)


@needs_fixture_site
def test_failures_list_the_404(fixture_crawl):
    failures = pq.read_table(fixture_crawl.output / "failures").to_pylist()
    served_404 = {line.split()[1] for line in fixture_crawl.requests if line.endswith(" 404")}
    assert served_404, "the replay site has a dead link"
    recorded = {urlsplit(f["url"]).path + (f"?{urlsplit(f['url']).query}" if urlsplit(f["url"]).query else "")
                for f in failures if f["kind"] == "http_404"}
    assert served_404 <= recorded
    assert all(f["status"] == 404 and f["reason"] == "HTTP 404 Not Found" for f in failures if f["kind"] == "http_404")


@needs_fixture_site
def test_nothing_outside_the_allowed_host_was_requested(fixture_crawl):
    assert fixture_crawl.elsewhere == [], "the crawl fetched from another host:port"
    routes = FixtureSite(FIXTURES)
    for line in fixture_crawl.requests:
        method, uri, _status = line.split()
        assert method == "GET"
        assert not uri.lower().startswith("/admin/"), "robots.txt disallows /Admin/"
    assert "GET /robots.txt 200" in fixture_crawl.requests
    failures = pq.read_table(fixture_crawl.output / "failures").to_pylist()
    assert all(f["url"].startswith(fixture_crawl.base + "/") for f in failures)
    assert routes.article_paths()


@needs_fixture_site
def test_all_readers_give_the_same_rows_and_types(fixture_crawl):
    import duckdb
    import pandas as pd
    import polars as pl

    articles = fixture_crawl.output / "articles"
    key = ["article_id", "url", "published_at", "read_count", "word_count", "event_date"]

    arrow = pads.dataset(articles, format="parquet", partitioning="hive").to_table()
    frame = pd.read_parquet(articles, dtype_backend="pyarrow")
    polars = pl.read_parquet(f"{articles}/**/*.parquet", hive_partitioning=True)
    duck = duckdb.sql(f"SELECT * FROM read_parquet('{articles}/**/*.parquet', hive_partitioning=true)")

    def canonical(records):
        out = []
        for r in records:
            published = r["published_at"]
            if hasattr(published, "to_pydatetime"):
                published = published.to_pydatetime()
            event = r["event_date"]
            if hasattr(event, "date") and not isinstance(event, dt.date):
                event = event.date()
            read_count = r["read_count"]
            out.append((r["article_id"], r["url"], published.astimezone(dt.timezone.utc),
                        None if read_count is None or read_count != read_count else int(read_count),
                        int(r["word_count"]), event))
        return sorted(out)

    by_arrow = canonical(arrow.select(key).to_pylist())
    assert by_arrow
    assert canonical(frame[key].astype(object).where(frame[key].notna(), None).to_dict("records")) == by_arrow
    assert canonical(polars.select(key).to_dicts()) == by_arrow
    assert canonical([dict(zip(key, row)) for row in duck.select(", ".join(key)).fetchall()]) == by_arrow

    # types: published_at tz-aware, read_count int64 in every reader
    assert arrow.schema.field("published_at").type == pa.timestamp("us", tz="Asia/Ho_Chi_Minh")
    assert arrow.schema.field("read_count").type == pa.int64()
    assert str(frame["published_at"].dtype) == "timestamp[us, tz=Asia/Ho_Chi_Minh][pyarrow]"
    assert str(frame["read_count"].dtype) == "int64[pyarrow]"
    assert polars.schema["published_at"] == pl.Datetime("us", "Asia/Ho_Chi_Minh")
    assert polars.schema["read_count"] == pl.Int64
    types = dict(zip(duck.columns, (str(t) for t in duck.types)))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["read_count"] == "BIGINT"
    assert types["images"] == "STRUCT(src VARCHAR, caption VARCHAR, alt VARCHAR)[]"


@needs_fixture_site
def test_a_second_crawl_into_the_same_output_adds_no_duplicates(fixture_crawl, tmp_path):
    before = fixture_crawl.table().num_rows
    with serve_replay(port=urlsplit(fixture_crawl.url).port) as url:  # the same site, same host key
        result, summary = run_cli_crawl("--start-url", url, "--output", str(fixture_crawl.output))
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["articles_written"] == 0
    # Incremental: known articles are not even fetched again (teasers skipped, listings stop early).
    assert summary["duplicates_skipped"] == 0
    assert summary["known_articles_at_start"] == before
    assert summary["requests_sent"] < fixture_crawl.summary["requests_sent"] - before // 2
    table = fixture_crawl.table()
    assert table.num_rows == before
    assert len(set(table.column("article_id").to_pylist())) == before


@needs_fixture_site
def test_a_start_url_on_another_port_works_unchanged(fixture_crawl, tmp_path):
    with serve_replay() as other:
        assert urlsplit(other).port != urlsplit(fixture_crawl.url).port
        result, _summary = run_cli_crawl("--start-url", other, "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-2000:]
    rows = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    got = {urlsplit(r["url"]).path + ("?" + urlsplit(r["url"]).query if urlsplit(r["url"]).query else "")
           for r in rows}
    want = {urlsplit(fixture_crawl.base + p).path + ("?" + urlsplit(p).query if urlsplit(p).query else "")
            for p in FixtureSite(FIXTURES).article_paths()}
    assert got == want
    assert {urlsplit(r["url"]).netloc for r in rows} == {urlsplit(other).netloc}


# -- a generated site: pagination depth, --since, --max-pages -------------------------------------
@pytest.fixture(scope="module")
def generated_site():
    with serve_replay(generate=240, page_size=10) as url:  # markup cut from the fixtures (FixtureTheme)
        yield url


@pytest.fixture(scope="module")
def generated_crawl(generated_site, tmp_path_factory) -> Crawl:
    out = tmp_path_factory.mktemp("crawl-generated") / "out"
    result, summary = run_cli_crawl("--start-url", generated_site, "--output", str(out))
    return Crawl(generated_site, out, result, summary, [])


def test_generated_site_crawl_is_complete(generated_crawl):
    assert generated_crawl.result.returncode == 0, generated_crawl.result.stderr[-3000:]
    urls = {r["url"] for r in generated_crawl.rows()}
    assert urls == {canonical_url(u) for u in generated_crawl.url.article_urls}
    summary = generated_crawl.summary
    assert summary["articles_written"] == 241 and summary["duplicates_skipped"] == 0
    # every page once: robots.txt + home + 3 categories x 8 listing pages + contact + a dead link + 241 articles
    assert summary["pages_fetched"] == 1 + 1 + 24 + 1 + 1 + 241
    assert summary["failures"] == {"http_404": 1, "robots": 1}  # /Admin/ is disallowed by robots.txt
    run_file = Path(summary["summary_file"])
    assert run_file.is_file() and json.loads(run_file.read_text())["run_id"] == summary["run_id"]
    # one hive partition per month of the (local) publication dates
    months = {(r["published_at"].year, r["published_at"].month) for r in generated_crawl.rows()}
    assert {(int(p.parent.parent.name[5:]), int(p.parent.name[6:])) for p in
            parquet_files(generated_crawl.output / "articles")} == months


def test_since_until_bound_the_crawl(generated_site, generated_crawl, tmp_path):
    rows = generated_crawl.rows()
    published = sorted(r["published_at"] for r in rows if r["published_at"].year >= 2020)  # not the 2018 intro
    since = published[len(published) // 2].date()  # about the newest half
    until = published[-3].date()
    result, summary = run_cli_crawl("--start-url", generated_site, "--output", str(tmp_path / "out"),
                                    "--since", since.isoformat(), "--until", until.isoformat())
    assert result.returncode == 0, result.stderr[-2000:]
    got = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    assert got
    assert all(since <= r["published_at"].date() <= until for r in got)
    want = {r["url"] for r in rows if since <= r["published_at"].date() <= until}
    assert {r["url"] for r in got} == want
    # listings stop paging once a whole page is older than --since: far fewer pages than a full crawl
    assert summary["pages_fetched"] < generated_crawl.summary["pages_fetched"] * 0.75


def test_max_pages_stops_the_crawl(generated_site, tmp_path):
    result, summary = run_cli_crawl("--start-url", generated_site, "--output", str(tmp_path / "out"),
                                    "--max-pages", "12")
    assert result.returncode == 0, result.stderr[-2000:]
    assert summary["finish_reason"] == "closespider_pagecount"
    assert 12 <= summary["pages_fetched"] <= 12 + 16  # requests in flight when the limit hits complete


@pytest.mark.parametrize("args, message", [
    (["--start-url", "ftp://127.0.0.1/"], "http(s)"),
    (["--since", "yesterday"], "bad --since"),
    (["--since", "2024-02-01", "--until", "2024-01-01"], "before"),
    (["--max-pages", "-3"], "max-pages"),
])
def test_bad_arguments_exit_2_with_one_line(args, message, tmp_path):
    result, _ = run_cli_crawl(*args, "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvscraper: ") and message in lines[0]


def test_unwritable_output_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result, _ = run_cli_crawl("--start-url", "http://127.0.0.1:9/", "--output", str(blocker / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("dvscraper: cannot write to")


def test_unreachable_start_url_exits_1_with_reason(tmp_path):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on any more
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, summary = run_cli_crawl("--start-url", f"http://127.0.0.1:{port}/", "--output", str(tmp_path / "out"),
                                    "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("dvscraper: no page could be fetched") and "connection" in last
    assert summary["failures_total"] >= 1


@needs_fixture_site
def test_demo_crawls_every_article_page_of_the_bundled_replay(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "dvscraper.cli", "demo", "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    n = len(FixtureSite(FIXTURES).article_paths())
    assert f"article pages of the replay site in the dataset: {n} of {n}" in result.stdout
    assert 'pd.read_parquet("' in result.stdout and "read_parquet('" in result.stdout
    assert pq.read_table(tmp_path / "out" / "articles").num_rows == n


@pytest.mark.parametrize("limit", [1, 3])
def test_one_process_never_has_more_than_the_per_host_limit_in_flight(limit, tmp_path):
    """Measured at the host. Scrapy 2.19's own per-slot limit does not hold without a delay on the
    asyncio reactor (dvscraper/middlewares/host_limit.py); HostLimitMiddleware holds it."""
    with serve_replay(generate=40, latency=0.02) as url:
        result, summary = run_cli_crawl("--start-url", url, "--output", str(tmp_path / "out"),
                                        "-s", f"DV_LOOPBACK_CONCURRENCY={limit}")
        assert result.returncode == 0, result.stderr[-2000:]
        assert summary["articles_written"] == url.article_count
        assert url.server_stats()["max_in_flight"] == limit
