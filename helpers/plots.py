"""The course's plots: latency against request count, and request timelines.

Each function draws on `ax` if given (tests pass one), else on a new figure that
it shows. Axes carry units; the caller gives a title that states the finding.
"""
import matplotlib.pyplot as plt

from .errors import InvalidParameter
from .validate import delay_seconds


def _axes(ax, size=(7, 4)):
    """(ax, True) on a new figure of `size` inches if ax is None, else (ax, False): the
    caller shows only a figure it made. Every plot of the course starts here."""
    if ax is not None:
        return ax, False
    _fig, ax = plt.subplots(figsize=size, layout="constrained")
    return ax, True


def plot_latency(measurements, *, title, delay=None, predictions=None, ax=None):
    """Measured wall time against request count, one line per strategy.

    delay: draw the ideal, one delay whatever N, as a dotted line.
    predictions: {label: function of n -> seconds}, drawn dashed over the same ns.
    """
    if not isinstance(measurements, (list, tuple)) or not measurements:
        raise InvalidParameter(
            "measurements must be a non-empty list of measurements, like "
            f"helpers.sweep(strategy, [1, 2, 4], service); got {measurements!r}.")
    delay = None if delay is None else delay_seconds(delay)
    ax, own = _axes(ax)
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


def finish_latency_axes(ax, *, title, delay=None, show=False):
    """The common dress of every latency-vs-N plot: the one-delay ideal, units, legend."""
    delay = None if delay is None else delay_seconds(delay)
    if delay is not None:
        ax.axhline(delay, color="grey", linestyle=":", label=f"ideal: one delay ({delay:g} s)")
    ax.set_xlabel("requests (N)")
    ax.set_ylabel("wall time (s)")
    ax.set_xlim(left=0)  # N starts at 1: a lone N=1 point still has room around it
    ax.set_ylim(bottom=0, top=1.15 * ax.get_ylim()[1])  # headroom for the top point
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    if show:
        plt.show()


def plot_timeline(records, *, title, ax=None):
    """One bar per request, from when the service received it to when it answered."""
    if not records:  # before making a figure: a refusal leaves no blank one behind
        raise InvalidParameter("No records to draw: run some requests first.")
    ax, own = _axes(ax, size=(7, max(2.5, min(8, 0.25 * len(records) + 1.5))))
    records = sorted(records, key=lambda r: r.arrived)
    t0 = records[0].arrived
    for i, r in enumerate(records):
        ax.barh(i, r.answered - r.arrived, left=r.arrived - t0, height=0.6, color="tab:blue")
    ax.set_xlabel("time since the first request arrived (s)")
    ax.set_ylabel("request, in order of arrival")
    ax.invert_yaxis()
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    if own:
        plt.show()
