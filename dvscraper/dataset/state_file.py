"""``state.json`` read defensively (issue 17): whatever is found there, the crawl goes on.

``load_state(path) -> dict`` returns the state's known fields with their types checked:

- missing file: ``{}`` (a first run), silently;
- not a regular file (a folder), unreadable, not JSON, or JSON that is not an object (``[1,2,3]``,
  ``null``): moved aside to ``state.json.bad-<UTC time>`` with one warning, ``{}`` (the run proceeds
  as a first run: listings are paged to their end);
- an object with a field of the wrong type: that field is dropped with one warning (the others kept).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

logger = logging.getLogger("dvscraper.dataset.state")

FIELDS: dict[str, tuple[type, ...]] = {
    "running_run_id": (str, type(None)),
    "last_run_id": (str, type(None)),
    "last_run_finished": (bool,),
    "last_reason": (str, type(None)),
    "last_finished_run_id": (str, type(None)),
    "last_finished_at": (str, type(None)),
}


def _move_aside(path: Path, why: str) -> None:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    try:
        os.replace(path, target)
        logger.warning("%s %s: moved aside to %s; this run starts as a first run", path, why, target.name)
    except OSError as exc:
        logger.warning("%s %s (cannot move it aside: %s); this run starts as a first run", path, why,
                       exc.strerror or exc)


def load_state(path: Path) -> dict:
    path = Path(path)
    if not os.path.lexists(path):
        return {}
    if not path.is_file():
        _move_aside(path, "is not a file")
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _move_aside(path, f"is not readable JSON ({type(exc).__name__})")
        return {}
    if not isinstance(state, dict):
        _move_aside(path, f"holds a JSON {type(state).__name__}, not an object")
        return {}
    for name, types in FIELDS.items():
        if name in state and not isinstance(state[name], types):
            logger.warning("%s: field %s has a %s value, not %s: ignored", path, name, type(state[name]).__name__,
                           " or ".join("null" if t is type(None) else t.__name__ for t in types))
            del state[name]
    return state
