"""`dvscraper parse` as a user runs it (a subprocess), and the Python API behind it (SPEC §3).

Exit codes: 0 record on stdout; 2 unreadable input or bad arguments; 3 not an article.
Every failure is exactly one `dvscraper: ...` line on stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_CRAWLED_AT, FIXTURES

SEED = FIXTURES / "articles" / "seed-dan-van-kheo.html"
HOME = FIXTURES / "not_articles" / "home.html"
SEED_URL = "https://dienbien.dcs.vn/TinTuc/Thuc-hien-tot-cong-tac-dan-van-tao-suc-lan-toa-trong-Nhan-dan"

# A small page of the portal's anatomy with relative image URLs, for --url resolution.
RELATIVE_IMAGES_ARTICLE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</title></head>
<body>
<div class="header">TRANG THÔNG TIN ĐIỆN TỬ ĐẢNG BỘ TỈNH ĐIỆN BIÊN</div>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/T/TIN-TUC">Tin tức</a></div>
<div class="main">
<h1>Hội nghị tổng kết công tác dân vận năm 2023</h1>
<div>Thời gian đăng: 12/01/2024 04:15:00 PM - Lượt đọc: 1.053</div>
<p><b>Sáng 12/1, Ban Dân vận Tỉnh ủy tổ chức Hội nghị tổng kết công tác dân vận năm 2023, triển khai
nhiệm vụ năm 2024 với sự tham dự của đại diện các sở, ban, ngành và các huyện, thị xã, thành phố.</b></p>
<p>Năm 2023, công tác dân vận của hệ thống chính trị trên địa bàn tỉnh tiếp tục được quan tâm, triển khai
đồng bộ, toàn diện trên các lĩnh vực, góp phần quan trọng vào việc thực hiện thắng lợi nhiệm vụ chính trị.</p>
<p style="text-align:center"><img src="/Uploads/images/2024/hoi-nghi.jpg" alt="Quang cảnh hội nghị"></p>
<p style="text-align:center"><em>Quang cảnh hội nghị</em></p>
<p>Các cấp ủy, chính quyền tiếp tục quan tâm lãnh đạo, chỉ đạo công tác dân vận, phát huy vai trò của Nhân
dân trong xây dựng nông thôn mới, giữ vững quốc phòng, an ninh trên địa bàn.</p>
<p style="text-align:center"><img src="../images/dai-bieu.jpg" alt="Đại biểu phát biểu"></p>
<p style="text-align:center"><em>Đại biểu phát biểu tại hội nghị</em></p>
<p>Hội nghị đã thống nhất các nhiệm vụ trọng tâm năm 2024, trong đó chú trọng phong trào thi đua
"Dân vận khéo" gắn với xây dựng nông thôn mới.</p>
<p style="text-align:right"><strong>Tin, ảnh: Minh Thùy</strong></p>
</div>
<div class="sidebar"><h3>BẢN ĐỒ HÀNH CHÍNH</h3><h3>Liên kết web</h3><div>Thống kê truy cập</div>
<div>Tổng truy cập: 1.234.567</div></div>
</body></html>
"""


def run_cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`dvscraper ARGS...` in a subprocess, bytes in and out."""
    return subprocess.run(
        [sys.executable, "-m", "dvscraper.cli", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def assert_one_error_line(result: subprocess.CompletedProcess, code: int) -> str:
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one stderr line, got {lines!r}"
    assert lines[0].startswith("dvscraper: ")
    assert result.stdout == b"", "stdout carries data only"
    return lines[0]


def parse_json_stdout(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    text = result.stdout.decode("utf-8")  # UTF-8 on the wire
    document = json.loads(text)  # exactly one JSON value, nothing else on stdout
    assert isinstance(document, dict)
    return document


@pytest.fixture
def relative_article(tmp_path: Path) -> Path:
    path = tmp_path / "relative-images.html"
    path.write_bytes(RELATIVE_IMAGES_ARTICLE.encode("utf-8"))
    return path


def listing_fixture() -> Path:
    listings = sorted((FIXTURES / "listings").glob("*.html"))
    assert listings, "fixtures/listings/ holds no listing page"
    return listings[0]


def fixture_url(html_path: Path) -> str:
    """The page URL recorded in the fixture's expected JSON (the fixtures' convention)."""
    expected = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    return expected["url"]


# --- an article: exit 0, one JSON object ---------------------------------------------------------


def test_seed_article_prints_one_utf8_json_object() -> None:
    result = run_cli("parse", str(SEED), "--url", SEED_URL)
    record = parse_json_stdout(result)
    text = result.stdout.decode("utf-8")
    assert "\\u" not in text, "not ASCII-escaped"
    assert record["title"] in text and not record["title"].isascii()
    assert record["published_at"] == "2023-01-13T17:36:49+07:00"
    assert record["read_count"] == 7444
    assert record["event_date"] == "2023-01-13"
    assert record["authors"] == ["Minh Thùy"]
    assert "Quang cảnh hội nghị" in [image["caption"] for image in record["images"]]
    for widget in ("BẢN ĐỒ HÀNH CHÍNH", "Liên kết web", "Thống kê truy cập", "Tổng truy cập"):
        assert widget not in record["body_text"]
    assert result.stderr == b""


def test_seed_article_record_has_contract_fields() -> None:
    from dvscraper.records import ARTICLE_FIELDS

    record = parse_json_stdout(run_cli("parse", str(SEED), "--url", SEED_URL))
    assert list(record) == list(ARTICLE_FIELDS)
    crawled_at = dt.datetime.fromisoformat(record["crawled_at"])
    assert crawled_at.utcoffset() == dt.timedelta(0), "crawled_at is UTC"
    assert abs(dt.datetime.now(dt.timezone.utc) - crawled_at) < dt.timedelta(minutes=10), "when parsed"


def test_output_is_utf8_whatever_the_locale() -> None:
    """SPEC §3: UTF-8 on stdout, also where Python would pick another stream encoding."""
    for env in ({"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "PYTHONUTF8": "0"}):
        result = run_cli("parse", str(SEED), "--url", SEED_URL, env=env)
        record = parse_json_stdout(result)
        assert "Minh Thùy" in result.stdout.decode("utf-8"), env
        assert record["authors"] == ["Minh Thùy"]


def test_default_url_is_the_file_uri() -> None:
    record = parse_json_stdout(run_cli("parse", str(SEED)))
    assert record["url"] == SEED.resolve().as_uri()
    assert record["url"].startswith("file://")


def test_url_option_sets_url_site_and_id() -> None:
    from dvscraper.normalize.urls import article_id

    record = parse_json_stdout(run_cli("parse", str(SEED), "--url", "HTTPS://DienBien.DCS.vn/Tin-tuc/a#top"))
    assert record["url"] == "https://dienbien.dcs.vn/Tin-tuc/a"
    assert record["site"] == "dienbien.dcs.vn"
    assert record["article_id"] == article_id("https://dienbien.dcs.vn/Tin-tuc/a")


def test_url_option_resolves_relative_images(relative_article: Path) -> None:
    default = parse_json_stdout(run_cli("parse", str(relative_article)))
    assert [image["src"] for image in default["images"]] == [
        "file:///Uploads/images/2024/hoi-nghi.jpg",
        (relative_article.parent.parent / "images" / "dai-bieu.jpg").as_uri(),
    ]
    given = parse_json_stdout(
        run_cli("parse", str(relative_article), "--url", "http://127.0.0.1:8765/Tin-tuc/bai-viet/hoi-nghi")
    )
    assert [image["src"] for image in given["images"]] == [
        "http://127.0.0.1:8765/Uploads/images/2024/hoi-nghi.jpg",
        "http://127.0.0.1:8765/Tin-tuc/images/dai-bieu.jpg",
    ]
    assert [image["caption"] for image in given["images"]] == [
        "Quang cảnh hội nghị",
        "Đại biểu phát biểu tại hội nghị",
    ]


def test_undecodable_bytes_leave_stderr_empty(tmp_path: Path) -> None:
    """A stray byte that is not UTF-8 is replaced in the record, with no warning on stderr."""
    path = tmp_path / "stray-byte.html"
    path.write_bytes(RELATIVE_IMAGES_ARTICLE.encode("utf-8").replace("năm 2023".encode(), b"n\xe3m 2023", 1))
    result = run_cli("parse", str(path))
    record = parse_json_stdout(result)
    assert record["published_at"] == "2024-01-12T16:15:00+07:00"
    assert result.stderr == b"", result.stderr.decode("utf-8", "replace")


def test_stdin_dash(relative_article: Path) -> None:
    result = run_cli("parse", "-", "--url", "http://dienbien.dcs.vn/a", stdin=relative_article.read_bytes())
    assert parse_json_stdout(result)["title"] == "Hội nghị tổng kết công tác dân vận năm 2023"


def test_console_script() -> None:
    """The installed `dvscraper` entry point (pyproject [project.scripts]) runs the same main()."""
    script = Path(sys.executable).with_name("dvscraper")
    if not script.exists():
        pytest.skip("dvscraper console script not installed next to this interpreter")
    result = subprocess.run([str(script), "parse", str(SEED)], capture_output=True, timeout=120)
    assert parse_json_stdout(result)["read_count"] == 7444


# --- not an article: exit 3 ----------------------------------------------------------------------


def test_home_page_is_not_an_article() -> None:
    line = assert_one_error_line(run_cli("parse", str(HOME)), 3)
    assert "not an article" in line


def test_not_article_fixtures_exit_3() -> None:
    pages = sorted((FIXTURES / "not_articles").glob("*.html"))
    assert pages, "fixtures/not_articles/ holds no page"
    for page in pages:
        assert_one_error_line(run_cli("parse", str(page)), 3)


@pytest.mark.parametrize(
    "html",
    [
        b"<html><body><h1>Only a title</h1><p>no meta line</p></body></html>",
        "<html><body><h1>Tiêu đề</h1><div>Thời gian đăng: 31/02/2023 10:00:00 AM</div></body></html>".encode(),
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"\x00\x00\x00",
    ],
    ids=["no-meta", "impossible-date", "binary", "nul-bytes"],
)
def test_junk_pages_exit_3(tmp_path: Path, html: bytes) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(html)
    assert_one_error_line(run_cli("parse", str(path)), 3)


# --- unreadable input or bad arguments: exit 2 ---------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    line = assert_one_error_line(run_cli("parse", str(tmp_path / "missing.html")), 2)
    assert "missing.html" in line


def test_directory(tmp_path: Path) -> None:
    assert_one_error_line(run_cli("parse", str(tmp_path)), 2)


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"], ids=["empty", "whitespace"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    assert_one_error_line(run_cli("parse", str(path)), 2)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.html"
    path.write_bytes(RELATIVE_IMAGES_ARTICLE.encode("utf-8"))
    path.chmod(0)
    assert_one_error_line(run_cli("parse", str(path)), 2)


@pytest.mark.parametrize(
    "args",
    [("parse",), ("parse", "a.html", "--no-such-option"), ("no-such-command",), ()],
    ids=["no-file", "bad-option", "bad-command", "nothing"],
)
def test_bad_arguments(args: tuple[str, ...]) -> None:
    assert_one_error_line(run_cli(*args), 2)


# --- --listing -----------------------------------------------------------------------------------


def test_listing_prints_items_and_next_page() -> None:
    page = listing_fixture()
    url = fixture_url(page)
    document = parse_json_stdout(run_cli("parse", "--listing", str(page), "--url", url))
    assert list(document) == ["items", "next_page"]
    assert document["items"], "a listing fixture has teasers"
    for item in document["items"]:
        assert list(item) == ["url", "title", "published_at", "summary", "thumbnail"]
        assert item["url"].startswith(("http://", "https://"))
        assert item["title"]
        assert item["thumbnail"] is None or item["thumbnail"].startswith(("http://", "https://"))
        if item["published_at"] is not None:
            assert dt.datetime.fromisoformat(item["published_at"]).utcoffset() == dt.timedelta(hours=7)
    assert document["next_page"] is None or document["next_page"].startswith(("http://", "https://"))


def test_listing_flag_after_file() -> None:
    page = listing_fixture()
    first = parse_json_stdout(run_cli("parse", "--listing", str(page), "--url", fixture_url(page)))
    second = parse_json_stdout(run_cli("parse", str(page), "--url", fixture_url(page), "--listing"))
    assert first == second


# --- the Python API is what the CLI prints -------------------------------------------------------


def test_python_api_exports() -> None:
    import dvscraper
    from dvscraper import NotAnArticle, parse_article, parse_listing

    assert callable(parse_article) and callable(parse_listing)
    assert issubclass(NotAnArticle, Exception)
    assert {"parse_article", "parse_listing", "NotAnArticle"} <= set(dvscraper.__all__)


def test_api_record_equals_cli_json() -> None:
    from dvscraper import parse_article

    record = parse_article(SEED.read_bytes(), SEED_URL, crawled_at=FIXED_CRAWLED_AT)
    printed = parse_json_stdout(run_cli("parse", str(SEED), "--url", SEED_URL))
    api = record.to_dict()
    assert api.pop("crawled_at") == "2024-01-01T00:00:00+00:00"
    printed.pop("crawled_at")
    assert api == printed
    assert json.loads(json.dumps(api, ensure_ascii=False)) == api  # JSON-clean values only


def test_api_default_url_matches_cli_default(relative_article: Path) -> None:
    from dvscraper import parse_article

    record = parse_article(relative_article.read_bytes(), relative_article.resolve().as_uri(),
                           crawled_at=FIXED_CRAWLED_AT)
    printed = parse_json_stdout(run_cli("parse", str(relative_article)))
    printed.pop("crawled_at")
    api = record.to_dict()
    api.pop("crawled_at")
    assert api == printed


def test_api_listing_equals_cli_json() -> None:
    from dvscraper import parse_listing

    page = listing_fixture()
    url = fixture_url(page)
    assert parse_listing(page.read_bytes(), url).to_dict() == parse_json_stdout(
        run_cli("parse", "--listing", str(page), "--url", url)
    )


def test_api_not_an_article_has_reason() -> None:
    from dvscraper import NotAnArticle, parse_article

    with pytest.raises(NotAnArticle) as caught:
        parse_article(HOME.read_bytes(), "https://dienbien.dcs.vn/", crawled_at=FIXED_CRAWLED_AT)
    assert caught.value.reason.startswith(("no title", "no readable meta time"))


def test_api_accepts_str_html(relative_article: Path) -> None:
    from dvscraper import parse_article

    url = "http://dienbien.dcs.vn/Tin-tuc/a"
    from_bytes = parse_article(relative_article.read_bytes(), url, crawled_at=FIXED_CRAWLED_AT)
    from_str = parse_article(RELATIVE_IMAGES_ARTICLE, url, crawled_at=FIXED_CRAWLED_AT)
    assert from_bytes == from_str
