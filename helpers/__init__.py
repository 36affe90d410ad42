"""The plumbing of the course: the downstream service, clients, measuring, plots.

Notebooks build each idea in front of you, then use the tested version from here.
"""
from .clients import call_blocking, call_low_level, check_response
from .errors import (BadResponse, CourseError, IncompleteMeasurement, InvalidParameter,
                     ServiceError, TooManySockets)
from .measure import Measurement, measure, measure_median, strategy_name, sweep
from .service import Service, default_delay, shared_service
from .validate import delay_seconds, request_count, worker_count

__all__ = [
    "BadResponse", "CourseError", "IncompleteMeasurement", "InvalidParameter", "Measurement",
    "Service", "ServiceError", "TooManySockets", "call_blocking", "call_low_level",
    "check_response", "default_delay", "delay_seconds", "measure", "measure_median",
    "request_count", "shared_service", "strategy_name", "sweep", "worker_count",
]
