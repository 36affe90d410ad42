"""helpers.views.latency: measured times against N, over what each strategy predicts."""
import math

import matplotlib.pyplot as plt
import pytest

import helpers
from helpers.views import plot_comparison, plot_latency

DELAY = 1.0


def measured(strategy, n, seconds):
    return helpers.Measurement(strategy, n, seconds, DELAY, n)


RUNS = [measured("loop", 1, 1.01), measured("loop", 5, 1.02),
        measured("pool of 2", 1, 1.01), measured("pool of 2", 5, 3.05)]
PREDICTED = {"loop": ("one delay", lambda n: DELAY),
             "pool of 2": ("ceil(N / 2) delays", lambda n: math.ceil(n / 2) * DELAY)}


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_every_prediction_is_drawn_at_every_n_in_the_colour_of_its_points(ax):
    plot_comparison(RUNS, predictions=PREDICTED, title="t", ax=ax)
    lines = lines_by_label(ax)
    staircase = lines["pool of 2: predicted, ceil(N / 2) delays"]
    assert list(staircase.get_xdata()) == [1, 2, 3, 4, 5]
    assert list(staircase.get_ydata()) == [1, 1, 2, 2, 3]
    assert staircase.get_color() == lines["pool of 2: measured"].get_color()
    assert list(lines["pool of 2: measured"].get_xdata()) == [1, 5]
    assert lines["loop: measured"].get_marker() != lines["pool of 2: measured"].get_marker()


def test_a_strategy_without_a_prediction_gets_points_only(ax):
    plot_comparison(RUNS + [measured("serial", 2, 2.0)], predictions=PREDICTED, title="t",
                    ax=ax)
    labels = set(lines_by_label(ax))
    assert "serial: measured" in labels
    assert not any(label.startswith("serial: predicted") for label in labels)


def test_the_time_axis_stops_just_above_the_slowest_point(ax):
    steep = {"loop": ("N delays", lambda n: n * 10 * DELAY)}
    plot_comparison(RUNS, predictions=steep, title="t", ax=ax)
    assert ax.get_ylim() == pytest.approx((0, 1.15 * 3.05))


@pytest.mark.parametrize("draw", [plot_comparison, plot_latency])
def test_no_measurements_are_refused_before_a_figure_opens(draw):
    figures = plt.get_fignums()
    with pytest.raises(helpers.InvalidParameter, match="non-empty list of measurements"):
        draw([], title="t")
    assert plt.get_fignums() == figures


def test_the_ideal_line_lies_under_the_data_so_a_prediction_on_it_shows(ax):
    """Notebook 02: a pool as big as N predicts one delay, exactly the ideal line."""
    plot_latency(RUNS[:2], title="t", delay=DELAY, ax=ax,
                 predictions={"one delay": lambda n: DELAY})
    lines = lines_by_label(ax)
    ideal, prediction = lines[f"ideal: one delay ({DELAY:g} s)"], lines["one delay"]
    assert ideal.get_zorder() < prediction.get_zorder()
    assert ideal.get_linewidth() > prediction.get_linewidth(), "the band shows around it"
