"""The command line as a newcomer meets it (issue 16): ``--help``, argument errors, and
``dvscraper parse --listing FILE`` without ``--url``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dvscraper import cli
from dvscraper.commands.page_url import declared_url, relative_links
from tests.conftest import FIXTURES

LISTINGS = sorted((FIXTURES / "listings").glob("*.html"))
COMMAND_NAMES = ("parse", "crawl", "demo", "stats", "report", "reparse", "compact")


def _main(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- argument errors: one "dvscraper: " line ---------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["--bogus"],
    [],
    ["parse"],
    ["parse", "page.html", "--bogus"],
    ["nosuchcommand"],
    ["crawl", "--max-pages", "many"],
    ["demo", "--log-level", "LOUD"],
], ids=lambda argv: " ".join(argv) or "no-arguments")
def test_argument_errors_are_one_line_with_one_prefix(capsys, argv):
    code, out, err = _main(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("dvscraper: ")
    assert not lines[0].startswith("dvscraper: dvscraper"), lines[0]


def test_a_missing_command_names_the_commands(capsys):
    _, _, err = _main(capsys)
    assert all(name in err for name in COMMAND_NAMES), err


def test_a_command_error_names_the_command(capsys):
    _, _, err = _main(capsys, "parse")
    assert err.startswith("dvscraper: parse: "), err


# --- --help --------------------------------------------------------------------------------------


def test_help_describes_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "dienbien.dcs.vn" in out
    parser = cli.build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert set(helps) == set(COMMAND_NAMES) == set(cli.COMMANDS)
    for name, text in helps.items():
        assert text, f"{name} has no help line"
        assert re.search(rf"^\s+{name}\s+{re.escape(text.split()[0])}", out, re.MULTILINE), (name, out)
    assert "exit codes" in out


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_each_command_help_opens_with_its_summary(capsys, name):
    with pytest.raises(SystemExit) as stop:
        cli.main([name, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: dvscraper {name}")
    description = cli.build_parser()._subparsers._group_actions[0].choices[name].description
    assert description and description.rstrip(".").lower() in " ".join(out.split()).lower()


# --- parse --listing FILE without --url ----------------------------------------------------------


def _listing_url(page: Path) -> str:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["url"]


def _with_head(page: Path, tags: str, tmp_path: Path) -> Path:
    html = page.read_bytes()
    at = html.lower().find(b"<head>")
    assert at >= 0, page
    at += len(b"<head>")
    out = tmp_path / page.name
    out.write_bytes(html[:at] + tags.encode("ascii") + html[at:])
    return out


@pytest.mark.parametrize("page", LISTINGS, ids=lambda p: p.stem)
def test_listing_without_url_or_declared_url_asks_for_url(capsys, page):
    html = page.read_bytes()
    assert declared_url(html) is None  # the fixtures are saved without one
    count = relative_links(html)
    code, out, err = _main(capsys, "parse", "--listing", str(page))
    if count == 0:
        assert code == 0
        return
    assert code == 2
    assert out == ""
    assert err.startswith(f"dvscraper: --url needed to resolve {count} relative link"), err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("declare", [
    '<link rel="canonical" href="{url}">',
    '<meta property="og:url" content="{url}">',
    '<LINK REL="Canonical" HREF="{url}">',
    '<base href="{url}"><link rel="canonical" href="https://elsewhere.example/">',
], ids=["canonical", "og-url", "canonical-upper-case", "base-before-canonical"])
@pytest.mark.parametrize("page", LISTINGS[:1] + [p for p in LISTINGS if p.stem == "tin-tuc-su-kien-page-1"],
                         ids=lambda p: p.stem)
def test_listing_resolves_links_against_the_url_the_page_declares(capsys, tmp_path, page, declare):
    url = _listing_url(page)
    declared = _with_head(page, declare.format(url=url), tmp_path)
    code, out, err = _main(capsys, "parse", "--listing", str(declared))
    assert code == 0, err
    code, expected, _ = _main(capsys, "parse", "--listing", str(page), "--url", url)
    assert code == 0
    assert json.loads(out) == json.loads(expected)
    assert json.loads(out)["items"], "the page's teasers, resolved"


def test_explicit_url_wins_over_the_declared_one(capsys, tmp_path):
    page = next(p for p in LISTINGS if p.stem == "tin-tuc-su-kien-page-1")
    declared = _with_head(page, '<link rel="canonical" href="https://elsewhere.example/T/X">', tmp_path)
    code, out, _ = _main(capsys, "parse", "--listing", str(declared), "--url", _listing_url(page))
    assert code == 0
    assert all(item["url"].startswith("https://dienbien.dcs.vn/") for item in json.loads(out)["items"])


def test_listing_without_url_as_a_user_runs_it():
    page = next(p for p in LISTINGS if p.stem == "tin-tuc-su-kien-page-1")
    result = subprocess.run([sys.executable, "-m", "dvscraper.cli", "parse", "--listing", str(page)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout == ""
    assert re.fullmatch(r"dvscraper: --url needed to resolve \d+ relative links.*\n", result.stderr), result.stderr
