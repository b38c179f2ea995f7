"""An output folder as pandas frames, and the key figures that `stats` and `report` show.

``load_output(output)`` reads ``articles/``, ``rejects/``, ``failures/``,
``read_counts/`` (issue 4's read-count observations; absent in older folders) and
``runs/*.json``; a missing dataset is an empty frame. ``key_figures(data)`` computes
what both commands show, so the terminal table and the HTML report agree.
Only complete Parquet files are read (``dvscraper.dataset.layout.parquet_files``); files
written before a column was added give it as nulls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dvscraper.analysis.old_data import sane_timestamps
from dvscraper.dataset.layout import OutputLayout, parquet_files
from dvscraper.dataset.outcomes import STAGE_SPIDER
from dvscraper.dataset.schemas import (
    ARTICLE_SCHEMA,
    FAILURE_SCHEMA,
    READ_COUNT_SCHEMA,
    REJECT_SCHEMA,
    conform,
    field_present,
)
from dvscraper.records import ARTICLE_FIELDS

TOP_N = 10


@dataclass
class OutputData:
    root: Path
    articles: pd.DataFrame
    rejects: pd.DataFrame
    failures: pd.DataFrame
    read_counts: pd.DataFrame
    runs: pd.DataFrame
    run_summaries: list[dict] = field(default_factory=list)


def _read(folder: Path, schema: pa.Schema) -> pd.DataFrame:
    """Every complete file of ``folder``, each conformed to ``schema`` (an older file's missing
    column reads as null)."""
    files = parquet_files(folder)
    if not files:
        return pd.DataFrame(columns=schema.names)
    tables = [conform(pq.read_table(path), schema) for path in files]
    table = pa.concat_tables(tables)
    return sane_timestamps(table).to_pandas(types_mapper=pd.ArrowDtype)  # year 1 / 9999: null, no OverflowError


def _runs(folder: Path) -> list[dict]:
    summaries = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            summaries.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return summaries


RUN_COLUMNS = ("run_id", "started_at", "finish_reason", "duration_s", "pages_fetched", "articles_written",
               "duplicates_skipped", "rejects_total", "failures_total")


def load_output(output: Path) -> OutputData:
    layout = OutputLayout(Path(output))
    summaries = _runs(layout.runs)
    runs = pd.DataFrame([{k: s.get(k) for k in RUN_COLUMNS} for s in summaries], columns=list(RUN_COLUMNS))
    if not runs.empty:
        runs["started_at"] = pd.to_datetime(runs["started_at"], utc=True, errors="coerce")
        runs = runs.sort_values("started_at").reset_index(drop=True)
    return OutputData(
        root=layout.root,
        articles=_read(layout.articles, ARTICLE_SCHEMA),
        rejects=_read(layout.rejects, REJECT_SCHEMA),
        failures=_read(layout.failures, FAILURE_SCHEMA),
        read_counts=_read(layout.read_counts, READ_COUNT_SCHEMA),
        runs=runs,
        run_summaries=summaries,
    )


def field_coverage(articles: pd.DataFrame) -> pd.Series:
    """Share of articles with each contract field present (null, blank string, empty list = missing)."""
    if articles.empty:
        return pd.Series({name: float("nan") for name in ARTICLE_FIELDS}, dtype="float64")
    shares = {}
    for name in ARTICLE_FIELDS:
        if name not in articles:
            continue
        column = articles[name]
        if isinstance(column.dtype, pd.ArrowDtype) and column.dtype.kind in "iufMm":
            shares[name] = float(column.notna().mean())
        else:
            shares[name] = float(column.map(lambda v: field_present(None if _is_na(v) else _listish(v))).mean())
    return pd.Series(shares, dtype="float64")


def _is_na(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and lists
        return False


def _listish(value):
    return list(value) if hasattr(value, "__len__") and not isinstance(value, (str, bytes, dict)) else value


def _local_published(articles: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(articles["published_at"].astype("datetime64[us, Asia/Ho_Chi_Minh]"))


def articles_per_month(articles: pd.DataFrame) -> pd.Series:
    if articles.empty:
        return pd.Series(dtype="int64")
    months = _local_published(articles).dt.tz_localize(None).dt.to_period("M")
    counts = months.value_counts().sort_index()
    return counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq="M"), fill_value=0)


def category_counts(articles: pd.DataFrame) -> pd.Series:
    if articles.empty:
        return pd.Series(dtype="int64")
    return articles["category"].astype("object").fillna("(none)").value_counts()


def author_counts(articles: pd.DataFrame, top: int = TOP_N) -> pd.Series:
    if articles.empty:
        return pd.Series(dtype="int64")
    authors = articles["authors"].map(lambda v: list(v) if v is not None and not _is_na_scalar(v) else [])
    return authors.explode().dropna().value_counts().head(top)


def _is_na_scalar(value) -> bool:
    return not hasattr(value, "__len__") and _is_na(value)


def read_count_values(articles: pd.DataFrame) -> pd.Series:
    if articles.empty:
        return pd.Series(dtype="int64")
    return articles["read_count"].dropna().astype("int64")


def most_read(articles: pd.DataFrame, top: int = TOP_N) -> pd.DataFrame:
    columns = ["title", "category", "published_at", "read_count", "url"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    ranked = articles.dropna(subset=["read_count"]).sort_values("read_count", ascending=False).head(top)
    return ranked[columns].reset_index(drop=True)


def reject_counts(rejects: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(article pages refused by normalize/validate by reason, pages that are not articles by reason)."""
    if rejects.empty:
        return pd.Series(dtype="int64"), pd.Series(dtype="int64")
    spider = rejects["stage"].astype("object") == STAGE_SPIDER
    return (rejects.loc[~spider, "reason_key"].astype("object").value_counts(),
            rejects.loc[spider, "reason_key"].astype("object").value_counts())


def failure_counts(failures: pd.DataFrame) -> pd.Series:
    if failures.empty:
        return pd.Series(dtype="int64")
    return failures["kind"].astype("object").value_counts()


def key_figures(data: OutputData) -> dict:
    articles = data.articles
    reads = read_count_values(articles)
    rejected, not_articles = reject_counts(data.rejects)
    figures = {
        "output": str(data.root),
        "articles": len(articles),
        "first_published": None,
        "last_published": None,
        "categories": int(articles["category"].nunique()) if not articles.empty else 0,
        "read_counts": {
            "articles_with": len(reads),
            "total": int(reads.sum()) if len(reads) else 0,
            "median": float(reads.median()) if len(reads) else None,
            "mean": round(float(reads.mean()), 1) if len(reads) else None,
            "max": int(reads.max()) if len(reads) else None,
        },
        "read_count_observations": len(data.read_counts),
        "rejected_article_pages": int(rejected.sum()),
        "pages_not_articles": int(not_articles.sum()),
        "failures": len(data.failures),
        "runs": len(data.runs),
        "last_run": data.runs.iloc[-1]["run_id"] if not data.runs.empty else None,
    }
    if not articles.empty:
        local = _local_published(articles)
        figures["first_published"] = local.min().isoformat()
        figures["last_published"] = local.max().isoformat()
    return figures
