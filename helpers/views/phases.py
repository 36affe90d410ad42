"""Where the time of one request goes, drawn: its phases on a timeline, their shares
of the whole on a linear scale, and their durations on a log scale.

The numbers come from helpers.clients.phases.time_phases().
"""
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from ..clients.phases import PHASES, median_durations, require_phases, waiting_share
from .axes import new_axes

COLOURS = {"connect": "tab:orange", "send": "tab:green", "wait": "tab:blue",
           "read": "tab:purple", "service": "tab:gray"}


def plot_request_timeline(phases, records=(), *, title, ax=None):
    """One row per request: the client's phases as coloured segments, and under them,
    in grey, when the service held the request (its records, matched by client port)."""
    require_phases(phases)
    ax, own = new_axes(ax, size=(8.5, max(2.5, 0.6 * len(phases) + 1.5)))
    held = {r.client_port: r for r in records}
    t0 = min(p.started for p in phases)
    labelled = set()

    def label(name, text):
        if name in labelled:
            return None
        labelled.add(name)
        return text

    for row, p in enumerate(sorted(phases, key=lambda p: p.started)):
        for name, start, seconds in p.spans():
            ax.barh(row - 0.12, seconds, left=start - t0, height=0.36,
                    color=COLOURS[name], label=label(name, f"client: {name}"))
        record = held.get(p.client_port)
        if record is not None:
            ax.barh(row + 0.24, record.answered - record.arrived, left=record.arrived - t0,
                    height=0.16, color=COLOURS["service"],
                    label=label("service", "service: arrived → answered"))
    ax.set_yticks(range(len(phases)), [f"request {i + 1}" for i in range(len(phases))])
    ax.invert_yaxis()
    ax.set_xlabel("time since the first request started (s)")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    # Beside the plot, not over it: the last request ends at the right edge.
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    if own:
        plt.show()


def format_ms(ms):
    """Milliseconds as a person writes them: 1,002 ms, 12.5 ms, 0.149 ms (never 1e+03)."""
    if ms >= 100:
        return f"{ms:,.0f} ms"
    if ms >= 1:
        return f"{ms:.1f} ms"
    return f"{ms:.3f} ms"


def _tick_ms(value, _position):
    """A log axis tick in plain numbers: 0.1, 1, 1,000 (not 1e+03)."""
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def format_percent(share):
    """A share (0 to 1) as a percentage with enough digits that 99.97 % is not shown as 100 %."""
    digits = 1 if 0.01 <= share <= 0.99 else 2
    return f"{100 * share:.{digits}f} %"


def plot_time_shares(phases, *, title, ax=None):
    """One bar, from 0 to 100 % of the requests' whole time, split by phase on a linear
    scale: how much of the time is waiting, as the eye sees it."""
    require_phases(phases)
    ax, own = new_axes(ax, size=(7, 1.6))
    whole = sum(p.total for p in phases)
    left = 0.0
    for name in PHASES:
        share = sum(p.durations()[name] for p in phases) / whole
        ax.barh(0, 100 * share, left=100 * left, height=0.6, color=COLOURS[name], label=name)
        left += share
    wait = waiting_share(phases)
    ax.text(50, 0, f"wait: {format_percent(wait)} of the time", ha="center", va="center",
            color="white", fontweight="bold")
    # connect and send come before the wait, read after it: each at its own end of the bar.
    before = sum(p.connect + p.send for p in phases) / whole
    after = sum(p.read for p in phases) / whole
    for share, x, text, align in [(before, 0, "connect + send", "left"), (after, 100, "read", "right")]:
        ax.annotate(f"{text}: {format_percent(share)}", (x, -0.3), xytext=(x, -0.75),
                    ha=align, va="top", fontsize="small", arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax.set_xlim(0, 100)
    ax.set_ylim(-1.3, 0.4)
    ax.set_yticks([])
    ax.set_xlabel(f"share of the time of {len(phases)} requests (%, linear scale)")
    ax.set_title(title)
    if own:
        plt.show()


def plot_phase_durations(phases, *, title, ax=None):
    """The median time of each phase, in milliseconds on a log scale, so the
    sub-millisecond steps show up beside the wait."""
    require_phases(phases)
    ax, own = new_axes(ax, size=(7, 2.8))
    medians = median_durations(phases)
    names = list(medians)
    # A phase can measure 0 on a coarse clock; a log axis needs something above 0.
    ms = [max(1000 * medians[name], 1e-4) for name in names]
    ax.barh(names, ms, color=[COLOURS[name] for name in names])
    for row, value in enumerate(ms):
        ax.annotate(format_ms(value), (value, row), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize="small")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_ms))
    ax.set_xlim(right=max(ms) * 20)
    ax.invert_yaxis()
    ax.set_xlabel(f"median time per request (ms, log scale; {len(phases)} requests)")
    ax.set_ylabel("phase")
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    if own:
        plt.show()


def plot_where_the_time_goes(phases, *, title):
    """Both views of the same requests in one figure: the linear share (the wait fills
    the bar) above, the log durations (every step visible) below."""
    require_phases(phases)  # before making the figure: a refusal leaves no blank one behind
    fig, (shares, durations) = plt.subplots(
        2, 1, figsize=(7.5, 4.6), height_ratios=[1, 2], layout="constrained")
    plot_time_shares(phases, title="Linear scale: the wait is nearly the whole bar", ax=shares)
    plot_phase_durations(phases, title="Log scale: the other steps show up, far shorter",
                         ax=durations)
    fig.suptitle(title)
    plt.show()
