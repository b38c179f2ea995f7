"""Unreadable Parquet files are moved to ``<output>/quarantine/`` instead of failing every reader.

A 0-byte, truncated or corrupt ``*.parquet`` under ``articles/``, ``rejects/``, ``failures/`` or
``read_counts/`` (a disk that filled up, a copy cut short, a file written by something else) made
every later crawl exit 1 and ``stats``/``report``/``compact`` say "unexpected error: ArrowInvalid".
``quarantine_unreadable(output)`` opens each complete file's footer (cheap: the metadata only) and
moves those that do not open to ``quarantine/<same relative path>`` (the dataset's globs never see
them there), returning one warning line per file. Callers print or log the lines; the rest of the
dataset is read as usual. Only a holder of the output lock should move files: ``stats`` and
``report`` without the lock (a crawl is running) only skip them (``move=False``;
``dvscraper.dataset.lock.quarantine_with_lock`` chooses).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dvscraper.dataset.layout import UNREADABLE, parquet_files

QUARANTINE = "quarantine"
DATASETS = ("articles", "rejects", "failures", "read_counts")

logger = logging.getLogger(__name__)


def unreadable_reason(path: Path) -> str | None:
    """Why ``path`` is not a readable Parquet file, or None."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None  # moved or compacted meanwhile
    except OSError as exc:
        return exc.strerror or str(exc)
    if size == 0:
        return "empty file (0 bytes)"
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        if meta.num_columns == 0:
            return "no columns"
    except (pa.ArrowException, OSError, ValueError) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return f"{type(exc).__name__}: {text}"[:200]
    return None


def quarantine_unreadable(output: Path | str, *, move: bool = True) -> list[str]:
    """Move (or, ``move=False``, only name) the unreadable Parquet files of ``output`` -> warnings."""
    root = Path(output)
    warnings: list[str] = []
    for name in DATASETS:
        folder = root / name
        for path in parquet_files(folder):
            reason = unreadable_reason(path)
            if reason is None:
                continue
            if not move:
                warnings.append(f"warning: skipped unreadable {path} ({reason})")
                UNREADABLE.add(path.resolve())
                continue
            target = root / QUARANTINE / path.relative_to(root)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            except OSError as exc:
                warnings.append(f"warning: skipped unreadable {path} ({reason}; cannot move it: {exc.strerror})")
                UNREADABLE.add(path.resolve())
                continue
            warnings.append(f"warning: moved unreadable {path} to {target} ({reason})")
    return warnings


def log_warnings(lines: list[str]) -> None:
    for line in lines:
        logger.warning(line)


__all__ = ["QUARANTINE", "log_warnings", "quarantine_unreadable", "unreadable_reason"]
