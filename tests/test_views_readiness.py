"""helpers.views.readiness: notebook 03's picture of select() reporting each socket."""
from collections import namedtuple

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers.views import plot_readiness

Readiness = namedtuple("Readiness", "socket_number delay seconds")  # as notebook 03 records
# Sent in the order 0, 1, 2; readable in the order of their delays.
FOUND = [Readiness(1, 0.25, 0.26), Readiness(2, 0.5, 0.51), Readiness(0, 1.0, 1.01)]


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_rows_follow_the_sending_order_and_dots_the_moments(ax):
    plot_readiness(FOUND, title="t", ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["socket 0 (1.00 s)", "socket 1 (0.25 s)", "socket 2 (0.50 s)"]
    assert sorted(p.get_width() for p in ax.patches) == [0.25, 0.5, 1.0]
    dots = next(line for line in ax.get_lines() if line.get_marker() == "o")
    assert list(dots.get_xdata()) == [1.01, 0.26, 0.51]
    ranks = {t.get_text(): t.xy for t in ax.texts}
    assert ranks == {"#1": (0.26, 1), "#2": (0.51, 2), "#3": (1.01, 0)}


def test_both_predictions_are_drawn_when_they_fit(ax):
    plot_readiness(FOUND, title="t", ax=ax)
    vertical = sorted(line.get_xdata()[0] for line in ax.get_lines()
                      if line.get_marker() != "o")
    assert vertical == pytest.approx([1.0, 1.75])  # the longest delay, the sum of delays


def test_a_sum_too_far_right_is_written_not_drawn(ax):
    many = [Readiness(i, 1.0, 1.01) for i in range(10)]  # sum 10 s, longest 1 s
    plot_readiness(many, title="t", ax=ax)
    assert any("sum of delays, one after another: 10.0 s" in t.get_text() for t in ax.texts)
    assert ax.get_xlim()[1] < 10


def test_no_records_are_refused_before_a_figure_opens():
    figures = plt.get_fignums()
    with pytest.raises(helpers.InvalidParameter, match="No readiness records"):
        plot_readiness([], title="t")
    assert plt.get_fignums() == figures
