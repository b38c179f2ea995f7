"""Field coverage and the reject rate of one crawl, judged against thresholds (the "alarm").

A template change on the live site shows up as a field that suddenly goes missing
(``read_count`` null on every page) or as article pages that start failing to
normalise. ``CoveragePipeline`` (``pipelines/coverage.py``) counts, per written
article, which fields are present (``dv/coverage/<field>``) and counts the real
rejects (``dv/quality/rejected_articles``: pages that read as articles but were
refused by ``NormalizePipeline`` or ``ValidatePipeline``). Pages the spider found
not to be articles (home, listings: ``stage == "spider"``) are not rejects here.

Small runs are judged too, against the dataset's own history: ``CoveragePipeline`` also
counts each group of articles (site and page kind, ``dvscraper.dataset.history``) with the
first URLs that miss each field (``dv/quality/groups``), and reads, before the run writes,
the newest ``DV_COVERAGE_HISTORY`` articles of each group already in the dataset
(``dv/quality/history``). A field the history usually fills is breached when this run's
misses are improbable under the history's miss rate: a one-sided binomial test,
P(X >= misses) < ``DV_COVERAGE_ALPHA``, with the rate smoothed (Laplace) so that a history
that never missed still allows a rare miss. A field the history never filled never alarms;
a group with fewer than ``DV_COVERAGE_HISTORY_MIN`` articles of history is judged only by
the fixed minimums, as before. An intro page without a read count is its own kind, so it
never breaches the news articles' read count.

``judge_coverage(stats, ...)`` turns those counters into the ``quality`` block of
the run summary; ``dvscraper crawl`` exits 4 (``dvscraper.errors.QualityAlarm``) when
it holds a breach. Settings: ``DV_COVERAGE_MIN`` (field -> minimum share present),
``DV_MAX_REJECT_RATE``, ``DV_COVERAGE_MIN_ARTICLES`` (judge only from this many
articles), ``DV_COVERAGE_CHECK`` (False: report, never judge).
"""

from __future__ import annotations

import json
import math

from dvscraper import settings as defaults
from dvscraper.records import ARTICLE_FIELDS

COVERAGE_PREFIX = "dv/coverage/"
ARTICLES_SEEN = "dv/quality/articles"
REJECTED_ARTICLES = "dv/quality/rejected_articles"
GROUPS = "dv/quality/groups"  # {group: {"articles": n, "present": {field: k}, "missing_urls": {field: [...]}}}
HISTORY = "dv/quality/history"  # {group: {"articles": n, "present": {field: k}}}, read before the run
MAX_URLS = 3  # URLs named in an alarm per field


def _thresholds(value) -> dict[str, float]:
    if isinstance(value, str):  # -s DV_COVERAGE_MIN='{"read_count": 0.5}'
        value = json.loads(value) if value.strip() else {}
    return {str(k): float(v) for k, v in dict(value or {}).items()}


def miss_probability(misses: int, articles: int, history_articles: int, history_present: int) -> float:
    """P(X >= misses) for X ~ Binomial(articles, q), q the history's miss rate smoothed by
    Laplace's rule ((missed + 1) / (n + 2)): how likely this run's misses are if nothing changed."""
    q = (history_articles - history_present + 1) / (history_articles + 2)
    return sum(math.comb(articles, i) * q**i * (1 - q) ** (articles - i) for i in range(misses, articles + 1))


def judge_history(stats: dict, *, alpha: float, min_history: int) -> tuple[list[dict], list[str]]:
    """Breaches of the dataset's own history, per group and field; and the groups judged."""
    groups = stats.get(GROUPS) or {}
    history = stats.get(HISTORY) or {}
    breaches: list[dict] = []
    judged: list[str] = []
    for group, run in sorted(groups.items()):
        past = history.get(group)
        if not past or past["articles"] < min_history or not run["articles"]:
            continue
        judged.append(group)
        for name in ARTICLE_FIELDS:
            had = past["present"].get(name, 0)
            if not had:
                continue  # the history never filled it: its absence says nothing
            present = run["present"].get(name, 0)
            misses = run["articles"] - present
            if misses <= 0:
                continue
            p = miss_probability(misses, run["articles"], past["articles"], had)
            if p < alpha:
                breaches.append({
                    "field": name, "group": group, "present": present, "articles": run["articles"],
                    "coverage": round(present / run["articles"], 4),
                    "history_coverage": round(had / past["articles"], 4), "history_articles": past["articles"],
                    "p": p, "alpha": alpha, "urls": list(run.get("missing_urls", {}).get(name, []))[:MAX_URLS],
                })
    return breaches, judged


def judge_coverage(stats: dict, *, minimums: dict | str | None, max_reject_rate: float | None,
                   min_articles: int, enabled: bool = True, alpha: float = defaults.DV_COVERAGE_ALPHA,
                   min_history: int = defaults.DV_COVERAGE_HISTORY_MIN) -> dict:
    """The run's coverage per field, reject rate, and any breach of the thresholds or of the
    dataset's own history."""
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
    history_groups: list[str] = []
    if enabled:
        against_history, history_groups = judge_history(stats, alpha=alpha, min_history=min_history)
        fixed = {b["field"] for b in breaches}
        breaches += [b for b in against_history if b["field"] not in fixed]
    return {
        "articles": articles,
        "rejected_articles": rejected,
        "reject_rate": reject_rate,
        "coverage": coverage,
        "minimums": minimums,
        "max_reject_rate": max_reject_rate,
        "min_articles": min_articles,
        "judged": judged or bool(history_groups),
        "judged_against_history": history_groups,
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
        alpha=settings.getfloat("DV_COVERAGE_ALPHA", defaults.DV_COVERAGE_ALPHA),
        min_history=settings.getint("DV_COVERAGE_HISTORY_MIN", defaults.DV_COVERAGE_HISTORY_MIN),
    )


def describe_breach(breach: dict) -> str:
    if "group" in breach:
        site, _, kind = breach["group"].partition("/")
        where = f"{site} /{kind}" if kind else site
        urls = ", ".join(breach["urls"])
        return (f"{breach['field']} present in {breach['coverage']:.1%} of this run's {breach['articles']} {where} "
                f"articles against {breach['history_coverage']:.1%} of the last {breach['history_articles']} "
                f"(p={breach['p']:.2g} < {breach['alpha']:g})" + (f", e.g. {urls}" if urls else ""))
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
             + ("" if quality["judged"] else f" (not judged: fewer than {quality['min_articles']} articles"
                                              " and no history of this kind of page)")]
    if quality.get("judged_against_history"):
        lines.append("    judged against the dataset's history: " + ", ".join(quality["judged_against_history"]))
    watched = list(quality["minimums"]) or list(quality["coverage"])
    for name in watched:
        share = quality["coverage"].get(name)
        if share is None:
            continue
        minimum = quality["minimums"].get(name)
        flag = "  BELOW MINIMUM" if any(b["field"] == name for b in quality["breaches"]) else ""
        lines.append(f"    {share:7.1%}  {name}" + (f" (min {minimum:.0%})" if minimum is not None else "") + flag)
    return lines
