"""Run a strategy for N requests, check every response, and time it.

A strategy is a function `strategy(n, service)` that makes n requests to the
service and returns the n response bodies. measure() refuses to report a time
unless every one of them is the service's resource: a lost or wrong response is
an error, never a smaller number.
"""
import functools
import os
import stat
import threading
import time
import traceback
from dataclasses import dataclass

from .errors import (CourseError, IncompleteMeasurement, InvalidParameter,
                     MeasurementInterrupted, ServiceError)
from .service import shared_service
from .validate import request_count, request_counts
from .wire import check_response

__all__ = ["Measurement", "measure", "measure_median", "strategy_name", "sweep"]


@dataclass(frozen=True)
class Measurement:
    """One complete, checked run of a strategy."""
    strategy: str
    n: int
    seconds: float      # wall time, start of the first request to the last response
    delay: float        # the service's delay per request during the run
    most_at_once: int   # most requests the service held at the same moment

    @property
    def delays(self):
        """The wall time in units of the delay: 1.0 means 'as fast as one request'."""
        return self.seconds / self.delay if self.delay else float("nan")

    def __str__(self):
        return (f"{self.strategy}: {self.n} request{'' if self.n == 1 else 's'} in {self.seconds:.3f} s "
                f"({self.delays:.2f} delays), at most {self.most_at_once} at once")


def strategy_name(strategy):
    """A readable label: the function's name, with the arguments of a partial."""
    if isinstance(strategy, functools.partial):
        args = ", ".join(f"{k}={v!r}" for k, v in strategy.keywords.items())
        return f"{strategy_name(strategy.func)}({args})"
    return getattr(strategy, "__name__", repr(strategy))


def check_responses(responses, n, label):
    """Raise IncompleteMeasurement unless responses are n good bodies."""
    if responses is None:
        raise IncompleteMeasurement(
            f"{label} returned None: a strategy must return the list of response bodies.")
    responses = list(responses)
    if len(responses) != n:
        raise IncompleteMeasurement(
            f"{label} returned {len(responses)} responses for {n} requests: "
            "some were lost, so its time is not reported.")
    for i, body in enumerate(responses):
        try:
            check_response(200, body)
        except CourseError as error:
            raise IncompleteMeasurement(f"{label}, response {i}: {error}") from None


def measure(strategy, n, service=None, *, label=None):
    """Run strategy(n, service) once; return a Measurement of the checked result."""
    strategy, service, label = _checked(strategy, service, label)
    return _measure(strategy, request_count(n), service, label)


def _checked(strategy, service, label):
    """The arguments every measuring function shares, checked once; the service started."""
    check_strategy(strategy)
    service = shared_service() if service is None else check_service(service)
    return strategy, service, label or strategy_name(strategy)


def _measure(strategy, n, service, label):
    service.reset()
    held_before = _held()
    start = time.perf_counter()
    try:
        responses = strategy(n, service)
    except CourseError as error:
        stopped = stopped_during_the_run(service, error)
        if stopped is None:
            raise
        raise stopped from None
    except KeyboardInterrupt as interrupt:
        # Ctrl-C can land inside the standard library, say in socket.create_connection()
        # after the socket exists: it is closed there only on OSError. The traceback that
        # a notebook keeps would hold it open; clearing the frames' variables frees it now.
        traceback.clear_frames(interrupt.__traceback__)
        raise interrupted(label, n, held_before) from interrupt
    seconds = time.perf_counter() - start
    check_responses(responses, n, label)
    stats = service.stats()
    return Measurement(label, n, seconds, service.delay, stats.most_at_once)


def _held():
    """The threads alive and the sockets open in this process (None if unknown).

    Sockets only: in a kernel other threads open files of their own at any moment
    (IPython's history database, for one), and they are not the strategy's.
    """
    for folder in ("/proc/self/fd", "/dev/fd"):  # Linux, macOS
        if os.path.isdir(folder):
            return set(threading.enumerate()), {fd for fd in os.listdir(folder) if _is_socket(fd)}
    return set(threading.enumerate()), None


def _is_socket(fd):
    try:
        return stat.S_ISSOCK(os.fstat(int(fd)).st_mode)
    except OSError:  # closed since it was listed
        return False


def interrupted(label, n, held_before):
    """The MeasurementInterrupted to raise: what stopped, what is still open, what to do.

    The course's strategies close their sockets and join their threads before an
    interrupt leaves them (tests/test_interrupts.py); a learner's strategy may not, so
    what is claimed here is counted, not assumed.
    """
    (threads_before, sockets_before), (threads_now, sockets_now) = held_before, _held()
    left = []
    threads = len(threads_now - threads_before)
    if threads:
        left.append(f"{_plural(threads, 'thread')} it started still running")
    counted = sockets_before is not None and sockets_now is not None
    sockets = len(sockets_now - sockets_before) if counted else 0
    if sockets:
        left.append(f"{_plural(sockets, 'socket')} it opened still open")
    what = f"Interrupted: the measurement of {label} with N={n} stopped"
    again = "Run the cell again, with a smaller N if it was slow."
    if left:
        return MeasurementInterrupted(
            f"{what}, but with {' and '.join(left)}: restart the kernel (Kernel ▸ Restart "
            f"Kernel) if they stay. {again}")
    closed = "its sockets and threads are closed" if counted else "its threads have ended"
    return MeasurementInterrupted(f"{what}; {closed}. {again}")


def _plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def check_strategy(strategy):
    if not callable(strategy):
        raise InvalidParameter(
            "strategy must be a function strategy(n, service) that returns the n response "
            f"bodies, such as helpers.strategies.serial; got {strategy!r} "
            f"({type(strategy).__name__}).")


def check_service(service):
    if not all(hasattr(service, name) for name in ("reset", "stats", "delay")):
        raise InvalidParameter(
            "service must be a running helpers.Service, such as helpers.shared_service(); "
            f"got {service!r} ({type(service).__name__}).")
    return service


def stopped_during_the_run(service, error):
    """A ServiceError if the service died while the strategy ran (else None).

    The client only sees a cut or refused connection; the service's own state says why.
    """
    try:
        service.stats()
        return None
    except ServiceError as why:
        return ServiceError(
            f"The downstream service stopped during the experiment, so no time is reported. "
            f"{why}\nThe client saw: {error}")


def measure_median(strategy, n, service=None, *, repeats=3, label=None):
    """Run `repeats` times; return the run with the median time (shared machines are noisy)."""
    n = request_count(n)
    repeats = request_count(repeats, name="repeats", maximum=100, unit="run")
    strategy, service, label = _checked(strategy, service, label)
    runs = sorted((_measure(strategy, n, service, label) for _ in range(repeats)),
                  key=lambda m: m.seconds)
    return runs[len(runs) // 2]


def sweep(strategy, ns, service=None, *, label=None):
    """Measure strategy at each request count in ns; return the Measurements in order."""
    ns = request_counts(ns)
    strategy, service, label = _checked(strategy, service, label)
    return [_measure(strategy, n, service, label) for n in ns]
