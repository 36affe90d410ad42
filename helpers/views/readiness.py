"""When select() reported each socket readable, against the delay its request asked for.

Notebook 03's picture: one row per socket in the order the requests were sent, a bar
for the asked delay and a dot where select() said "readable". If the dots sit on the
bars' ends, every socket was reported as soon as its reply came, whatever the others did.
"""
import matplotlib.pyplot as plt

from ..errors import InvalidParameter
from .axes import new_axes

MOST_RANKED = 20  # past this, the "#k" labels by the dots crowd each other


def plot_readiness(records, *, title, ax=None):
    """Asked delay (bar) and moment select() reported readable (dot), per socket.

    records: one per socket, in the order they became readable, each with
    .socket_number (its place in the sending order), .delay (asked) and .seconds
    (since the first request was sent). Two lines predict the end: the longest delay
    (all at once) and the sum of the delays (one after another).
    """
    if not records:
        raise InvalidParameter("No readiness records to draw: watch some sockets first.")
    ax, own = new_axes(ax, size=(9, max(2.5, min(9, 0.35 * len(records) + 1.8))))
    by_socket = sorted(records, key=lambda r: r.socket_number)
    rows = range(len(by_socket))
    ax.barh(rows, [r.delay for r in by_socket], height=0.5, color="tab:blue", alpha=0.35,
            label="delay the request asked for")
    ax.plot([r.seconds for r in by_socket], rows, "o", color="tab:blue",
            label="select() reported it readable\n(#k: the k-th to be reported)")
    if len(records) <= MOST_RANKED:
        for rank, r in enumerate(records, start=1):
            ax.annotate(f"#{rank}", (r.seconds, by_socket.index(r)), xytext=(6, 0),
                        textcoords="offset points", va="center", fontsize="small")
    longest, total = max(r.delay for r in by_socket), sum(r.delay for r in by_socket)
    right = max(min(total, 3 * longest), max(r.seconds for r in by_socket)) * 1.05 or 1.0
    ax.axvline(longest, color="grey", linestyle=":", label="longest delay: all at once")
    if total <= right:
        ax.axvline(total, color="tab:red", linestyle="--", label="sum of delays: one after another")
    else:  # too far right to draw: say where it would be
        ax.annotate(f"sum of delays, one after another: {total:.1f} s →", xy=(0.99, 0.01),
                    xycoords="axes fraction", ha="right", va="bottom", color="tab:red")
    ax.set_yticks(list(rows), [f"socket {r.socket_number} ({r.delay:.2f} s)" for r in by_socket])
    ax.invert_yaxis()
    ax.set_xlabel("time since the first request was sent (s)")
    ax.set_ylabel("socket, in the order sent (asked delay)")
    ax.set_xlim(0, right)
    ax.set_title(title)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(axis="x", alpha=0.3)
    if own:
        plt.show()
