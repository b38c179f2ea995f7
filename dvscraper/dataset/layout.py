"""The output folder: its layout, run ids, atomic writes and what the dataset already holds.

::

    <output>/articles/<site>/year=YYYY/month=MM/part-<run_id>-<n>.parquet   one row per article
    <output>/rejects/part-<run_id>-<n>.parquet    pages that gave no article (url, reason, stage, at)
    <output>/failures/part-<run_id>-<n>.parquet   fetches that failed (url, kind, reason, status, at)
    <output>/read_counts/part-<run_id>-<n>.parquet  read-count observations (article_id, crawled_at, ...)
    <output>/runs/<run_id>.json                   the run summary
    <output>/warc/<run_id>.warc.gz                the raw archive (``--archive``)
    <output>/state.json, <output>/.lock           the last crawl's state; the output's lock

Files are written under a hidden temporary name (``.part-...parquet.tmp``) and
renamed when complete: every reader (pyarrow, pandas, Polars, DuckDB with a
``*.parquet`` glob) ignores the temporary ones. The state a later crawl needs
(``article_id``s already written, past run summaries) is read from here, so
there is no side database to start.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from dvscraper import settings as defaults

ARTICLES = "articles"
REJECTS = "rejects"
FAILURES = "failures"
READ_COUNTS = "read_counts"
RUNS = "runs"
WARC = "warc"
STATE_FILE = "state.json"
LOCK_FILE = ".lock"
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class OutputLayout:
    root: Path

    @property
    def articles(self) -> Path:
        return self.root / ARTICLES

    @property
    def rejects(self) -> Path:
        return self.root / REJECTS

    @property
    def failures(self) -> Path:
        return self.root / FAILURES

    @property
    def read_counts(self) -> Path:
        return self.root / READ_COUNTS

    @property
    def runs(self) -> Path:
        return self.root / RUNS

    @property
    def warc(self) -> Path:
        return self.root / WARC

    @property
    def state(self) -> Path:
        return self.root / STATE_FILE

    @property
    def lock(self) -> Path:
        return self.root / LOCK_FILE

    def run_summary(self, run_id: str) -> Path:
        return self.runs / f"{run_id}.json"


def new_run_id(now: dt.datetime | None = None) -> str:
    """``20240101T000000Z-1a2b3c``: sortable by start time, unique across parallel runs."""
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def check_writable(root: Path) -> None:
    """Create ``root`` if needed and prove a file can be created there; raise ``OSError`` if not."""
    root.mkdir(parents=True, exist_ok=True)
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a directory")
    fd, probe = tempfile.mkstemp(prefix=".dv-probe-", dir=root)
    os.close(fd)
    os.unlink(probe)


def write_json_atomic(path: Path, payload: object) -> None:
    """Write JSON to a hidden temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=2, default=str)
            handle.write("\n")
        os.chmod(tmp, 0o666 & ~_umask())  # as the Parquet files (mkstemp makes 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Unreadable files found but left in place (dvscraper/dataset/quarantine.py, without the lock): not listed.
UNREADABLE: set[Path] = set()


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def parquet_files(folder: Path) -> list[Path]:
    """The complete Parquet files under ``folder`` (temporary and hidden files excluded)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in path.relative_to(folder).parts)
        and not (UNREADABLE and path.resolve() in UNREADABLE)
    )


def site_dir(site: str | None) -> str:
    """The folder of a site's partitions: its host as is (``dienbien.dcs.vn``), URL-quoted when it
    holds anything but letters, digits, ``.``, ``-``, ``_`` (an IPv6 address). Not ``site=<host>``: a
    hive key equal to a column of the files makes pandas/pyarrow refuse the dataset."""
    if not site:
        return "unknown"
    folder = quote(site, safe="")
    if folder.strip(".") == "" or folder.startswith("."):
        # "..", "." or a hidden name would leave articles/ or vanish from the dataset's globs
        folder = folder.replace(".", "%2E")
    return folder


def migrate_legacy_articles(articles_dir: Path) -> int:
    """Move files of the layout before site partitions (``articles/year=YYYY/month=MM/``) into
    ``articles/<site>/year=YYYY/month=MM/`` -> the number of files moved.

    One atomic rename per file whose rows are all of one site; a file holding several sites is
    split: one file per site, each written under a temporary name and renamed, then the old one
    removed. A kill at any point loses nothing: the next call finishes the move (a split file is
    written again, over its own parts). Safe to call on every crawl and compaction."""
    articles_dir = Path(articles_dir)
    if not articles_dir.is_dir():
        return 0
    legacy = [p for p in parquet_files(articles_dir) if p.relative_to(articles_dir).parts[0].startswith("year=")]
    if not legacy:
        return 0
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    moved = 0
    for path in legacy:
        relative = path.relative_to(articles_dir)
        try:
            sites = pc.unique(pq.read_table(path, columns=["site"]).column("site")).to_pylist()
        except FileNotFoundError:  # moved meanwhile by another process
            continue
        if len(sites) <= 1:
            target = articles_dir / site_dir(sites[0] if sites else None) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        else:
            table = pq.read_table(path)
            for site in sites:
                target = articles_dir / site_dir(site) / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.parent / f".{target.name}{TEMP_SUFFIX}"
                pq.write_table(table.filter(pc.equal(table.column("site"), site)), tmp,
                               compression=defaults.DV_PARQUET_COMPRESSION)
                os.replace(tmp, target)
            path.unlink(missing_ok=True)
        moved += 1
    for folder in sorted({p.parent for p in legacy}, key=lambda f: len(f.parts), reverse=True):
        for empty in (folder, folder.parent):  # month=MM, then year=YYYY, when nothing is left in them
            try:
                empty.rmdir()
            except OSError:
                pass
    return moved


def read_article_ids(articles_dir: Path) -> set[str]:
    """Every ``article_id`` the dataset already holds (reads that one column only)."""
    files = parquet_files(articles_dir)
    if not files:
        return set()
    import pyarrow.parquet as pq

    ids: set[str] = set()
    for path in files:
        column = pq.read_table(path, columns=["article_id"]).column("article_id")
        ids.update(column.to_pylist())
    return ids
