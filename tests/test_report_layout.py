"""The HTML report reads well (issue 16): tables scroll in their own box instead of widening the
page, legends stand beside the plot, and count axes have whole-number ticks only."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dvscraper.analysis import html_report
from dvscraper.analysis.figures import load_output


@pytest.fixture
def figures(monkeypatch):
    """The matplotlib figures the report draws, kept open (``_png`` closes them otherwise)."""
    drawn: list = []

    def keep(fig, alt):
        fig.tight_layout()
        fig.canvas.draw()
        drawn.append((alt, fig))
        return f'<img alt="{alt}">'

    monkeypatch.setattr(html_report, "_png", keep)
    yield drawn
    import matplotlib.pyplot as plt

    for _, fig in drawn:
        plt.close(fig)


def _whole(ticks) -> bool:
    return all(float(t).is_integer() for t in ticks)


@pytest.mark.parametrize("horizontal", [False, True], ids=["columns", "bars"])
def test_small_counts_have_whole_number_ticks(figures, horizontal):
    html_report._bar(pd.Series([1, 2, 1], index=["a", "b", "c"]), "few articles", horizontal=horizontal)
    ((_, fig),) = figures
    ax = fig.axes[0]
    axis = ax.xaxis if horizontal else ax.yaxis
    ticks = [t for t in axis.get_majorticklocs() if t >= 0]
    assert ticks and _whole(ticks), ticks


def test_histogram_and_runs_counts_have_whole_number_ticks(figures):
    html_report._histogram(pd.Series([10, 12, 15, 40, 41]))
    runs = pd.DataFrame({"run_id": ["20240101T000000Z-a", "20240102T000000Z-b"], "articles_written": [1, 2]})
    html_report._runs_plot(runs)
    for _, fig in figures:
        ticks = [t for t in fig.axes[0].yaxis.get_majorticklocs() if t >= 0]
        assert ticks and _whole(ticks), ticks


def test_growth_legend_stands_beside_the_plot(figures, tmp_path):
    data = load_output(tmp_path)
    base = dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc)
    data.read_counts = pd.DataFrame([
        {"article_id": f"a{i}", "crawled_at": base + dt.timedelta(days=d), "read_count": 3 + d + i}
        for i in range(5) for d in range(3)
    ])
    assert html_report._growth(data).startswith("<img")
    ((_, fig),) = figures
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    renderer = fig.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    assert box.x0 >= ax.get_window_extent(renderer).x1, "beside the axes, not over the curves"
    assert box.x1 <= fig.bbox.x1 and box.y0 >= fig.bbox.y0, "and inside the image, not cut off"
    assert _whole(ax.yaxis.get_majorticklocs())


def test_tables_scroll_in_their_own_box():
    frame = pd.DataFrame({"url": ["https://dienbien.dcs.vn/" + "x" * 300], "read_count": [1234]})
    table = html_report._table(frame, numeric=("read_count",))
    assert table.startswith('<div class="scroll"><table>') and table.endswith("</table></div>")
    css = html_report._CSS
    assert re.search(r"\.scroll\{[^}]*overflow-x:auto", css)
    assert re.search(r"td\{[^}]*overflow-wrap:anywhere", css), "long cells wrap"
    assert re.search(r"\.grid>\*\{min-width:0\}", css), "a wide table cannot stretch its grid column"
