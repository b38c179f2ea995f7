"""What the dataset already says about field coverage: the yardstick of the coverage alarm.

``field_history(articles_dir, per_group=N)`` reads the newest ``N`` articles of each group
(site and page kind, see ``page_kind``) already in ``articles/`` and counts, per contract
field, how many have it (``schemas.field_present``: not null, not blank, not an empty list).
A daily run of a handful of articles is then judged against what the same kind of page of
the same site usually holds (``dvscraper.runs.quality``), not against fixed shares that only a
large run could reach. Unreadable files are skipped here (quarantining them is the crawl's job).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from dvscraper.dataset.layout import parquet_files
from dvscraper.dataset.schemas import field_present
from dvscraper.records import ARTICLE_FIELDS

logger = logging.getLogger(__name__)

# body_text is read through word_count (the same presence, without loading every article's text)
_READ_COLUMNS = tuple(f for f in ARTICLE_FIELDS if f not in ("body_text", "crawled_at"))


def page_kind(url: str) -> str:
    """The kind of page a URL is, as the site's routes say: its first path segment, lower-cased
    (``/TinTuc/...`` -> ``tintuc``, ``/GioiThieu/...`` -> ``gioithieu``); ``""`` for the root."""
    path = urlsplit(url).path.strip("/")
    return path.split("/", 1)[0].lower() if path else ""


def group_of(site: str | None, url: str) -> str:
    """The group an article is judged in: ``<site>/<kind>``."""
    return f"{site or ''}/{page_kind(url)}"


def field_history(articles_dir: Path, *, per_group: int) -> dict[str, dict]:
    """``{group: {"articles": n, "present": {field: count}}}`` over the newest ``per_group``
    articles (by ``published_at``) of each group in the dataset; ``{}`` when it holds none."""
    files = parquet_files(Path(articles_dir))
    if not files or per_group <= 0:
        return {}
    tables = []
    for path in files:
        try:
            schema = pq.read_schema(path)
            columns = [c for c in (*_READ_COLUMNS, "body_text" if "word_count" not in schema.names else None)
                       if c and c in schema.names]
            tables.append(pq.read_table(path, columns=columns))
        except (OSError, pa.ArrowException) as exc:
            logger.warning("coverage history: %s skipped (%s)", path, exc)
    rows: dict[str, list[dict]] = {}
    for table in tables:
        for row in table.to_pylist():
            rows.setdefault(group_of(row.get("site"), row.get("url") or ""), []).append(row)
    history: dict[str, dict] = {}
    for group, members in rows.items():
        members.sort(key=lambda r: (r.get("published_at") is not None, r.get("published_at")), reverse=True)
        newest = members[:per_group]
        present = dict.fromkeys(ARTICLE_FIELDS, 0)
        for row in newest:
            for name in ARTICLE_FIELDS:
                if name == "body_text" and "body_text" not in row:
                    has = bool(row.get("word_count"))
                elif name == "crawled_at":
                    has = True
                else:
                    has = field_present(row.get(name))
                present[name] += has
        history[group] = {"articles": len(newest), "present": present}
    return history
