"""The scheduling examples work as written (issue 16): examples/cron/dvscraper.cron and
examples/systemd/dvscraper-crawl.{service,timer}.

Each is parsed as its scheduler reads it (cron: five time fields and a command, ``\\%`` for ``%``;
systemd: an INI file, ``%%`` and ``$$`` for literal ``%`` and ``$``), its dvscraper command line
is parsed by dvscraper's own argument parser, and its shell part is run — with the example's
folders moved into a temporary one and ``--help`` added, so nothing is crawled — to show that the
log folder is made and the log file written. ``systemd-analyze verify`` checks the units where
it is installed.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from dvscraper import cli
from dvscraper.spiders.params import CrawlParams
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
CRON = EXAMPLES / "cron" / "dvscraper.cron"
SERVICE = EXAMPLES / "systemd" / "dvscraper-crawl.service"
TIMER = EXAMPLES / "systemd" / "dvscraper-crawl.timer"
PROJECT, DATA = "/srv/dvscraper", "/data/dienbien"  # the examples' folders
CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))  # minute hour day-of-month month day-of-week
_CRON_ITEM = re.compile(r"^(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?$")


def _cron_field_ok(field: str, low: int, high: int) -> bool:
    for item in field.split(","):
        match = _CRON_ITEM.match(item)
        if not match:
            return False
        numbers = [int(n) for n in match.group(2, 3) if n is not None]
        if any(not low <= n <= high for n in numbers) or (match.group(4) and int(match.group(4)) < 1):
            return False
    return True


def cron_jobs() -> list[tuple[list[str], str]]:
    """The crontab's jobs: (five time fields, the command as cron hands it to the shell)."""
    jobs = []
    for line in CRON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", line):
            continue
        fields = line.split(None, 5)
        assert len(fields) == 6, f"not five time fields and a command: {line!r}"
        command = fields[5]
        assert not re.search(r"(?<!\\)%", command), "cron turns a bare % into a newline: write \\%"
        jobs.append((fields[:5], command.replace("\\%", "%")))
    return jobs


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None, delimiters=("=",),
                                       comment_prefixes=("#", ";"), empty_lines_in_values=False)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def service_script() -> str:
    """The shell script of the service's ExecStart (``/bin/sh -c SCRIPT``), as systemd passes it."""
    words = shlex.split(unit(SERVICE)["Service"]["ExecStart"])
    assert words[:2] == ["/bin/sh", "-c"] and len(words) == 3, words
    script = words[2]
    assert not re.search(r"%(?!%)", script.replace("%%", "")), "a bare % is a systemd specifier: write %%"
    assert not re.search(r"(?<!\$)\$(?!\$)", script.replace("$$", "")), "write $$ for the shell's $"
    return script.replace("%%", "%").replace("$$", "$")


def dvscraper_argv(script: str) -> tuple[str, list[str]]:
    """The dvscraper command of a shell line (``... && /path/dvscraper ARGS >> LOG 2>&1``)."""
    (part,) = [p for p in re.split(r"&&|;", script) if "/bin/dvscraper" in p]
    words = shlex.split(part.split(">>")[0])
    if words[0] == "exec":
        words = words[1:]
    return words[0], words[1:]


def _check_crawl_command(executable: str, argv: list[str]) -> None:
    assert executable == f"{PROJECT}/.venv/bin/dvscraper", "the venv's script, by its absolute path"
    args = cli.build_parser().parse_args(argv)  # raises UsageError on an unknown flag or a bad value
    assert args.command == "crawl"
    assert args.max_pages == "20000", "a page budget"
    assert args.output == DATA
    params = CrawlParams.parse(start_urls=args.start_urls, since=args.since, until=args.until,
                               max_pages=args.max_pages, output=args.output)
    assert params.max_pages == 20000


def _project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for /srv/dvscraper (its .venv: this checkout's) and for /data/dienbien."""
    project, data = tmp_path / "srv-dvscraper", tmp_path / "data-dienbien"
    project.mkdir()
    (project / ".venv").symlink_to(REPO / ".venv")
    return project, data


def _with_help(script: str, project: Path, data: Path) -> str:
    """The script with the example's folders moved and ``--help`` added to the dvscraper command."""
    script = script.replace(PROJECT, str(project)).replace(DATA, str(data))
    at = script.index(">>")
    return script[:at].rstrip() + " --help " + script[at:]


def _run_shell(script: str, *, cwd: Path, env: dict | None = None) -> None:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}  # what cron and systemd give
    result = subprocess.run(["/bin/sh", "-c", script], cwd=cwd, env={**base, **(env or {})},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (script, result.stdout, result.stderr)
    assert result.stdout == result.stderr == "", "everything goes to the log file"


# --- cron ----------------------------------------------------------------------------------------


def test_cron_example_is_one_job_of_five_time_fields_and_a_command():
    jobs = cron_jobs()
    assert len(jobs) == 1
    fields, command = jobs[0]
    for field, (low, high) in zip(fields, CRON_RANGES):
        assert _cron_field_ok(field, low, high), field
    assert command.startswith(f"cd {PROJECT} && mkdir -p logs && "), "the log folder is made before it is written"


def test_cron_example_command_uses_real_options():
    (_, command), = cron_jobs()
    _check_crawl_command(*dvscraper_argv(command))


def test_cron_example_runs_as_written_and_writes_its_log(tmp_path):
    (_, command), = cron_jobs()
    project, data = _project_copy(tmp_path)
    _run_shell(_with_help(command, project, data), cwd=tmp_path)
    (log,) = (project / "logs").glob("crawl-*.log")
    assert re.fullmatch(r"crawl-\d{4}-\d{2}-\d{2}\.log", log.name)
    assert log.read_text(encoding="utf-8").startswith("usage: dvscraper crawl")


# --- systemd -------------------------------------------------------------------------------------


def test_systemd_units_parse():
    service, timer = unit(SERVICE), unit(TIMER)
    assert service.sections() == ["Unit", "Service"]
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["WorkingDirectory"] == PROJECT
    assert service["Service"]["LogsDirectory"] == "dvscraper"
    assert "StandardOutput" not in service["Service"], "append: into LogsDirectory= fails (opened first)"
    assert timer.sections() == ["Unit", "Timer", "Install"]
    assert timer["Timer"]["Unit"] == SERVICE.name
    assert re.fullmatch(r"\*-\*-\* \d{2}:\d{2}:\d{2}", timer["Timer"]["OnCalendar"])
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_service_command_uses_real_options_and_the_cron_jobs_crawl():
    executable, argv = dvscraper_argv(service_script())
    _check_crawl_command(executable, argv)
    (_, command), = cron_jobs()
    assert argv == dvscraper_argv(command)[1], "cron and systemd run the same crawl"


def test_systemd_service_runs_as_written_and_writes_its_log(tmp_path):
    project, data = _project_copy(tmp_path)
    logs = tmp_path / "var-log-dvscraper"
    logs.mkdir()  # what LogsDirectory=dvscraper makes before the command starts
    _run_shell(_with_help(service_script(), project, data), cwd=project, env={"LOGS_DIRECTORY": str(logs)})
    (log,) = logs.glob("crawl-*.log")
    assert re.fullmatch(r"crawl-\d{4}-\d{2}-\d{2}\.log", log.name)
    assert log.read_text(encoding="utf-8").startswith("usage: dvscraper crawl")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    for path in (SERVICE, TIMER):
        shutil.copy(path, tmp_path / path.name)
    units = [str(tmp_path / p.name) for p in (SERVICE, TIMER)]
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    calendar = subprocess.run(["systemd-analyze", "calendar", unit(TIMER)["Timer"]["OnCalendar"]],
                              capture_output=True, text=True, timeout=60)
    assert calendar.returncode == 0, calendar.stderr
