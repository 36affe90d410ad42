"""The benchmark's plot: median wall time against request count, on log axes.

    from helpers.views.benchmark import plot_benchmark
    plot_benchmark(rows, delay=1.0, path="bench.png")   # rows from helpers.bench.report

Log axes, because the counts span 1 to 10,000 and the times one delay to hundreds:
a strategy that keeps up is a flat line on the ideal (one delay, whatever N), one that
waits in turn climbs with N. Drawn on a bare Figure, not pyplot, so that it needs no
screen and leaves no figure open in the process that asked for it.
"""
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogFormatter

from ..errors import InvalidParameter
from ..validate import seconds


def plot_benchmark(rows, *, delay, path=None, ax=None, title=None):
    """One line per strategy through its measured medians; the ideal as a dotted line.

    Draws on `ax` if given, else on a new figure saved to `path`; returns the figure.
    """
    delay = seconds(delay, name="delay")
    measured = [r for r in rows if r.get("status") == "ok"]
    if not measured:
        raise InvalidParameter("No measured rows to draw: every combination was skipped "
                               "or failed (see the table).")
    figure = None
    if ax is None:
        figure = Figure(figsize=(8, 5), layout="constrained")
        ax = figure.add_subplot()
    for name in dict.fromkeys(r["strategy"] for r in measured):
        mine = sorted((r for r in measured if r["strategy"] == name), key=lambda r: r["n"])
        ax.plot([r["n"] for r in mine], [r["median_seconds"] for r in mine], "o-",
                label=name)
    ax.axhline(delay, color="grey", linestyle=":", label=f"ideal: one delay ({delay:g} s)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain = FuncFormatter(lambda value, _: f"{value:,g}")  # 2, not 2×10⁰
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.5)))
    ax.set_xlabel("requests at once (N, log scale)")
    ax.set_ylabel("median wall time (s, log scale)")
    ax.set_title(title or "Which strategies stay at one delay as N grows")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    if figure is not None and path is not None:
        figure.savefig(path, dpi=120)
    return ax.figure
