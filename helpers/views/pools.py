"""Thread pools, drawn: the predicted staircase under measured times, and a Gantt
chart of which worker ran which request."""

import matplotlib.pyplot as plt
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from ..errors import InvalidParameter
from ..strategies.pools import predicted_seconds, workers_used
from ..validate import seconds, worker_count
from .axes import finish_latency_axes, new_axes

GANTT_COLOURS = "viridis"  # dark for the first requests submitted, light for the last
MOST_NUMBERED_BARS = 40    # past this, numbers on the bars are too small to read
MOST_NAMED_ROWS = 30       # past this, worker names on the axis overlap


def plot_staircase(results, *, delay, title, what="workers", ax=None):
    """Measured pool times against N, over the predicted staircase, one colour per pool size.

    results: {workers: [Measurement, ...]}; `what` names that number in the legend (a cap
    on requests in flight makes the same staircase). The dashed steps are ceil(N / workers)
    delays for every N up to the largest measured; the dots are the measurements.
    """
    delay = seconds(delay, name="delay")
    if not isinstance(results, dict) or not any(results.values()):
        raise InvalidParameter(
            "results must map pool sizes to measurements, like {4: [helpers.measure(...)]}; "
            f"got {results!r}.")
    results = {worker_count(workers): runs for workers, runs in results.items()}
    ax, own = new_axes(ax)
    largest = max(m.n for runs in results.values() for m in runs)
    every_n = list(range(1, largest + 1))
    for colour, (workers, runs) in zip(plt.rcParams["axes.prop_cycle"].by_key()["color"],
                                       sorted(results.items())):
        ax.plot(every_n, [predicted_seconds(n, workers, delay) for n in every_n], "--",
                drawstyle="steps-mid", color=colour, alpha=0.7,
                label=f"{workers} {what}: predicted ceil(N/{workers}) × delay")
        ax.plot([m.n for m in runs], [m.seconds for m in runs], "o", color=colour,
                label=f"{workers} {what}: measured")
    ax.set_xlim(0, largest + max(1, 0.05 * largest))  # room right of the last point
    finish_latency_axes(ax, title=title, delay=delay, show=own)


def plot_gantt(jobs, *, title, delay=None, ax=None):
    """One row per worker thread, one bar per request it ran, coloured by the request's number.

    The colour bar reads the order in which requests were submitted; with few jobs each
    bar also carries its number. delay: a dotted line at every multiple of it, where
    the waves should turn.
    """
    if not jobs:
        raise InvalidParameter(
            "No jobs to draw: run a RecordedPool through helpers.measure() first.")
    delay = None if delay is None else seconds(delay, name="delay")
    workers = workers_used(jobs)
    row = {name: i for i, name in enumerate(workers)}
    ax, own = new_axes(ax, size=(8, max(2.5, min(9, 0.3 * len(workers) + 1.5))))
    order = Normalize(vmin=0, vmax=max(1, len(jobs) - 1))
    colours = plt.get_cmap(GANTT_COLOURS)
    # One collection of bars per worker: a patch per bar is slow for a hundred of them.
    for name in workers:
        mine = [job for job in jobs if job.worker == name]
        ax.broken_barh([(job.started, job.finished - job.started) for job in mine],
                       (row[name] - 0.35, 0.7), edgecolor="white",
                       facecolors=[colours(order(job.request)) for job in mine])
    if len(jobs) <= MOST_NUMBERED_BARS:
        for job in jobs:
            ax.text((job.started + job.finished) / 2, row[job.worker], str(job.request),
                    ha="center", va="center", fontsize=7, in_layout=False,
                    color="white" if order(job.request) < 0.6 else "black")
    ax.figure.colorbar(ScalarMappable(norm=order, cmap=colours), ax=ax,
                       label="request, in the order submitted")
    if delay:
        end = max(job.finished for job in jobs)
        for k in range(1, int(end / delay) + 1):
            ax.axvline(k * delay, color="grey", linestyle=":", linewidth=0.8)
    if len(workers) <= MOST_NAMED_ROWS:
        ax.set_yticks(range(len(workers)), workers,
                      fontsize="small" if len(workers) <= 16 else 6)
        ax.set_ylabel("worker thread")
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(workers)} worker threads, one row each")
    ax.invert_yaxis()
    ax.set_xlabel("time since the requests were submitted (s)")
    ax.set_xlim(left=0)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.2)
    if own:
        plt.show()


