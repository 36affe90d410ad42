"""Controls that re-run an experiment with other values.

    rerun(experiment, n=request_slider(10, 1, 200))

shows the sliders and a Run button; each press calls experiment(n=...) and
replaces its output. A bad value or a failed run shows the course's message
instead of a traceback.
"""
import functools

import ipywidgets as widgets

from ..errors import CourseError, InvalidParameter
from ..validate import delay_seconds, request_count


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

    panel = widgets.interactive(guarded, {"manual": True, "manual_name": "Run"}, **controls)
    return panel
