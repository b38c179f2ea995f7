"""The README's Scrapyd steps, run for real (issue 16): a scrapyd on a free loopback port in a
folder of its own (examples/scrapyd/scrapyd.conf), ``scrapyd-deploy`` from a copy of the
checkout (the ``[deploy]`` target of scrapy.cfg, pointed at that port), then ``schedule.json``
for spider ``portal`` against the replay site, and the job's Parquet rows.

Bounded: every wait has a deadline, and the scrapyd process is stopped whatever happens.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import pyarrow.dataset as ds
import pytest

from dvscraper.replay import serve_replay, stop_process
from tests.conftest import REPO

pytest.importorskip("scrapyd")
pytest.importorskip("scrapyd_client")

BIN = Path(sys.executable).parent
STARTUP_SECONDS = 30
JOB_SECONDS = 90
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "output", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", ".ruff_cache", ".scrapy", "*.pyc", "setup.py")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def _get(base: str, path: str, **query) -> dict:
    with urlopen(f"{base}{path}?{urlencode(query)}" if query else base + path, timeout=10) as answer:  # loopback
        return json.loads(answer.read())


def _post(base: str, path: str, fields: list[tuple[str, str]]) -> dict:
    with urlopen(base + path, data=urlencode(fields).encode("ascii"), timeout=10) as answer:  # loopback
        return json.loads(answer.read())


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd started in ``tmp_path/scrapyd`` (its own folder) on a free port; yields its URL."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    config = configparser.ConfigParser()
    config.read(REPO / "examples" / "scrapyd" / "scrapyd.conf", encoding="utf-8")
    config["scrapyd"]["http_port"] = str(_free_port())
    config["scrapyd"]["poll_interval"] = "0.5"  # start the job at once (default: every 5 s)
    with (home / "scrapyd.conf").open("w", encoding="utf-8") as out:
        config.write(out)
    base = f"http://127.0.0.1:{config['scrapyd']['http_port']}/"
    log = (home / "scrapyd.out").open("wb")
    process = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, (home / "scrapyd.out").read_text(errors="replace")
            try:
                if _get(base, "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "scrapyd did not answer in time"
            time.sleep(0.3)
        yield base, home
    finally:
        stop_process(process)
        log.close()


def _deploy(tmp_path: Path, base: str) -> dict:
    """``scrapyd-deploy`` from a copy of the checkout, its [deploy] target pointed at ``base``: its
    answer, and what it left in the checkout (``setup.py``, ``build/``, ``project.egg-info/``)."""
    project = tmp_path / "checkout"
    shutil.copytree(REPO, project, symlinks=True, ignore=_NOT_SOURCE)
    before = {p.name for p in project.iterdir()}
    cfg = project / "scrapy.cfg"
    text = cfg.read_text(encoding="utf-8")
    assert "url = http://127.0.0.1:6800/" in text
    cfg.write_text(text.replace("http://127.0.0.1:6800/", base), encoding="utf-8")
    result = subprocess.run([str(BIN / "scrapyd-deploy")], cwd=project, env=_env(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    left = sorted(f"{p.name}/x" if p.is_dir() else p.name for p in project.iterdir() if p.name not in before)
    return {"answer": answer, "leftovers": left, "output": result.stdout + result.stderr}


def test_scrapyd_deploys_the_project_and_runs_portal_against_the_replay(scrapyd, tmp_path):
    base, home = scrapyd
    deployed = _deploy(tmp_path, base)
    assert deployed["answer"]["status"] == "ok", deployed["output"]
    assert deployed["answer"]["project"] == "dvscraper"
    assert _get(base, "listspiders.json", project="dvscraper")["spiders"] == ["portal"]
    assert "setup.py" in deployed["leftovers"]
    if (REPO / ".git").exists() and shutil.which("git"):  # what it left is ignored by git
        ignored = subprocess.run(["git", "check-ignore", "--no-index", *deployed["leftovers"]], cwd=REPO,
                                 capture_output=True, text=True, timeout=30).stdout.split()
        assert sorted(ignored) == deployed["leftovers"]

    out = tmp_path / "data"
    with serve_replay() as site:
        job = _post(base, "schedule.json", [
            ("project", "dvscraper"), ("spider", "portal"), ("start_url", site.url),
            ("setting", f"DV_OUTPUT_DIR={out}"), ("setting", "DV_REFRESH_READ_COUNTS_DAYS=7"),
        ])
        assert job["status"] == "ok", job
        deadline = time.monotonic() + JOB_SECONDS
        while True:
            jobs = _get(base, "listjobs.json", project="dvscraper")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, f"the job did not finish in {JOB_SECONDS} s: {jobs}"
            time.sleep(0.5)
        expected = set(site.article_urls)

    (log,) = (home / "logs" / "dvscraper" / "portal").glob(f"{job['jobid']}.log")
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "'finish_reason': 'finished'" in text, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    urls = set(ds.dataset(out / "articles", format="parquet").to_table(columns=["url"]).column("url").to_pylist())
    assert urls == expected
    # scrapyd kept its state in its own folder
    assert {"eggs", "dbs", "logs", "twistd.pid"} <= {p.name for p in home.iterdir()}


@pytest.mark.skipif(not (REPO / ".git").exists() or not shutil.which("git"), reason="not a git checkout")
def test_gitignore_covers_what_scrapyd_and_scrapyd_deploy_leave():
    leftovers = ["setup.py", "build/lib/x.py", "project.egg-info/PKG-INFO", "dvscraper.egg-info/PKG-INFO",
                 "x.egg", "eggs/dvscraper/1.egg", "dbs/dvscraper.db", "logs/dvscraper/portal/1.log", "twistd.pid",
                 "dist/dvscraper-0.1.0.tar.gz"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *leftovers], cwd=REPO, capture_output=True,
                            text=True, timeout=30)
    assert sorted(result.stdout.split()) == sorted(leftovers)
