"""Checks for notebook 02, thread pools: the smallest pool that meets a deadline.

The exercise asks for pool_size_for(n, delay, deadline): the fewest workers that
finish n requests of `delay` seconds each within `deadline` seconds. The check
compares it with the answer on cases chosen to catch the usual slips (rounding
the wrong way, forgetting the delay, a pool bigger than needed, trusting floating
point: 0.3 / 0.1 is 2.9999999999999996), then runs the learner's pool size for real
against a private service and times it.
"""
import math
from functools import partial

from ..measure import measure
from ..service import Service
from ..strategies import predicted_seconds, thread_pool, waves
from . import ExerciseFailed, exercise

# (n, delay, deadline): whole waves, part waves, the article's 100 requests, tiny pools.
CASES = [
    (100, 1.0, 3.0),    # the article's three waves
    (100, 1.0, 3.5),    # half a wave more buys nothing
    (100, 1.0, 17.0),   # today's default pool on 2 CPUs
    (10, 0.5, 1.0),     # the delay is not always 1 s
    (10, 0.25, 0.3),    # room for one wave only: one worker per request
    (12, 2.0, 100.0),   # room for 50 waves: one worker is enough
    (1, 1.0, 5.0),
    # Decimal delays: 0.3 / 0.1 and 0.6 / 0.2 are a hair below 3 in floating point.
    (10, 0.1, 0.3),     # 3 waves fit: 4 workers, not the 5 that floor(2.99...) gives
    (12, 0.2, 0.6),
]
# The real run: a quick private service, so the check costs well under a second.
RUN_DELAY, RUN_REQUESTS, RUN_WAVES = 0.1, 12, 2
RUN_SLACK = 0.5  # seconds of overhead allowed on top of the deadline


def whole_waves(delay, deadline):
    """How many waves of `delay` seconds fit in `deadline`, forgiving float rounding.

    deadline / delay can land a hair below a whole number (0.3 / 0.1 is
    2.9999999999999996), and floor() would then drop a wave that fits exactly.
    """
    fit = math.floor(deadline / delay)
    return fit + 1 if math.isclose((fit + 1) * delay, deadline) else fit


def smallest_pool(n, delay, deadline):
    """The answer: as many waves as fit in the deadline, and enough workers to need no more."""
    return math.ceil(n / whole_waves(delay, deadline))


def float_naive_pool(n, delay, deadline):
    """What floor(deadline / delay) gives without a tolerance: one wave short at 0.3 / 0.1."""
    return math.ceil(n / math.floor(deadline / delay))


def _explain(n, delay, deadline, got, want):
    """Say what is wrong with a pool of `got` workers, in waves and seconds."""
    call = f"pool_size_for(n={n}, delay={delay:g}, deadline={deadline:g})"
    if not isinstance(got, int) or isinstance(got, bool) or got < 1:
        return f"{call} returned {got!r}: a pool size is a whole number of workers, at least 1."
    fit = whole_waves(delay, deadline)
    if got == float_naive_pool(n, delay, deadline) and fit != math.floor(deadline / delay):
        return (f"{call} returned {got}, but {want} workers would do: {fit} whole waves fit, "
                f"since {fit} x {delay:g} s = {deadline:g} s. {deadline:g} / {delay:g} is "
                f"{deadline / delay!r} in floating point, and floor() of that is "
                f"{math.floor(deadline / delay)}: round with a small tolerance "
                "(math.isclose), or count in milliseconds.")
    took = predicted_seconds(n, got, delay)
    if took > deadline and not math.isclose(took, deadline):
        return (f"{call} returned {got}: {got} workers need ceil({n}/{got}) = {waves(n, got)} "
                f"waves of {delay:g} s = {took:g} s, past the {deadline:g} s deadline. "
                f"Only {fit} whole waves fit in the deadline.")
    return (f"{call} returned {got}: that meets the deadline, but {want} workers would too "
            f"({waves(n, want)} waves, {predicted_seconds(n, want, delay):g} s). "
            "The exercise asks for the smallest pool: every extra thread costs memory.")


@exercise(hint="Work in waves, each one delay long. First: how many whole waves fit in the "
               "deadline? Then: how few workers get n requests done in that many waves? Round "
               "each answer the way that keeps you within the deadline.",
          solution="02-use-a-thread-pool.py")
def check_pool_size_for(pool_size_for):
    """Compare pool_size_for with the answer on CASES, then run its pool and time it."""
    for n, delay, deadline in CASES:
        want = smallest_pool(n, delay, deadline)
        got = pool_size_for(n, delay, deadline)
        if got != want:
            raise ExerciseFailed(_explain(n, delay, deadline, got, want))

    deadline = RUN_WAVES * RUN_DELAY
    workers = pool_size_for(RUN_REQUESTS, RUN_DELAY, deadline)
    with Service(delay=RUN_DELAY) as service:
        run = measure(partial(thread_pool, workers=workers), RUN_REQUESTS, service)
    if run.seconds > deadline + RUN_SLACK:
        raise ExerciseFailed(
            f"Right on paper, but the real run of {RUN_REQUESTS} requests on {workers} workers "
            f"took {run.seconds:.2f} s against a {deadline:g} s deadline: is this machine very "
            "busy? Try the check again.")
    overhead = run.seconds - deadline
    return (f"right. For example {RUN_REQUESTS} requests of {RUN_DELAY:g} s within {deadline:g} s "
            f"need {workers} workers. Measured: {run.seconds:.3f} s, every response checked, "
            f"at most {run.most_at_once} at the service at once"
            + (f"; the {1000 * overhead:.0f} ms past the deadline is the overhead the waves "
               "model leaves out: leave a margin in practice." if overhead > 0 else "."))
