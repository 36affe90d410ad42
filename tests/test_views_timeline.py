"""helpers.views.timeline: one run's records, or several runs stacked on one clock."""
from collections import namedtuple

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers.views import plot_timeline, plot_timelines

Record = namedtuple("Record", "arrived answered")  # what the views read of a service record

SERIAL = [Record(10.0, 11.0), Record(11.0, 12.0)]      # one after another: two delays
TOGETHER = [Record(20.01, 21.01), Record(20.0, 21.0)]  # at once: one delay (out of order)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def bars(ax):
    """(row, left, width, colour) of every bar, top row first."""
    found = [(round(p.get_y() + p.get_height() / 2), p.get_x(), p.get_width(), p.get_facecolor())
             for p in ax.patches]
    return sorted(found)


def test_each_run_starts_at_its_own_first_arrival_one_row_per_request(ax):
    plot_timelines({"one after another": SERIAL, "together": TOGETHER}, title="t", ax=ax)
    rows = bars(ax)
    assert [row for row, *_ in rows] == [0, 1, 2, 3]
    assert [left for _row, left, _width, _colour in rows] == pytest.approx([0, 1, 0, 0.01])
    assert [width for _row, _left, width, _colour in rows] == pytest.approx([1, 1, 1, 1])
    assert rows[0][3] == rows[1][3] != rows[2][3] == rows[3][3], "one colour per run"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "one after another, request 1", "one after another, request 2",
        "together, request 1", "together, request 2"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one after another",
                                                                  "together"]


def test_a_delay_draws_the_one_delay_line(ax):
    plot_timelines({"together": TOGETHER}, title="t", delay=1.0, ax=ax)
    [line] = ax.get_lines()
    assert list(line.get_xdata()) == [1.0, 1.0]
    assert "one delay (1 s)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_many_rows_drop_their_names_and_touch():
    many = [Record(float(i), i + 1.0) for i in range(40)]
    fig, ax = plt.subplots()
    plot_timelines({"pool": many, "loop": many}, title="t", ax=ax)
    assert ax.get_yticklabels()[0].get_text() != "pool, request 1"
    assert "run by run" in ax.get_ylabel()
    assert {p.get_height() for p in ax.patches} == {1.0}
    plt.close(fig)


def test_its_own_figure_is_shown_with_the_legend_below(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.gcf()))
    plot_timelines({"together": TOGETHER}, title="t", delay=1.0)
    [fig] = shown
    assert fig.legends and not fig.axes[0].get_legend()
    plt.close(fig)


@pytest.mark.parametrize("results", [{}, {"together": []}, [TOGETHER], None])
def test_nothing_to_draw_is_refused_before_a_figure_opens(results):
    figures = plt.get_fignums()
    with pytest.raises(helpers.InvalidParameter, match="results must map a label"):
        plot_timelines(results, title="t")
    assert plt.get_fignums() == figures


def test_one_run_alone_still_draws(ax):
    plot_timeline(SERIAL, title="t", ax=ax)
    assert len(ax.patches) == 2 and ax.get_title() == "t"
