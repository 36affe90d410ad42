"""Checks for the knobs a learner turns: request counts, delays, pool sizes, timeouts,
and the (host, port) addresses that are easy to confuse with URLs.

Every check raises InvalidParameter with a message that says what is allowed,
so a typo in a parameters cell never turns into a traceback from deep inside.
"""
import math
import numbers
from collections.abc import Iterable

from .errors import InvalidParameter

# Past this, a run takes hours or exhausts the machine: no lesson needs it.
MAX_REQUESTS = 100_000
# The service sleeps at most this long per request; longer looks like a hang.
MAX_DELAY = 60.0
# A client waits at most this long for an answer; None (wait forever) could hang a kernel.
MAX_TIMEOUT = 600.0


def describe(value):
    """A value and its type, for messages: 10 and '10' look alike otherwise."""
    return f"{value!r} ({type(value).__name__})"


def _as_float(number):
    """float(number), or infinity for an int too big for a float (10**400): it is refused
    as too long, not with an OverflowError."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def request_count(n, *, name="n", maximum=MAX_REQUESTS, unit="request"):
    """Return n as an int if it is a whole number of requests (or `unit`s) in 1..maximum."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if not isinstance(n, bool) and isinstance(n, numbers.Real) and float(n).is_integer():
            return request_count(int(n), name=name, maximum=maximum, unit=unit)
        raise InvalidParameter(
            f"{name} must be a whole number of {unit}s, like 10; got {describe(n)}."
        )
    n = int(n)
    if n < 1:
        raise InvalidParameter(f"{name} must be at least 1 {unit}; got {n}.")
    if n > maximum:
        raise InvalidParameter(
            f"{name}={n:,} is more than this experiment allows ({maximum:,}). "
            f"Use a smaller {name}."
        )
    return n


def worker_count(workers, *, name="workers"):
    """A thread-pool size: a whole number from 1 to 10,000."""
    return request_count(workers, name=name, maximum=10_000, unit="worker")


def request_counts(ns, *, name="ns"):
    """Return ns as a list of request counts: a non-empty list like [1, 2, 4, 8]."""
    if isinstance(ns, (str, bytes)) or not isinstance(ns, Iterable):
        raise InvalidParameter(
            f"{name} must be a list of request counts, like [1, 2, 4, 8]; got {describe(ns)}.")
    counts = [request_count(n, name=f"{name}[{i}]") for i, n in enumerate(ns)]
    if not counts:
        raise InvalidParameter(f"{name} must hold at least one request count, like [1, 2, 4, 8].")
    return counts


def seconds(value, *, name="seconds"):
    """Return value as a float: a finite number of seconds, 0 or more.

    No upper bound: a timer may wait an hour and a prediction may run to days. Only
    what the service is asked to wait has a limit (delay_seconds).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidParameter(
            f"{name} must be a number of seconds, like 1 or 0.25; got {describe(value)}.")
    value = _as_float(value)
    if math.isnan(value) or value < 0:
        raise InvalidParameter(f"{name} must be 0 seconds or more; got {value}.")
    if math.isinf(value):
        raise InvalidParameter(f"{name} must be a finite number of seconds; got {value}.")
    return value


def delay_seconds(delay, *, name="delay"):
    """Return delay as a float if the service can serve it: 0 to MAX_DELAY seconds.

    Text is accepted too (the service reads `?delay=0.5` from a URL).
    """
    if isinstance(delay, str):
        try:
            delay = float(delay)
        except ValueError:
            raise InvalidParameter(
                f"{name} must be a number of seconds, like 1 or 0.25; got {delay!r}."
            ) from None
    if isinstance(delay, numbers.Real) and not isinstance(delay, bool) \
            and _as_float(delay) > MAX_DELAY:  # also infinity
        raise InvalidParameter(
            f"{name}={_as_float(delay)} s is longer than the service serves ({MAX_DELAY:g} s "
            "at most): use a shorter delay.")
    return seconds(delay, name=name)


def timeout_seconds(timeout, *, name="timeout"):
    """Return timeout as a float: more than 0 and at most MAX_TIMEOUT seconds.

    None, which sockets read as "wait forever", is refused: it could hang a kernel.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise InvalidParameter(
            f"{name} must be a number of seconds, like 30; got {describe(timeout)}.")
    timeout = _as_float(timeout)
    if not 0 < timeout <= MAX_TIMEOUT:  # also refuses NaN
        raise InvalidParameter(
            f"{name} must be more than 0 and at most {MAX_TIMEOUT:g} seconds; got {timeout}.")
    return timeout


def delay_list(delays, *, name="delays", count=None):
    """Return delays as a list of floats, each a delay the service can serve (see
    delay_seconds): a non-empty list like [1.0, 0.25], with `count` of them if given."""
    if isinstance(delays, (str, bytes)) or not isinstance(delays, Iterable):
        raise InvalidParameter(
            f"{name} must be a list of delays in seconds, like [1.0, 0.25]; "
            f"got {describe(delays)}.")
    delays = [delay_seconds(d, name=f"{name}[{i}]") for i, d in enumerate(delays)]
    if not delays:
        raise InvalidParameter(f"{name} must hold at least one delay, like [1.0, 0.25].")
    if count is not None and len(delays) != count:
        raise InvalidParameter(
            f"{name} must hold one delay per task: {count}, in the order of the tasks; "
            f"got {len(delays)}.")
    return delays


def address(value, *, name="address"):
    """Return value as a (host, port) tuple, like service.address.

    A URL is the usual mistake: it goes to call_blocking(url), not here.
    """
    if isinstance(value, str):
        raise InvalidParameter(
            f"{name} must be (host, port), like service.address; got the text {value!r}. "
            "For a URL such as service.url, use helpers.call_blocking(url).")
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InvalidParameter(
            f"{name} must be (host, port), like service.address; got {describe(value)}.")
    host, port = value
    if not isinstance(host, str) or not host:
        raise InvalidParameter(
            f"{name}'s host must be a name or IP address, like '127.0.0.1'; "
            f"got {describe(host)}.")
    if isinstance(port, bool) or not isinstance(port, numbers.Integral) or not 1 <= port <= 65535:
        raise InvalidParameter(
            f"{name}'s port must be a whole number from 1 to 65535, like service.port; "
            f"got {describe(port)}.")
    return host, int(port)
