"""`dvscraper report [OUTPUT] [-o FILE]`: one self-contained HTML file about an output folder.

Plots are drawn with matplotlib (Agg backend, no display needed) and embedded as
base64 PNG, tables as plain HTML, so the file can be mailed or opened offline:
articles per month, categories, top authors, the read-count distribution and the
most-read articles, read-count growth curves (from ``read_counts/`` when the folder
has one), field coverage, rejects and failures by reason, and the crawl history.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from dvscraper.analysis.figures import (
    OutputData,
    articles_per_month,
    author_counts,
    category_counts,
    failure_counts,
    field_coverage,
    key_figures,
    most_read,
    read_count_values,
    reject_counts,
)
from dvscraper.analysis.old_data import printable
from dvscraper.dataset.layout import TEMP_SUFFIX

GROWTH_CURVES = 12  # articles with the most read-count observations
COLOR = "#2b6cb0"

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1a202c;
padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #e2e8f0}
.sub{color:#4a5568;margin-top:0} .cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #e2e8f0;border-radius:6px;padding:.6rem 1rem;min-width:150px}
.card b{display:block;font-size:1.35rem} .card span{color:#4a5568;font-size:.85rem}
.scroll{max-width:100%;overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;font-size:.88rem}
td,th{border-bottom:1px solid #edf2f7;padding:.25rem .6rem;
text-align:left;vertical-align:top} th{background:#f7fafc;white-space:nowrap}
td{max-width:36rem;overflow-wrap:anywhere} td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
img{max-width:100%;height:auto} .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.grid>*{min-width:0}
.muted{color:#718096}
"""


def _figure(width: float = 7.0, height: float = 3.4):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _counts_on(axis) -> None:
    """An axis of counts: whole-number ticks only (no 0.5 article)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _png(fig, alt: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # legends placed outside the axes stay in the image
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _bar(counts: pd.Series, title: str, *, horizontal: bool = False) -> str:
    if counts.empty:
        return f'<p class="muted">{html.escape(title)}: no data.</p>'
    fig, ax = _figure(7, max(2.6, 0.32 * len(counts) + 1) if horizontal else 3.4)
    labels = [printable(k) for k in counts.index]
    if horizontal:
        ax.barh(labels[::-1], counts.values[::-1], color=COLOR)
        ax.set_xlabel("articles")
        _counts_on(ax.xaxis)
    else:
        ax.bar(labels, counts.values, color=COLOR)
        ax.set_ylabel("articles")
        _counts_on(ax.yaxis)
        step = max(1, len(labels) // 24)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=60, ha="right", fontsize=8)
    ax.set_title(title)
    return _png(fig, title)


def _histogram(values: pd.Series) -> str:
    title = "read-count distribution"
    if values.empty:
        return f'<p class="muted">{title}: no article has a read count.</p>'
    fig, ax = _figure()
    ax.hist(values.to_numpy(), bins=min(40, max(5, len(values) // 5)), color=COLOR)
    ax.set_xlabel("read count")
    ax.set_ylabel("articles")
    _counts_on(ax.yaxis)
    ax.set_title(title)
    return _png(fig, title)


def _coverage_plot(coverage: pd.Series) -> str:
    title = "field coverage (share of articles with the field present)"
    if coverage.dropna().empty:
        return f'<p class="muted">{title}: no articles.</p>'
    fig, ax = _figure(7, 0.28 * len(coverage) + 1)
    shares = coverage.fillna(0)[::-1]
    ax.barh(list(shares.index), shares.values * 100, color=[COLOR if v >= 0.9 else "#dd6b20" for v in shares.values])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of articles")
    ax.set_title(title)
    return _png(fig, title)


def _growth(data: OutputData) -> str:
    title = "read-count growth (read_counts/)"
    observations = data.read_counts
    if observations.empty:
        return (f'<p class="muted">{title}: no read-count observations in this output folder '
                "(crawls with read-count history write <code>read_counts/</code>).</p>")
    frame = observations.dropna(subset=["read_count"]).copy()
    frame["crawled_at"] = pd.to_datetime(frame["crawled_at"].astype("datetime64[us, UTC]"))
    counts = frame.groupby("article_id")["crawled_at"].nunique()
    chosen = counts[counts >= 2].sort_values(ascending=False).head(GROWTH_CURVES).index
    if len(chosen) == 0:
        return (f'<p class="muted">{title}: every article was observed once so far '
                f"({len(frame):,} observations); curves appear after a refetch.</p>")
    titles = data.articles.set_index("article_id")["title"].astype("object") if not data.articles.empty else {}
    fig, ax = _figure(9.5, 3.8)
    for article in chosen:
        series = frame[frame["article_id"] == article].sort_values("crawled_at")
        label = printable(titles.get(article, article))[:40] if len(titles) else printable(article)
        ax.plot(series["crawled_at"], series["read_count"].astype("int64"), marker="o", markersize=3, label=label)
    ax.set_ylabel("read count")
    _counts_on(ax.yaxis)
    ax.set_title(title)
    # beside the plot, not over the curves
    ax.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    fig.autofmt_xdate()
    return _png(fig, title)


def _runs_plot(runs: pd.DataFrame) -> str:
    title = "crawl history: articles written per run"
    if runs.empty:
        return f'<p class="muted">{title}: no run summaries.</p>'
    fig, ax = _figure()
    labels = [str(r)[:15] for r in runs["run_id"]]
    ax.bar(labels, runs["articles_written"].fillna(0).astype(int), color=COLOR)
    ax.set_ylabel("articles written")
    _counts_on(ax.yaxis)
    ax.set_title(title)
    step = max(1, len(labels) // 20)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=60, ha="right", fontsize=7)
    return _png(fig, title)


def _table(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    if frame.empty:
        return '<p class="muted">none</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            missing = value is None or (not isinstance(value, (list, tuple)) and pd.isna(value))
            text = "" if missing else printable(value)
            if isinstance(value, (int, float)) and column in numeric and text:
                text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
            cls = ' class="n"' if column in numeric else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"


def _counts_table(counts: pd.Series, label: str) -> str:
    return _table(pd.DataFrame({label: [str(k) for k in counts.index], "count": [int(v) for v in counts.values]}),
                  numeric=("count",))


def render_report(data: OutputData, *, now: dt.datetime | None = None) -> str:
    figures = key_figures(data)
    reads = figures["read_counts"]
    coverage = field_coverage(data.articles)
    rejected, not_articles = reject_counts(data.rejects)
    now = now or dt.datetime.now(dt.timezone.utc)

    def card(value, label):
        return f'<div class="card"><b>{html.escape(str(value))}</b><span>{html.escape(label)}</span></div>'

    span = "-"
    if figures["first_published"]:
        span = f"{figures['first_published'][:10]} → {figures['last_published'][:10]}"
    cards = "".join([
        card(f"{figures['articles']:,}", "articles"),
        card(span, "published"),
        card(figures["categories"], "categories"),
        card(f"{reads['total']:,}", "reads (sum of read counts)"),
        card(reads["median"] if reads["median"] is not None else "-", "median read count"),
        card(f"{figures['rejected_article_pages']:,}", "article pages rejected"),
        card(f"{figures['failures']:,}", "failed fetches"),
        card(figures["runs"], "runs"),
    ])
    top = most_read(data.articles)
    if not top.empty:
        top["published_at"] = top["published_at"].astype("object").map(lambda v: str(v)[:16])
    coverage_rows = pd.DataFrame({"field": list(coverage.index),
                                  "present": [("-" if pd.isna(v) else f"{v:.1%}") for v in coverage.values]})
    runs = data.runs.copy()
    if not runs.empty:
        runs["started_at"] = runs["started_at"].map(lambda v: "" if pd.isna(v) else v.strftime("%Y-%m-%d %H:%M"))
    sections = [
        "<h2>Articles per month</h2>", _bar(articles_per_month(data.articles), "articles per month (publish date)"),
        "<h2>Categories and authors</h2>",
        '<div class="grid">', _bar(category_counts(data.articles).head(15), "articles by category", horizontal=True),
        _bar(author_counts(data.articles), "top authors", horizontal=True), "</div>",
        "<h2>Read counts</h2>", _histogram(read_count_values(data.articles)),
        "<h3>Most read</h3>", _table(top, numeric=("read_count",)),
        "<h3>Growth over time</h3>", _growth(data),
        "<h2>Field coverage</h2>", _coverage_plot(coverage), _table(coverage_rows),
        "<h2>Rejects and failures</h2>", '<div class="grid"><div>',
        "<h3>Article pages rejected, by reason</h3>", _counts_table(rejected, "reason"),
        "<h3>Pages that are not articles, by reason</h3>", _counts_table(not_articles, "reason"),
        "</div><div>", "<h3>Failed fetches, by kind</h3>", _counts_table(failure_counts(data.failures), "kind"),
        "</div></div>",
        "<h2>Crawl history</h2>", _runs_plot(runs),
        _table(runs, numeric=("duration_s", "pages_fetched", "articles_written", "duplicates_skipped",
                              "rejects_total", "failures_total")),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>dvscraper report: {html.escape(figures['output'])}</title><style>{_CSS}</style></head><body>"
        f"<h1>dvscraper report</h1><p class=\"sub\">{html.escape(figures['output'])} · "
        f"generated {now:%Y-%m-%d %H:%M} UTC</p><div class=\"cards\">{cards}</div>"
        + "\n".join(sections) + "</body></html>\n"
    )


def write_report(data: OutputData, target: Path) -> Path:
    """Render and write atomically (tmp file + rename)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = render_report(data)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
