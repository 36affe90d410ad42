"""When the service held each request: one bar from arrival to answer.

plot_timeline draws one run; plot_timelines stacks several runs of the same requests,
one colour each, every run counted from its own first arrival, so that a staircase
and a block of requests held all at once can be read on one clock.
"""
import matplotlib.pyplot as plt

from ..errors import InvalidParameter
from ..validate import seconds
from .axes import new_axes

MOST_NAMED_ROWS = 30  # past this, "run, request i" labels on the axis overlap


def plot_timeline(records, *, title, ax=None):
    """One bar per request, from when the service received it to when it answered."""
    if not records:  # before making a figure: a refusal leaves no blank one behind
        raise InvalidParameter("No records to draw: run some requests first.")
    ax, own = new_axes(ax, size=(7, max(2.5, min(8, 0.25 * len(records) + 1.5))))
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


def plot_timelines(results, *, title, delay=None, ax=None):
    """Several runs on one clock: {run label: the service's records of that run}.

    One row per request, one colour per run, the runs one under the other in the
    order given, each from its own first arrival. delay: a dotted line at one delay.
    """
    delay = None if delay is None else seconds(delay, name="delay")
    if not isinstance(results, dict) or not results or not all(results.values()):
        raise InvalidParameter(
            "results must map a label to the service's records of each run, like "
            f"{{'together': service.stats().records}}, none empty; got {results!r}.")
    rows = sum(len(records) for records in results.values())
    ax, own = new_axes(ax, size=(7, max(2.5, min(6, 0.3 * rows + 1.8))))
    names, colours = [], plt.rcParams["axes.prop_cycle"].by_key()["color"]
    height = 0.6 if rows <= MOST_NAMED_ROWS else 1.0  # many thin rows: solid, no moiré
    for (label, records), colour in zip(results.items(), colours * len(results)):
        records = sorted(records, key=lambda r: r.arrived)
        t0 = records[0].arrived
        rows_of_run = range(len(names), len(names) + len(records))
        ax.barh(rows_of_run, [r.answered - r.arrived for r in records],
                left=[r.arrived - t0 for r in records], height=height, color=colour,
                label=label)
        names += [f"{label}, request {i}" for i in range(1, len(records) + 1)]
    if delay is not None:
        ax.axvline(delay, color="grey", linestyle=":", label=f"one delay ({delay:g} s)")
    if rows <= MOST_NAMED_ROWS:
        ax.set_yticks(range(rows), names)
    else:
        ax.set_ylabel("request, in order of arrival, run by run")
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("time since each run's first request arrived (s)")
    ax.set_title(title, fontsize="medium")
    ax.grid(axis="x", alpha=0.3)
    if own:  # below the plot, where it takes no width from the bars
        ax.figure.legend(loc="outside lower center", ncols=3, fontsize="small")
        plt.show()
    else:
        ax.legend(fontsize="small")


def plot_waits(durations, *, title, marks=None, ax=None):
    """One bar per connection (or request), from 0 to how long it waited, shortest first.

    durations: seconds, one per connection. marks: {label: seconds}, each drawn as a dotted
    line (when a listener started accepting, when a dropped SYN is sent again).
    """
    if not durations:
        raise InvalidParameter("No durations to draw: run some connections first.")
    waits = sorted(seconds(wait, name="durations") for wait in durations)
    ax, own = new_axes(ax, size=(7, max(2.5, min(6, 0.2 * len(waits) + 1.5))))
    ax.barh(range(len(waits)), waits, height=0.7, color="tab:blue")
    styles = [":", "--", "-."]
    for (label, at), style in zip((marks or {}).items(), styles * len(marks or {})):
        ax.axvline(seconds(at, name="marks"), color="grey", linestyle=style, label=label)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel("time until accepted (s)")
    ax.set_ylabel("connection, shortest wait first")
    ax.set_title(title, fontsize="medium")
    ax.grid(axis="x", alpha=0.3)
    if marks:
        ax.legend(fontsize="small", loc="upper right")  # shortest first: the top right is free
    if own:
        plt.show()
