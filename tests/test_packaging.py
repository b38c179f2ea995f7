"""The distribution: the sdist and the wheel carry what an install needs (issue 16).

The project is built as a user gets it — an sdist of the working tree, a wheel built from that
sdist (as ``python -m build`` does), installed into a fresh virtual environment — and the
installed ``dvscraper demo`` crawls its bundled replay site from an empty folder. Nothing is
fetched: the build uses this environment's setuptools (no build isolation), and the fresh
environment gets the wheel with ``--no-deps`` plus one ``.pth`` line naming this environment's
site-packages for the dependencies (the project itself is imported from the wheel, which the
test checks).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dvscraper.replay.fixture_site import FixtureSite
from tests.conftest import FIXTURES, REPO

pytest.importorskip("setuptools.build_meta")

# What is not part of the source tree an sdist is built from.
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "output", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", ".ruff_cache", ".scrapy", "*.pyc")


def _run(command: list[str], *, cwd: Path, timeout: float = 120, env: dict | None = None):
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, \
        f"{command}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist of a copy of the working tree, and the wheel built from the unpacked sdist."""
    root = tmp_path_factory.mktemp("dist")
    source = root / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=_NOT_SOURCE)
    (root / "sdist").mkdir()
    _run([sys.executable, "-c", "import sys, setuptools.build_meta as b; print(b.build_sdist(sys.argv[1]))",
          str(root / "sdist")], cwd=source)
    (sdist,) = (root / "sdist").glob("dvscraper-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(root / "unpacked", **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    (unpacked,) = (root / "unpacked").iterdir()
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", str(root / "wheel"), str(unpacked)], cwd=root)
    (wheel,) = (root / "wheel").glob("dvscraper-*.whl")
    return {"sdist": sdist, "wheel": wheel}


def _replay_files() -> list[str]:
    """The files the replay site serves, relative to fixtures/ (routes.json and what it routes)."""
    routes = json.loads((FIXTURES / "replay" / "routes.json").read_text(encoding="utf-8"))
    targets = {target if isinstance(target, str) else target["file"] for target in routes.values()}
    return sorted({"replay/routes.json", "replay/robots.txt", *targets})


def _fixture_files() -> list[str]:
    return sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file())


def test_the_wheel_carries_the_replay_site_and_the_site_profiles(dists):
    names = set(zipfile.ZipFile(dists["wheel"]).namelist())
    assert "dvscraper/sites/dienbien.toml" in names
    missing = [f for f in _replay_files() if f"dvscraper/replay/fixtures/{f}" not in names]
    assert missing == []
    # the generated site (``demo --generate N``) cuts its templates from every article and listing page
    assert [f for f in _fixture_files() if f"dvscraper/replay/fixtures/{f}" not in names] == []
    assert any(name.endswith(".dist-info/entry_points.txt") for name in names)


def test_the_sdist_carries_the_replay_site(dists):
    with tarfile.open(dists["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert [f for f in _fixture_files() if f"dvscraper/replay/fixtures/{f}" not in names] == []
    assert {"pyproject.toml", "README.md", "dvscraper/sites/dienbien.toml"} <= names


@pytest.fixture(scope="module")
def installed(dists, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its ``bin/``."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
          str(dists["wheel"])], cwd=venv.parent)
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                   cwd=venv.parent).stdout.strip()
    # The dependencies: this environment's site-packages, after the fresh one's (a plain path entry,
    # so the editable install's own .pth hook is not run there).
    (Path(purelib) / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return venv / "bin"


def _clean_env() -> dict:
    return {key: value for key, value in os.environ.items()
            if key not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONSAFEPATH")}


def test_installed_demo_crawls_the_bundled_replay_from_an_empty_folder(installed, tmp_path):
    work = tmp_path / "empty"
    work.mkdir()
    where = _run([str(installed / "python"), "-c",
                  "import dvscraper, dvscraper.replay as r; print(dvscraper.__file__); print(r.DEFAULT_FIXTURES)"],
                 cwd=work, env=_clean_env()).stdout.split()
    assert all(Path(p).is_relative_to(installed.parent) for p in where), where  # the wheel, not the checkout
    result = _run([str(installed / "dvscraper"), "demo", "--output", "out"], cwd=work, env=_clean_env(),
                  timeout=180)
    n = len(FixtureSite(FIXTURES).article_paths())
    assert f"article pages of the replay site in the dataset: {n} of {n}" in result.stdout, result.stdout
    files = sorted((work / "out" / "articles").rglob("*.parquet"))
    assert files
    assert sum(pq.read_metadata(f).num_rows for f in files) == n


def _metadata(wheel: Path):
    from email.parser import Parser

    archive = zipfile.ZipFile(wheel)
    (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    return Parser().parsestr(archive.read(name).decode("utf-8")), archive.namelist()


def test_the_distribution_is_mit_licensed_and_carries_the_license(dists):
    metadata, names = _metadata(dists["wheel"])
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    with tarfile.open(dists["sdist"]) as archive:
        assert any(name.endswith("/LICENSE") and name.count("/") == 1 for name in archive.getnames())


def test_the_classifiers_are_real_and_match_requires_python(dists):
    trove = pytest.importorskip("trove_classifiers")
    metadata, _ = _metadata(dists["wheel"])
    classifiers = metadata.get_all("Classifier")
    assert classifiers and set(classifiers) <= trove.classifiers, set(classifiers) - trove.classifiers
    assert not [c for c in classifiers if c.startswith("License ::")], "the license is the SPDX expression"
    assert "Framework :: Scrapy" in classifiers
    minimum = metadata["Requires-Python"].removeprefix(">=")
    prefix = "Programming Language :: Python :: 3."
    versions = sorted((c.rsplit(" :: ", 1)[1] for c in classifiers if c.startswith(prefix)),
                      key=lambda v: tuple(map(int, v.split("."))))
    assert versions[0] == minimum, (versions, minimum)
