"""`dvscraper stats [OUTPUT]`: the key figures of an output folder as tables in the terminal (rich)."""

from __future__ import annotations

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
    reject_counts,
)
from dvscraper.analysis.old_data import printable


def _cell(value):
    """Text as stored, shown as is: no terminal escapes (old rows), no rich markup read into it."""
    from rich.text import Text

    return Text(printable(value))


def _count_table(title: str, counts: pd.Series, label: str, *, limit: int = 15):
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(label)
    table.add_column("count", justify="right")
    for key, count in counts.head(limit).items():
        table.add_row(_cell(key), f"{int(count):,}")
    if len(counts) > limit:
        table.add_row(f"… {len(counts) - limit} more", f"{int(counts.iloc[limit:].sum()):,}")
    if counts.empty:
        table.add_row("(none)", "0")
    return table


def build_tables(data: OutputData) -> list:
    from rich.table import Table

    figures = key_figures(data)
    overview = Table(title=f"dvscraper output: {printable(figures['output'])}", title_justify="left",
                     show_header=False)
    overview.add_column("figure")
    overview.add_column("value", justify="right")
    reads = figures["read_counts"]
    rows = [
        ("articles", f"{figures['articles']:,}"),
        ("published from", figures["first_published"] or "-"),
        ("published to", figures["last_published"] or "-"),
        ("categories", str(figures["categories"])),
        ("articles with a read count", f"{reads['articles_with']:,}"),
        ("read counts: total / median / max",
         f"{reads['total']:,} / {reads['median'] if reads['median'] is not None else '-'} / "
         f"{reads['max'] if reads['max'] is not None else '-'}"),
        ("read-count observations (read_counts/)", f"{figures['read_count_observations']:,}"),
        ("article pages rejected", f"{figures['rejected_article_pages']:,}"),
        ("pages that are not articles", f"{figures['pages_not_articles']:,}"),
        ("failed fetches", f"{figures['failures']:,}"),
        ("runs", f"{figures['runs']} (last: {figures['last_run'] or '-'})"),
    ]
    for name, value in rows:
        overview.add_row(name, _cell(value))

    coverage = Table(title="field coverage (share of articles with the field present)", title_justify="left")
    coverage.add_column("field")
    coverage.add_column("present", justify="right")
    for name, share in field_coverage(data.articles).items():
        coverage.add_row(name, "-" if pd.isna(share) else f"{share:.1%}")

    rejected, not_articles = reject_counts(data.rejects)
    top = Table(title="most read", title_justify="left")
    for column in ("read_count", "published", "title"):
        top.add_column(column, justify="right" if column == "read_count" else "left")
    for row in most_read(data.articles).itertuples():
        top.add_row(f"{int(row.read_count):,}", str(row.published_at)[:10], _cell(printable(row.title)[:80]))

    runs = Table(title="runs", title_justify="left")
    for column in ("run_id", "finish", "seconds", "pages", "articles", "duplicates", "rejects", "failures"):
        runs.add_column(column, justify="left" if column in ("run_id", "finish") else "right")
    for row in data.runs.tail(15).itertuples():
        runs.add_row(_cell(row.run_id), _cell(row.finish_reason), f"{row.duration_s or 0:.1f}", str(row.pages_fetched),
                     str(row.articles_written), str(row.duplicates_skipped), str(row.rejects_total),
                     str(row.failures_total))

    months = articles_per_month(data.articles)
    return [
        overview,
        _count_table("articles by category", category_counts(data.articles), "category"),
        _count_table("articles per month (latest 12)", months[months > 0].iloc[::-1].head(12), "month", limit=12),
        _count_table("top authors", author_counts(data.articles), "author"),
        top,
        coverage,
        _count_table("rejected article pages by reason", rejected, "reason"),
        _count_table("pages that are not articles, by reason", not_articles, "reason"),
        _count_table("failed fetches by kind", failure_counts(data.failures), "kind"),
        runs,
    ]


def print_stats(data: OutputData, console=None) -> None:
    from rich.console import Console

    if console is None:  # a pipe or a file gets 120 columns, not rich's 80
        import sys

        console = Console() if sys.stdout.isatty() else Console(width=120)
    for table in build_tables(data):
        title, table.title = table.title, None  # a title above, not wrapped to a narrow table's width
        console.print(f"[bold]{title}[/]", soft_wrap=True)
        console.print(table)
        console.print()
