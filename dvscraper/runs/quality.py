"""Field coverage and the reject rate of one crawl, judged against thresholds (the "alarm").

A template change on the live site shows up as a field that suddenly goes missing
(``read_count`` null on every page) or as article pages that start failing to
normalise. ``CoveragePipeline`` (``pipelines/coverage.py``) counts, per written
article, which fields are present (``dv/coverage/<field>``) and counts the real
rejects (``dv/quality/rejected_articles``: pages that read as articles but were
refused by ``NormalizePipeline`` or ``ValidatePipeline``). Pages the spider found
not to be articles (home, listings: ``stage == "spider"``) are not rejects here.

``judge_coverage(stats, ...)`` turns those counters into the ``quality`` block of
the run summary; ``dvscraper crawl`` exits 4 (``dvscraper.errors.QualityAlarm``) when
it holds a breach. Settings: ``DV_COVERAGE_MIN`` (field -> minimum share present),
``DV_MAX_REJECT_RATE``, ``DV_COVERAGE_MIN_ARTICLES`` (judge only from this many
articles), ``DV_COVERAGE_CHECK`` (False: report, never judge).
"""

from __future__ import annotations

import json

from dvscraper import settings as defaults
from dvscraper.records import ARTICLE_FIELDS

COVERAGE_PREFIX = "dv/coverage/"
ARTICLES_SEEN = "dv/quality/articles"
REJECTED_ARTICLES = "dv/quality/rejected_articles"


def _thresholds(value) -> dict[str, float]:
    if isinstance(value, str):  # -s DV_COVERAGE_MIN='{"read_count": 0.5}'
        value = json.loads(value) if value.strip() else {}
    return {str(k): float(v) for k, v in dict(value or {}).items()}


def judge_coverage(stats: dict, *, minimums: dict | str | None, max_reject_rate: float | None,
                   min_articles: int, enabled: bool = True) -> dict:
    """The run's coverage per field, reject rate, and any breach of the thresholds."""
    minimums = _thresholds(minimums)
    articles = int(stats.get(ARTICLES_SEEN, 0))
    rejected = int(stats.get(REJECTED_ARTICLES, 0))
    coverage = {
        name: (round(int(stats.get(COVERAGE_PREFIX + name, 0)) / articles, 4) if articles else None)
        for name in ARTICLE_FIELDS
    }
    candidates = articles + rejected
    reject_rate = round(rejected / candidates, 4) if candidates else None
    judged = bool(enabled) and articles >= max(min_articles, 1)
    breaches: list[dict] = []
    if judged:
        for name, minimum in minimums.items():
            share = coverage.get(name)
            if share is not None and share < minimum:
                breaches.append({"field": name, "coverage": share, "minimum": minimum,
                                 "present": int(stats.get(COVERAGE_PREFIX + name, 0)), "articles": articles})
        if max_reject_rate is not None and reject_rate is not None and reject_rate > max_reject_rate:
            breaches.append({"field": "reject_rate", "rate": reject_rate, "maximum": max_reject_rate,
                             "rejected": rejected, "candidates": candidates})
    return {
        "articles": articles,
        "rejected_articles": rejected,
        "reject_rate": reject_rate,
        "coverage": coverage,
        "minimums": minimums,
        "max_reject_rate": max_reject_rate,
        "min_articles": min_articles,
        "judged": judged,
        "breaches": breaches,
    }


def judge_from_settings(stats: dict, settings) -> dict:
    raw_rate = settings.get("DV_MAX_REJECT_RATE")
    return judge_coverage(
        stats,
        minimums=settings.get("DV_COVERAGE_MIN"),
        max_reject_rate=float(raw_rate) if raw_rate not in (None, "") else None,
        min_articles=settings.getint("DV_COVERAGE_MIN_ARTICLES", defaults.DV_COVERAGE_MIN_ARTICLES),
        enabled=settings.getbool("DV_COVERAGE_CHECK", defaults.DV_COVERAGE_CHECK),
    )


def describe_breach(breach: dict) -> str:
    if breach["field"] == "reject_rate":
        return (f"reject rate {breach['rate']:.1%} ({breach['rejected']} of {breach['candidates']} article pages)"
                f" above the maximum {breach['maximum']:.1%}")
    return (f"{breach['field']} present in {breach['coverage']:.1%} of articles ({breach['present']} of "
            f"{breach['articles']}), minimum {breach['minimum']:.0%}")


def alarm_message(quality: dict | None) -> str | None:
    """One line naming every breached field and its figures, or None when there is none."""
    if not quality or not quality.get("breaches"):
        return None
    return "coverage alarm: " + "; ".join(describe_breach(b) for b in quality["breaches"]) + \
        " (the site's template may have changed)"


def format_quality(quality: dict | None) -> list[str]:
    """Lines for the printed run summary."""
    if not quality:
        return []
    if not quality["articles"]:
        return ["  coverage:           no articles written"]
    lines = [f"  coverage:           {quality['articles']} articles, reject rate "
             + (f"{quality['reject_rate']:.1%}" if quality["reject_rate"] is not None else "n/a")
             + ("" if quality["judged"] else f" (not judged: fewer than {quality['min_articles']} articles)")]
    watched = list(quality["minimums"]) or list(quality["coverage"])
    for name in watched:
        share = quality["coverage"].get(name)
        if share is None:
            continue
        minimum = quality["minimums"].get(name)
        flag = "  BELOW MINIMUM" if any(b["field"] == name for b in quality["breaches"]) else ""
        lines.append(f"    {share:7.1%}  {name}" + (f" (min {minimum:.0%})" if minimum is not None else "") + flag)
    return lines
