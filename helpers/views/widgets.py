"""Controls that re-run an experiment with other values.

    rerun(experiment, n=request_slider(10, 1, 200))

shows the sliders and a Run button; each press calls experiment(n=...) and
replaces its output. A bad value or a failed run shows the course's message
instead of a traceback, and so does a run stopped with the kernel's interrupt button.

Besides the sliders: request_counts_input (a list of request counts, typed as tags)
and strategy_picker (several strategies of the registry), for notebook 10's explorer.
"""
import functools

import ipywidgets as widgets

from ..errors import CourseError, InvalidParameter, MeasurementInterrupted
from ..strategies import STRATEGIES, chosen_strategies
from ..validate import MAX_REQUESTS, delay_seconds, request_count, request_counts


def request_slider(value, low, high, description="requests (N)"):
    """An integer slider for a request count from low to high (whole numbers from 1)."""
    low, value, high = _in_order(request_count(low, name="low"),
                                 request_count(value, name="value"),
                                 request_count(high, name="high"))
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False, style={"description_width": "initial"})


def delay_slider(value, low=0.0, high=2.0, description="delay (s)"):
    """A slider for a delay in seconds from low to high, delays the service can serve."""
    low, value, high = _in_order(delay_seconds(low, name="low"),
                                 delay_seconds(value, name="value"),
                                 delay_seconds(high, name="high"))
    return widgets.FloatSlider(value=value, min=low, max=high, step=0.05, description=description,
                               continuous_update=False, style={"description_width": "initial"})


def request_counts_input(ns, description="request counts (N)"):
    """A box of request counts, one tag each (type a number and press Enter; x removes
    one): its value is the list, sorted, each from 1 to MAX_REQUESTS."""
    ns = sorted(set(request_counts(ns, name="ns")))
    return widgets.IntsInput(value=ns, min=1, max=MAX_REQUESTS, allow_duplicates=False,
                             description=description, style={"description_width": "initial"},
                             layout=widgets.Layout(width="auto"))


def strategy_picker(strategies, choices=None, description="strategies"):
    """A list of strategies to tick several of (Ctrl- or Shift-click): `strategies` chosen
    at first, out of `choices` (default: those the benchmark runs, and the pool of a chosen
    size, that can run here; not the variants kept for one notebook's lesson)."""
    chosen = chosen_strategies(strategies)
    if choices is None:
        choices = [name for name, strategy in STRATEGIES.items()
                   if (strategy.benchmark or strategy.sized) and strategy.missing() is None]
    choices = chosen_strategies(choices)
    missing = [name for name in chosen if name not in choices]
    if missing:
        raise InvalidParameter(f"strategies {', '.join(map(repr, missing))} are not among the "
                               f"choices: add them to choices, or pick from {', '.join(choices)}.")
    return widgets.SelectMultiple(options=choices, value=tuple(chosen), rows=len(choices),
                                  description=description,
                                  style={"description_width": "initial"})


def _in_order(low, value, high):
    """Refuse low > high; stretch the range to hold value (ipywidgets would clamp it)."""
    if low > high:
        raise InvalidParameter(f"a slider needs low <= high; got low={low}, high={high}.")
    return min(low, value), value, max(high, value)


def rerun(experiment, **controls):
    """Show controls and a Run button that re-runs experiment(**values); return the widget."""
    if not callable(experiment):
        raise InvalidParameter(
            f"rerun() needs the experiment as a function to call; got {experiment!r} "
            f"({type(experiment).__name__}).")

    @functools.wraps(experiment)
    def guarded(**values):
        try:
            experiment(**values)
        except CourseError as error:
            print(f"Could not run the experiment: {error}")
        except MeasurementInterrupted as stopped:  # the kernel's interrupt button: on purpose
            print(stopped)

    panel = widgets.interactive(guarded, {"manual": True, "manual_name": "Run"}, **controls)
    return panel
