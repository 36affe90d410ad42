"""The benchmark's plot: median wall time against request count, on log axes.

    from helpers.views.benchmark import plot_benchmark
    plot_benchmark(rows, delay=1.0, path="bench.png")   # rows from helpers.bench.report
    plot_scaling(rows, delay=1.0, title="...")          # in a notebook: four panels

Log axes, because the counts span 1 to 10,000 and the times one delay to hundreds:
a strategy that keeps up is a flat line on the ideal (one delay, whatever N), one that
waits in turn climbs with N. Drawn on a bare Figure, not pyplot, so that it needs no
screen and leaves no figure open in the process that asked for it.
"""
import math

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..errors import InvalidParameter
from ..validate import seconds


def _measured(rows):
    measured = [r for r in rows if r.get("status") == "ok"]
    if not measured:
        raise InvalidParameter("No measured rows to draw: every combination was skipped "
                               "or failed (see the table).")
    return measured


def _per_strategy(measured):
    """{strategy: its rows by N}, in the order the strategies first appear."""
    names = dict.fromkeys(r["strategy"] for r in measured)
    return {name: sorted((r for r in measured if r["strategy"] == name), key=lambda r: r["n"])
            for name in names}


PLAIN = FuncFormatter(lambda value, _: f"{value:,g}")  # 2, not 2×10⁰ or 2e+00


def _plain_log_labels(axis):
    """Plain numbers on a log axis: every power of ten, and 2, 3 and 5 times it, so that a
    span of less than a decade still shows a few labels."""
    def minor(value, _position):
        if value <= 0:
            return ""
        mantissa = value / 10 ** math.floor(math.log10(value) + 1e-9)
        return f"{value:,g}" if round(mantissa) in (2, 3, 5) else ""
    axis.set_major_formatter(PLAIN)
    axis.set_minor_formatter(FuncFormatter(minor))


def _label(row):
    """The strategy's name, with its pool size where the run chose one."""
    return row.get("label", row["strategy"])


def plot_benchmark(rows, *, delay, path=None, ax=None, title=None):
    """One line per strategy through its measured medians; the ideal as a dotted line.

    Draws on `ax` if given, else on a new figure saved to `path`; returns the figure.
    """
    delay = seconds(delay, name="delay")
    measured = _measured(rows)
    figure = None
    if ax is None:
        figure = Figure(figsize=(8, 5), layout="constrained")
        ax = figure.add_subplot()
    for name, mine in _per_strategy(measured).items():
        ax.plot([r["n"] for r in mine], [r["median_seconds"] for r in mine], "o-",
                label=_label(mine[0]))
    ax.axhline(delay, color="grey", linestyle=":", label=f"ideal: one delay ({delay:g} s)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(PLAIN)
    _plain_log_labels(ax.yaxis)
    ax.set_xlabel("requests at once (N, log scale)")
    ax.set_ylabel("median wall time (s, log scale)")
    ax.set_title(title or "Which strategies stay at one delay as N grows")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    if figure is not None and path is not None:
        figure.savefig(path, dpi=120)
    return ax.figure


# The client's costs and the service's share, one panel each, beside the wall time.
PANELS = [("cpu_us_per_request", "client CPU per request", "CPU time (µs, log scale)", "log"),
          ("peak_rss_mib", "client peak memory", "peak resident memory (MiB)", "linear"),
          ("lateness_p99_ms", "service: p99 of answered - arrived - delay",
           "how late the service answered (ms)", "linear")]


def plot_scaling(rows, *, delay, title):
    """Wall time against N with the ideal, and beside it what each run cost the client
    (CPU per request, peak memory) and how late the service's own answers went out:
    near 0 ms, the service kept up, so the client's curve is the client's own."""
    delay = seconds(delay, name="delay")
    by_strategy = _per_strategy(_measured(rows))
    figure, axes = plt.subplots(2, 2, figsize=(11, 7.5), layout="constrained")
    plot_benchmark(rows, delay=delay, ax=axes[0][0], title="wall time")
    colours = {name: line.get_color() for name, line in
               zip(by_strategy, axes[0][0].get_lines())}
    for ax, (key, label, unit, scale) in zip([axes[0][1], axes[1][0], axes[1][1]], PANELS):
        for name, mine in by_strategy.items():
            points = [(r["n"], r[key]) for r in mine if r.get(key) is not None]
            if points:
                ax.plot(*zip(*points), "o-", color=colours[name], label=_label(mine[0]))
        ax.set_xscale("log")
        ax.set_yscale(scale)
        if scale == "linear":
            ax.set_ylim(bottom=0)
        else:
            _plain_log_labels(ax.yaxis)
        ax.xaxis.set_major_formatter(PLAIN)
        ax.set_xlabel("requests at once (N, log scale)")
        ax.set_ylabel(unit)
        ax.set_title(label, fontsize="medium")
        ax.grid(alpha=0.3, which="both")
    figure.suptitle(title)  # the wall-time panel's legend names every line
    plt.show()
