"""Ways to make N requests, each a strategy for helpers.measure(), and the one registry
of them that the tests and the benchmark read.

Every strategy has the signature strategy(n, service) -> list of n bodies and
cleans up after itself, also when interrupted: no thread or socket outlives it.
It trusts its caller for n: helpers.measure() checks it once, at the edge.
A *sized* strategy also takes a pool size, run(n, service, workers=W) and
predict(n, delay, workers=W): the benchmark passes the one its caller chose
(helpers.bench.race(..., workers=W), --workers W), checked there.
A strategy listed in STRATEGIES is covered by the tests as soon as it is listed, and
run by `python3 course.py bench` (helpers.bench) unless it says benchmark=False.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from ..errors import InvalidParameter
from ..limits import FD_SETSIZE
from ..validate import describe
from .asyncio_streams import asyncio_streams, fetch as asyncio_fetch
from .floor import floor
from .loops import article_loop, general_loop
from .pools import (Job, RecordedPool, article_era_pool_size, cpus_seen_by_the_pool,
                    default_pool_size, predicted_seconds, thread_pool, thread_pool_n,
                    thread_pool_workers, waves, workers_used)
from .serial import serial, serial_low_level
from .uvloop_streams import missing_uvloop, uvloop_streams


def nothing_missing():
    return None


@dataclass(frozen=True)
class Strategy:
    """A strategy with what the course predicts for it, for one request count."""
    name: str
    run: Callable[..., list]        # run(n, service) -> the n bodies
    predict: Callable[..., float]   # predict(n, delay) -> seconds, if each request took `delay`
    summary: str                    # one line, for listings
    most_requests: Optional[int] = None  # past this it fails, for the reason below
    why_no_more: str = ""
    missing: Callable[[], Optional[str]] = nothing_missing  # why it cannot run here, or None
    benchmark: bool = True          # run by the benchmark unless named (variants say False)
    sized: bool = False             # run and predict take workers=W, a pool size

    def sized_by(self, workers):
        """The keyword arguments that give this strategy a pool of `workers` threads: none
        unless it is sized and a size was chosen (then its own default applies)."""
        return {"workers": workers} if self.sized and workers is not None else {}

    def label(self, workers=None):
        """Its name, with the pool size where one was chosen: thread_pool_workers(10)."""
        return f"{self.name}({workers})" if self.sized_by(workers) else self.name

    def cannot_take(self, n):
        """Why this strategy cannot make n requests on this machine, or None if it can."""
        missing = self.missing()
        if missing is not None:
            return missing
        if self.most_requests is not None and n > self.most_requests:
            return f"at most {self.most_requests:,} requests: {self.why_no_more}"
        return None


def n_delays(n, delay):
    """One request after another: a delay each."""
    return n * delay


def one_delay(n, delay):
    """Every request at once: one delay, whatever n."""
    return delay


def default_pool_waves(n, delay):
    """ThreadPoolExecutor's default size on this machine: one delay per wave."""
    return predicted_seconds(n, default_pool_size(), delay)


def chosen_pool_waves(n, delay, workers=None):
    """A pool of `workers` threads (the default size if None): one delay per wave."""
    return predicted_seconds(n, default_pool_size() if workers is None else workers, delay)


# helpers.validate.worker_count's maximum: a pool of N threads takes N up to this.
MOST_WORKERS = 10_000
# A fresh process holds a few descriptors (0-2, the loop's own): room for 1,000 sockets.
SELECT_ROOM = FD_SETSIZE - 24

STRATEGIES = {strategy.name: strategy for strategy in [
    Strategy("serial", serial, n_delays, "one request after another with urllib"),
    Strategy("serial_low_level", serial_low_level, n_delays,
             "one request after another with http.client", benchmark=False),
    Strategy("thread_pool", thread_pool, default_pool_waves,
             "urllib on a thread pool of the default size, min(32, CPUs + 4)"),
    Strategy("thread_pool_n", thread_pool_n, one_delay,
             "urllib on a thread pool of N workers: a thread per request",
             most_requests=MOST_WORKERS, why_no_more="a pool has at most that many workers"),
    Strategy("thread_pool_workers", thread_pool_workers, chosen_pool_waves,
             "urllib on a thread pool of the size chosen with --workers (or race's workers=)",
             sized=True, benchmark=False),
    # An instance: its .jobs hold the last run's schedule (notebooks make their own).
    Strategy("recorded_pool", RecordedPool(), default_pool_waves,
             "the default thread pool, recording which worker ran each request",
             benchmark=False),
    Strategy("article_loop", article_loop, one_delay,
             "the article's select() loop: generator tasks on one thread",
             most_requests=SELECT_ROOM,
             why_no_more=f"select() watches only descriptors below {FD_SETSIZE} "
                         "(FD_SETSIZE)"),
    Strategy("general_loop", general_loop, one_delay,
             "the course's general loop (notebook 06): fetch_tasks gathered on epoll"),
    Strategy("floor", floor, one_delay,
             "the leanest honest client: bare non-blocking sockets on epoll, no tasks"),
    Strategy("asyncio_streams", asyncio_streams, one_delay,
             "asyncio.open_connection per request, all at once, on asyncio's own loop"),
    Strategy("uvloop_streams", uvloop_streams, one_delay,
             "the same coroutines as asyncio_streams, on uvloop (libuv's loop, in C)",
             missing=missing_uvloop),
]}



def chosen_strategies(strategies):
    """The names given, each once, in order, every one in STRATEGIES; else InvalidParameter
    saying which are unknown and what to choose from (race and the explorer's picker)."""
    choose = f"choose from {', '.join(STRATEGIES)}."
    if isinstance(strategies, str) or not isinstance(strategies, (list, tuple)):
        raise InvalidParameter(f"strategies must be a list of names, like ['serial', "
                               f"'general_loop']; got {describe(strategies)}. {choose}")
    unknown = [name for name in strategies if not isinstance(name, str) or name not in STRATEGIES]
    if unknown or not strategies:
        what = f"unknown {', '.join(map(repr, unknown))}" if unknown else "none named"
        raise InvalidParameter(f"strategies: {what}; {choose}")
    return list(dict.fromkeys(strategies))


__all__ = ["Job", "RecordedPool", "STRATEGIES", "Strategy", "article_era_pool_size",
           "article_loop", "asyncio_fetch", "asyncio_streams", "chosen_strategies",
           "cpus_seen_by_the_pool", "default_pool_size", "floor", "general_loop",
           "missing_uvloop", "predicted_seconds", "serial", "serial_low_level", "thread_pool",
           "thread_pool_n", "thread_pool_workers", "uvloop_streams", "waves", "workers_used"]
