"""Latency against request count: the plot every notebook ends a comparison with."""
from ..errors import InvalidParameter
from ..validate import seconds
from .axes import finish_latency_axes, new_axes


def plot_latency(measurements, *, title, delay=None, predictions=None, ax=None):
    """Measured wall time against request count, one line per strategy.

    delay: draw the ideal, one delay whatever N, as a dotted line.
    predictions: {label: function of n -> seconds}, drawn dashed over the same ns.
    """
    if not isinstance(measurements, (list, tuple)) or not measurements:
        raise InvalidParameter(
            "measurements must be a non-empty list of measurements, like "
            f"helpers.sweep(strategy, [1, 2, 4], service); got {measurements!r}.")
    delay = None if delay is None else seconds(delay, name="delay")
    ax, own = new_axes(ax)
    by_strategy = {}
    for m in measurements:
        by_strategy.setdefault(m.strategy, []).append(m)
    ns = sorted({m.n for m in measurements})
    for label, runs in by_strategy.items():
        runs = sorted(runs, key=lambda m: m.n)
        ax.plot([m.n for m in runs], [m.seconds for m in runs], "o-", label=f"{label} (measured)")
    for label, predict in (predictions or {}).items():
        ax.plot(ns, [predict(n) for n in ns], "--", label=label)
    finish_latency_axes(ax, title=title, delay=delay, show=own)
