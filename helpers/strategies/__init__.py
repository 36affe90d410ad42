"""Ways to make N requests, each a strategy for helpers.measure(), and the one registry
of them that the tests and the benchmark read.

Every strategy has the signature strategy(n, service) -> list of n bodies and
cleans up after itself, also when interrupted: no thread or socket outlives it.
It trusts its caller for n: helpers.measure() checks it once, at the edge.
A strategy listed in STRATEGIES is covered by the tests as soon as it is listed.
"""
from dataclasses import dataclass
from typing import Callable

from .floor import floor
from .loops import article_loop, general_loop
from .pools import (Job, RecordedPool, article_era_pool_size, cpus_seen_by_the_pool,
                    default_pool_size, predicted_seconds, thread_pool, waves, workers_used)
from .serial import serial, serial_low_level


@dataclass(frozen=True)
class Strategy:
    """A strategy with what the course predicts for it, for one request count."""
    name: str
    run: Callable[..., list]        # run(n, service) -> the n bodies
    predict: Callable[..., float]   # predict(n, delay) -> seconds, if each request took `delay`
    summary: str                    # one line, for listings


def n_delays(n, delay):
    """One request after another: a delay each."""
    return n * delay


def one_delay(n, delay):
    """Every request at once: one delay, whatever n."""
    return delay


def default_pool_waves(n, delay):
    """ThreadPoolExecutor's default size on this machine: one delay per wave."""
    return predicted_seconds(n, default_pool_size(), delay)


STRATEGIES = {strategy.name: strategy for strategy in [
    Strategy("serial", serial, n_delays, "one request after another with urllib"),
    Strategy("serial_low_level", serial_low_level, n_delays,
             "one request after another with http.client"),
    Strategy("thread_pool", thread_pool, default_pool_waves,
             "urllib on a thread pool of the default size, min(32, CPUs + 4)"),
    # An instance: its .jobs hold the last run's schedule (notebooks make their own).
    Strategy("recorded_pool", RecordedPool(), default_pool_waves,
             "the default thread pool, recording which worker ran each request"),
    Strategy("article_loop", article_loop, one_delay,
             "the article's select() loop: generator tasks on one thread"),
    Strategy("general_loop", general_loop, one_delay,
             "the course's general loop (notebook 06): fetch_tasks gathered on epoll"),
    Strategy("floor", floor, one_delay,
             "the leanest honest client: bare non-blocking sockets on epoll, no tasks"),
]}

__all__ = ["Job", "RecordedPool", "STRATEGIES", "Strategy", "article_era_pool_size",
           "article_loop", "cpus_seen_by_the_pool", "default_pool_size", "floor",
           "general_loop", "predicted_seconds", "serial", "serial_low_level", "thread_pool",
           "waves", "workers_used"]
