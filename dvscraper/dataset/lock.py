"""One crawl per output folder: ``<output>/.lock`` held with ``fcntl.flock`` for the whole run.

The kernel drops a ``flock`` when its holder dies (SIGKILL included), so a lock left by a
killed crawl is stale by construction: the next crawl takes it over. The file holds the
holder's PID, host and start time, only to name it in the refusal message::

    dvscraper: output/ is in use by another crawl (pid 4242 on host1 since 2024-...); ...

Taking the lock with ``hold_output`` also removes the hidden ``.tmp`` files killed runs left
behind (``clean_temp_files``) when the folder was free: nothing else writes in it then.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from pathlib import Path

from dvscraper.dataset.layout import TEMP_SUFFIX, OutputLayout
from dvscraper.dataset.quarantine import DATASETS, quarantine_unreadable
from dvscraper.errors import OutputLocked

__all__ = ["SHARE_PATIENCE", "OutputLock", "OutputLocked", "clean_temp_files", "hold_output"]

SHARE_PATIENCE = 15.0  # seconds a joining worker waits for the first worker to share the lock


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputLock:
    def __init__(self, output: Path | str):
        self.output = Path(output)
        self.path = OutputLayout(self.output).lock
        self._fd: int | None = None
        self.shared = False
        self.first = False
        self.removed: list[Path] = []  # set by hold_output
        self.quarantined: list[str] = []  # set by hold_output

    def acquire(self, *, shared: bool = False) -> OutputLock:
        """Take the lock, or raise ``OutputLocked``.

        ``shared``: the workers of one distributed crawl (``--redis``) share the folder. The
        first takes the lock exclusively, cleans up, and turns it into a shared one; later
        workers take it shared; an ordinary crawl (exclusive) is refused while any hold it,
        and a worker is refused while an ordinary crawl holds it. ``self.first`` says whether
        this holder found the folder free (and so may delete temporary leftovers).
        """
        self.output.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        self.shared = shared
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.first = True
        except OSError:
            self.first = False
            try:
                if not shared:
                    raise
                self._take_shared(fd)
            except OSError:
                holder = self._describe_holder(fd)
                os.close(fd)
                what = "another crawl" if not shared else "a crawl that is not a worker of a distributed crawl"
                raise OutputLocked(f"{self.output} is in use by {what} ({holder}); "
                                   f"wait for it to finish or stop it") from None
        if self.first:
            os.ftruncate(fd, 0)
            info = {"pid": os.getpid(), "host": socket.gethostname(),
                    "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
            if shared:
                info["distributed"] = True
            os.write(fd, (json.dumps(info) + "\n").encode())
            os.fsync(fd)
        self._fd = fd
        return self

    @staticmethod
    def _take_shared(fd: int) -> None:
        """Take the lock shared; wait a little while a worker that came first still holds it exclusively
        (it only cleans up before sharing it); raise ``OSError`` if it stays exclusive."""
        deadline = time.monotonic() + SHARE_PATIENCE
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def share(self) -> None:
        """Turn an exclusive hold into a shared one (other workers may join from now on)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if not self.shared:
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    @staticmethod
    def _describe_holder(fd: int) -> str:
        try:
            info = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
        except (OSError, ValueError):
            info = {}
        if not info:
            return "holder unknown"
        text = f"pid {info.get('pid')} on {info.get('host')} since {info.get('since')}"
        if info.get("host") == socket.gethostname() and isinstance(info.get("pid"), int) \
                and not _pid_alive(info["pid"]):
            text += ", pid not running here: the lock is held by a child or another namespace"
        return text


def hold_output(output: Path | str, *, shared: bool = False) -> OutputLock:
    """Take ``output``'s lock (``shared``: as a worker of a distributed crawl) -> the held lock, whose
    ``removed`` lists the ``.tmp`` leftovers of killed runs deleted on the way. Only a holder that
    found the folder free deletes them: anyone else's are files other workers are writing."""
    lock = OutputLock(output).acquire(shared=shared)  # raises OutputLocked
    lock.removed = clean_temp_files(output) if lock.first else []
    lock.quarantined = []  # warning lines: unreadable Parquet files moved to quarantine/
    if lock.first:
        lock.quarantined = quarantine_unreadable(output)
    if shared:
        lock.share()
    return lock


def quarantine_with_lock(output: Path | str) -> list[str]:
    """``stats``/``report``: move the unreadable files when the output lock is free, else name them only."""
    if not (Path(output) / "articles").exists() and not any((Path(output) / d).exists() for d in DATASETS):
        return []
    lock = OutputLock(output)
    try:
        lock.acquire()
    except Exception:  # a crawl holds it (OutputLocked), or the folder is read-only
        return quarantine_unreadable(output, move=False)
    try:
        return quarantine_unreadable(output, move=True)
    finally:
        lock.release()


def clean_temp_files(output: Path | str) -> list[Path]:
    """Delete the hidden temporary files (``.name.tmp``) of killed runs under ``output``."""
    root = Path(output)
    if not root.is_dir():
        return []
    removed = []
    for path in root.rglob(f".*{TEMP_SUFFIX}"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
