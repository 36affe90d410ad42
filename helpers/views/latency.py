"""Latency against request count: the plot every notebook ends a comparison with.

plot_latency joins each strategy's measurements with a line; plot_comparison draws
them as points over each strategy's prediction at every N, for predictions with steps
(a pool's staircase) that the measured Ns alone would not show.
"""
import itertools

import matplotlib.pyplot as plt

from ..errors import InvalidParameter
from ..validate import seconds
from .axes import finish_latency_axes, new_axes

MARKERS = "os^Dv<>p*h"  # one per strategy, reused past ten


def plot_latency(measurements, *, title, delay=None, predictions=None, ax=None):
    """Measured wall time against request count, one line per strategy.

    delay: draw the ideal, one delay whatever N, as a dotted line.
    predictions: {label: function of n -> seconds}, drawn dashed over the same ns.
    """
    _check_measurements(measurements)
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


def plot_comparison(measurements, *, title, predictions=None, ax=None):
    """Each strategy's measured times as points over its predicted line, drawn at every N.

    predictions: {strategy: (the rule in words, function of n -> seconds)}, keyed by the
    measurements' strategy labels; a strategy without one is drawn as points only.
    Points are hollow, so that two strategies at the same time both show; the time axis
    stops a little above the slowest point, so a steep prediction leaves the plot.
    """
    _check_measurements(measurements)
    predictions = predictions or {}
    ax, own = new_axes(ax, size=(9, 4.2))
    every_n = range(1, max(m.n for m in measurements) + 1)
    strategies = dict.fromkeys(m.strategy for m in measurements)  # in order of appearance
    for label, marker in zip(strategies, itertools.cycle(MARKERS)):
        runs = [m for m in measurements if m.strategy == label]
        points, = ax.plot([m.n for m in runs], [m.seconds for m in runs], marker,
                          markerfacecolor="none", markeredgewidth=1.5,
                          label=f"{label}: measured")
        if label in predictions:
            rule, predict = predictions[label]
            ax.plot(every_n, [predict(n) for n in every_n], "--", color=points.get_color(),
                    label=f"{label}: predicted, {rule}")
    finish_latency_axes(ax, title=title)
    ax.set_ylim(0, 1.15 * max(m.seconds for m in measurements))
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    if own:
        plt.show()


def _check_measurements(measurements):
    if not isinstance(measurements, (list, tuple)) or not measurements:
        raise InvalidParameter(
            "measurements must be a non-empty list of measurements, like "
            f"helpers.sweep(strategy, [1, 2, 4], service); got {measurements!r}.")
