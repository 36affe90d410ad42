"""Where every plot of the course starts and how latency plots are dressed.

Each plotting function draws on `ax` if given (tests pass one), else on a new figure
that it shows. Axes carry units; the caller gives a title that states the finding.
"""
import matplotlib.pyplot as plt

from ..validate import seconds


def new_axes(ax, size=(7, 4)):
    """(ax, True) on a new figure of `size` inches if ax is None, else (ax, False): the
    caller shows only a figure it made."""
    if ax is not None:
        return ax, False
    _fig, ax = plt.subplots(figsize=size, layout="constrained")
    return ax, True


def finish_latency_axes(ax, *, title, delay=None, show=False):
    """The common dress of every latency-vs-N plot: the one-delay ideal, units, legend."""
    delay = None if delay is None else seconds(delay, name="delay")
    if delay is not None:
        # A wide pale band under the data: a prediction of one delay (a pool as big as
        # N) lies on it and still shows.
        ax.axhline(delay, color="grey", linewidth=5, alpha=0.3, zorder=1,
                   label=f"ideal: one delay ({delay:g} s)")
    ax.set_xlabel("requests (N)")
    ax.set_ylabel("wall time (s)")
    ax.set_xlim(left=0)  # N starts at 1: a lone N=1 point still has room around it
    ax.set_ylim(bottom=0, top=1.15 * ax.get_ylim()[1])  # headroom for the top point
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    if show:
        plt.show()
