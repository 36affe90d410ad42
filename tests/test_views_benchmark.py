"""views.plot_scaling and plot_waits draw what they are given, with units and marks."""
import matplotlib.pyplot as plt
import pytest

from helpers.errors import InvalidParameter
from helpers.views import plot_benchmark, plot_scaling, plot_waits


def row(strategy, n, seconds, cpu=100.0, rss=30.0, late=1.0):
    return {"strategy": strategy, "n": n, "status": "ok", "median_seconds": seconds,
            "cpu_us_per_request": cpu, "peak_rss_mib": rss, "lateness_p99_ms": late}


ROWS = [row("general_loop", 1, 1.0), row("general_loop", 1000, 1.1, cpu=150),
        row("thread_pool_n", 1, 1.0), row("thread_pool_n", 1000, 2.5, rss=300),
        {"strategy": "serial", "n": 1000, "status": "skipped", "reason": "hopeless"}]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_scaling_draws_four_panels_with_units_and_the_ideal():
    plot_scaling(ROWS, delay=1.0, title="the loop stays at one delay")
    figure = plt.gcf()
    wall, cpu, memory, late = figure.axes
    assert figure._suptitle.get_text() == "the loop stays at one delay"
    assert [line.get_label() for line in wall.get_lines()] == \
        ["general_loop", "thread_pool_n", "ideal: one delay (1 s)"]
    assert "µs" in cpu.get_ylabel() and "MiB" in memory.get_ylabel() and "(ms)" in late.get_ylabel()
    assert wall.get_xscale() == "log" and memory.get_yscale() == "linear"
    # one colour per strategy in every panel
    colours = [line.get_color() for line in wall.get_lines()[:2]]
    assert [line.get_color() for line in memory.get_lines()] == colours
    assert list(memory.get_lines()[1].get_ydata()) == [30.0, 300]


def test_plot_benchmark_labels_log_axes_with_plain_numbers():
    figure = plot_benchmark(ROWS, delay=1.0)
    ax = figure.axes[0]
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels(minor=True) if t.get_text()]
    assert labels and not any("e" in text or "times" in text for text in labels), labels


def test_plot_waits_draws_a_bar_per_connection_and_the_marks():
    plot_waits([1.02, 0.2, 0.2], title="late ones waited for a resent SYN",
               marks={"accepting": 0.2, "SYN sent again": 1.0})
    ax = plt.gca()
    assert [round(bar.get_width(), 2) for bar in ax.patches] == [0.2, 0.2, 1.02]
    assert [line.get_label() for line in ax.get_lines()] == ["accepting", "SYN sent again"]
    assert "(s)" in ax.get_xlabel()


def test_plot_waits_refuses_a_negative_wait():
    with pytest.raises(InvalidParameter, match="durations must be 0 seconds or more"):
        plot_waits([0.1, -1], title="t")
