"""The plumbing of the course: the downstream service, clients, loops, measuring, plots.

Notebooks build each idea in front of you, then use the tested version from here.
This front door holds what every notebook uses; the rest is in the subpackages,
each named by what it is:

    wire        what clients and the service agree on (path, body, request, reply)
    service     the downstream service, in a process of its own
    clients     one request, each way: urllib, http.client, a bare socket, a task
    loops       the course's event loops
    strategies  ways to make N requests, and the registry of them
    measure     timing a strategy, every response checked
    views       plots, timelines and widgets: the only place matplotlib is imported
    exercises   the check functions of the notebooks' exercises
    cpu         CPU-bound jobs (pure Python, hashing) and a process pool (notebook 09)
    notebook    short error messages in a notebook (installed here, in IPython only)
"""
from .clients import call_blocking, call_low_level
from .errors import (BadResponse, CourseError, IncompleteMeasurement, InvalidParameter,
                     MeasurementInterrupted, ServiceError, TooManySockets)
from .lesson import slack
from . import notebook as _notebook
from .measure import Measurement, measure, measure_median, strategy_name, sweep
from .service import Service, default_delay, shared_service
from .validate import delay_seconds, request_count, worker_count
from .wire import BODY, check_response

__all__ = [
    "BODY", "BadResponse", "CourseError", "IncompleteMeasurement", "InvalidParameter",
    "Measurement", "MeasurementInterrupted", "Service", "ServiceError", "TooManySockets",
    "call_blocking", "call_low_level", "check_response", "default_delay", "delay_seconds",
    "measure", "measure_median", "request_count", "shared_service", "slack", "strategy_name",
    "sweep", "worker_count",
]

# Every notebook starts with `import helpers`: from then on, in an IPython kernel, course
# errors and stale-DELAY checks show one short message (see helpers.notebook).
_notebook.install()
