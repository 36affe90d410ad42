"""Controls that re-run an experiment with other values.

    rerun(experiment, n=request_slider(10, 1, 200))

shows the sliders and a Run button; each press calls experiment(n=...) and
replaces its output. A bad value or a failed run shows the course's message
instead of a traceback.
"""
import functools

import ipywidgets as widgets

from .errors import CourseError


def request_slider(value, low, high, description="requests (N)"):
    """An integer slider for a request count."""
    return widgets.IntSlider(value=value, min=low, max=high, description=description,
                             continuous_update=False, style={"description_width": "initial"})


def delay_slider(value, low=0.0, high=2.0, description="delay (s)"):
    return widgets.FloatSlider(value=value, min=low, max=high, step=0.05, description=description,
                               continuous_update=False, style={"description_width": "initial"})


def rerun(experiment, **controls):
    """Show controls and a Run button that re-runs experiment(**values); return the widget."""
    @functools.wraps(experiment)
    def guarded(**values):
        try:
            experiment(**values)
        except CourseError as error:
            print(f"Could not run the experiment: {error}")

    panel = widgets.interactive(guarded, {"manual": True, "manual_name": "Run"}, **controls)
    return panel
