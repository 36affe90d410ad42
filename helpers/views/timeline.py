"""When the service held each request: one bar from arrival to answer."""
import matplotlib.pyplot as plt

from ..errors import InvalidParameter
from .axes import new_axes


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
