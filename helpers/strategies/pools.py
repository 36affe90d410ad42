"""Thread pools: how many workers Python gives you, the waves they make, and the
strategies that run N requests on them.

A pool of `workers` threads runs at most `workers` requests at a time. When every
request takes one delay, N requests go out in ceil(N / workers) *waves*, and the
pool needs about that many delays. RecordedPool also keeps which worker ran each
request and when, for a Gantt chart (helpers.views.plot_gantt).
"""
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..clients import call_blocking
from ..validate import request_count, seconds, worker_count

# ThreadPoolExecutor's default size, as CPUs -> workers, in the Pythons that had it.
# (Before 3.5 there was no default: max_workers was required.)
ARTICLE_ERA_WORKERS_PER_CPU = 5     # Python 3.5 to 3.7: os.cpu_count() * 5
TODAY_EXTRA_WORKERS, TODAY_MOST_WORKERS = 4, 32  # 3.8 and later: min(32, CPUs + 4)


# -- predicting -----------------------------------------------------------------------
def waves(n, workers):
    """How many rounds a pool of `workers` threads needs for n equally slow requests."""
    return math.ceil(request_count(n) / worker_count(workers))


def predicted_seconds(n, workers, delay):
    """The pool's wall time if each request takes exactly `delay`: one delay per wave."""
    return waves(n, workers) * seconds(delay, name="delay")


def cpus_seen_by_the_pool():
    """The CPU count ThreadPoolExecutor sizes itself by on this Python.

    Python 3.13 switched from os.cpu_count() to os.process_cpu_count(), which
    counts only the CPUs this process may use (they differ in a restricted container).
    """
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def default_pool_size(cpus=None):
    """ThreadPoolExecutor()'s size on Python 3.8 and later: min(32, CPUs + 4)."""
    cpus = cpus_seen_by_the_pool() if cpus is None else _cpus(cpus)
    return min(TODAY_MOST_WORKERS, cpus + TODAY_EXTRA_WORKERS)


def article_era_pool_size(cpus):
    """ThreadPoolExecutor()'s size on Python 3.5 to 3.7, when the article was written."""
    return _cpus(cpus) * ARTICLE_ERA_WORKERS_PER_CPU


def _cpus(cpus):
    return request_count(cpus, name="cpus", unit="CPU")


# -- strategies ---------------------------------------------------------------------
def thread_pool(n, service, workers=None):
    """n requests on a pool of `workers` threads: ceil(n / workers) waves of one delay."""
    workers = default_pool_size() if workers is None else worker_count(workers)
    url = service.url
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="course-pool")
    try:
        futures = [pool.submit(call_blocking, url) for _ in range(n)]
        return [future.result() for future in futures]
    finally:
        # On an interrupt: drop the queued requests, let the running ones finish.
        pool.shutdown(wait=True, cancel_futures=True)


def thread_pool_workers(n, service, workers=None):
    """n requests on a pool of the size the caller chose (the benchmark's --workers):
    thread_pool under the name the benchmark's rows give it."""
    return thread_pool(n, service, workers=workers)


def thread_pool_n(n, service):
    """n requests on a pool of n threads: one delay, if the machine can start n threads."""
    return thread_pool(n, service, workers=n)


@dataclass(frozen=True)
class Job:
    """One request as the pool ran it (times in seconds since the pool started)."""
    request: int     # its place in the order of submission, from 0
    worker: str      # the name of the thread that ran it
    started: float
    finished: float


class RecordedPool:
    """A thread-pool strategy that also keeps, in .jobs, which worker ran each request and when.

        pool = RecordedPool(workers=4)
        helpers.measure(pool, 10, service)   # checks every response, as for any strategy
        plot_gantt(pool.jobs, title=...)

    Like helpers.strategies.thread_pool, it leaves no thread behind, also on Ctrl-C.
    """

    def __init__(self, workers=None):
        self.workers = default_pool_size() if workers is None else worker_count(workers)
        self.jobs = []
        self.__name__ = f"thread_pool(workers={self.workers})"  # its label in measurements

    def __call__(self, n, service):
        url = service.url
        jobs = []
        start = time.perf_counter()

        def run(request):
            started = time.perf_counter() - start
            body = call_blocking(url)
            finished = time.perf_counter() - start
            jobs.append(Job(request, threading.current_thread().name, started, finished))
            return body

        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="worker")
        try:
            futures = [pool.submit(run, i) for i in range(n)]
            bodies = [future.result() for future in futures]
        finally:
            # On an interrupt: drop the queued requests, let the running ones finish.
            pool.shutdown(wait=True, cancel_futures=True)
        self.jobs = sorted(jobs, key=lambda job: job.request)
        return bodies

    def __repr__(self):
        return f"<RecordedPool of {self.workers} workers, {len(self.jobs)} jobs recorded>"


def workers_used(jobs):
    """The names of the threads that ran jobs, in the order of their number (worker_2 < worker_10)."""
    def number(name):
        digits = name.rsplit("_", 1)[-1]
        return (int(digits) if digits.isdigit() else math.inf, name)
    return sorted({job.worker for job in jobs}, key=number)


