"""Thread pools, measured: waves, who ran what, and what a thread costs.

A pool of `workers` threads runs at most `workers` requests at a time. When every
request takes one delay, N requests go out in ceil(N / workers) *waves*, and the
pool needs about that many delays. This module predicts the waves, runs a pool
that records which worker ran each request and when (for a Gantt chart), draws
both, and measures what one thread costs to start and to keep.
"""
import math
import os
import subprocess
import sys
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from .clients import call_blocking
from .errors import InvalidParameter
from .plots import _axes, finish_latency_axes
from .validate import delay_seconds, request_count, worker_count

# ThreadPoolExecutor's default size, as CPUs -> workers, in the Pythons that had it.
# (Before 3.5 there was no default: max_workers was required.)
ARTICLE_ERA_WORKERS_PER_CPU = 5     # Python 3.5 to 3.7: os.cpu_count() * 5
TODAY_EXTRA_WORKERS, TODAY_MOST_WORKERS = 4, 32  # 3.8 and later: min(32, CPUs + 4)

GANTT_COLOURS = "viridis"  # dark for the first requests submitted, light for the last
MOST_NUMBERED_BARS = 40    # past this, numbers on the bars are too small to read
MOST_NAMED_ROWS = 30       # past this, worker names on the axis overlap
TIMING_ROUNDS = 5          # thread_cost() reports the median start+join time of these
THREADS_AT_MOST = 10_000   # thread_cost() starts this many at most: more can exhaust a machine


# -- predicting -----------------------------------------------------------------------
def waves(n, workers):
    """How many rounds a pool of `workers` threads needs for n equally slow requests."""
    return math.ceil(request_count(n) / worker_count(workers))


def predicted_seconds(n, workers, delay):
    """The pool's wall time if each request takes exactly `delay`: one delay per wave."""
    return waves(n, workers) * delay_seconds(delay)


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


# -- a pool that records who ran what -------------------------------------------------
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
        n = request_count(n)
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


# -- plots -----------------------------------------------------------------------------
def plot_staircase(results, *, delay, title, ax=None):
    """Measured pool times against N, over the predicted staircase, one colour per pool size.

    results: {workers: [Measurement, ...]}. The dashed steps are ceil(N / workers)
    delays for every N up to the largest measured; the dots are the measurements.
    """
    delay = delay_seconds(delay)
    if not isinstance(results, dict) or not any(results.values()):
        raise InvalidParameter(
            "results must map pool sizes to measurements, like {4: [helpers.measure(...)]}; "
            f"got {results!r}.")
    results = {worker_count(workers): runs for workers, runs in results.items()}
    ax, own = _axes(ax)
    largest = max(m.n for runs in results.values() for m in runs)
    every_n = list(range(1, largest + 1))
    for colour, (workers, runs) in zip(plt.rcParams["axes.prop_cycle"].by_key()["color"],
                                       sorted(results.items())):
        ax.plot(every_n, [predicted_seconds(n, workers, delay) for n in every_n], "--",
                drawstyle="steps-mid", color=colour, alpha=0.7,
                label=f"{workers} workers: predicted ceil(N/{workers}) × delay")
        ax.plot([m.n for m in runs], [m.seconds for m in runs], "o", color=colour,
                label=f"{workers} workers: measured")
    ax.set_xlim(0, largest + max(1, 0.05 * largest))  # room right of the last point
    finish_latency_axes(ax, title=title, delay=delay, show=own)


def plot_gantt(jobs, *, title, delay=None, ax=None):
    """One row per worker thread, one bar per request it ran, coloured by the request's number.

    The colour bar reads the order in which requests were submitted; with few jobs each
    bar also carries its number. delay: a dotted line at every multiple of it, where
    the waves should turn.
    """
    if not jobs:
        raise InvalidParameter(
            "No jobs to draw: run a RecordedPool through helpers.measure() first.")
    delay = None if delay is None else delay_seconds(delay)
    workers = workers_used(jobs)
    row = {name: i for i, name in enumerate(workers)}
    ax, own = _axes(ax, size=(8, max(2.5, min(9, 0.3 * len(workers) + 1.5))))
    order = Normalize(vmin=0, vmax=max(1, len(jobs) - 1))
    colours = plt.get_cmap(GANTT_COLOURS)
    # One collection of bars per worker: a patch per bar is slow for a hundred of them.
    for name in workers:
        mine = [job for job in jobs if job.worker == name]
        ax.broken_barh([(job.started, job.finished - job.started) for job in mine],
                       (row[name] - 0.35, 0.7), edgecolor="white",
                       facecolors=[colours(order(job.request)) for job in mine])
    if len(jobs) <= MOST_NUMBERED_BARS:
        for job in jobs:
            ax.text((job.started + job.finished) / 2, row[job.worker], str(job.request),
                    ha="center", va="center", fontsize=7, in_layout=False,
                    color="white" if order(job.request) < 0.6 else "black")
    ax.figure.colorbar(ScalarMappable(norm=order, cmap=colours), ax=ax,
                       label="request, in the order submitted")
    if delay:
        end = max(job.finished for job in jobs)
        for k in range(1, int(end / delay) + 1):
            ax.axvline(k * delay, color="grey", linestyle=":", linewidth=0.8)
    if len(workers) <= MOST_NAMED_ROWS:
        ax.set_yticks(range(len(workers)), workers,
                      fontsize="small" if len(workers) <= 16 else 6)
        ax.set_ylabel("worker thread")
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(workers)} worker threads, one row each")
    ax.invert_yaxis()
    ax.set_xlabel("time since the requests were submitted (s)")
    ax.set_xlim(left=0)
    ax.set_title(title)
    ax.grid(axis="x", alpha=0.2)
    if own:
        plt.show()


# -- what a thread costs ---------------------------------------------------------------
@dataclass(frozen=True)
class ThreadCost:
    """What one thread costs, averaged over `threads` of them. Memory is None if unmeasurable."""
    threads: int
    start_join_seconds: float   # start a thread that does nothing, and wait for it to end
    resident_bytes: float       # memory in use per parked (waiting) thread
    reserved_bytes: float       # address space set aside per parked thread, mostly its stack

    def __str__(self):
        def kib(value):
            return "unknown here" if value is None else f"{value / 1024:,.0f} KiB"
        return (f"per thread, over {self.threads} threads: start + join "
                f"{self.start_join_seconds * 1e6:,.0f} µs (median of {TIMING_ROUNDS} rounds), "
                f"resident {kib(self.resident_bytes)}, "
                f"reserved {kib(self.reserved_bytes)}")


def _from_proc_status():
    """(resident, reserved) bytes of this process from Linux's /proc/self/status."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmSize"):
                values[key] = int(rest.split()[0]) * 1024  # given in kB
    return values["VmRSS"], values["VmSize"]


def _from_ps():
    """(resident, reserved) bytes from `ps`, on macOS and the BSDs (no /proc there)."""
    out = subprocess.run(["ps", "-o", "rss=,vsz=", "-p", str(os.getpid())],
                         capture_output=True, text=True, timeout=10, check=True).stdout
    rss, vsz = out.split()
    return int(rss) * 1024, int(vsz) * 1024


def process_memory():
    """(resident, reserved) bytes of this process now, or (None, None) where neither source exists."""
    if sys.platform.startswith("linux") and os.path.exists("/proc/self/status"):
        return _from_proc_status()
    try:
        return _from_ps()
    except (OSError, ValueError, subprocess.SubprocessError):
        return None, None  # Windows, or no ps: the notebook says it cannot tell


def start_join_seconds(count=200):
    """Average time to start a thread that does nothing and wait for it to finish."""
    count = request_count(count, name="count", maximum=THREADS_AT_MOST, unit="thread")
    start = time.perf_counter()
    for _ in range(count):
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
    return (time.perf_counter() - start) / count


def _park(count):
    """Start `count` threads that wait; return the memory measured while all of them wait."""
    release = threading.Event()
    ready = threading.Semaphore(0)

    def wait_for_release():
        ready.release()
        release.wait()

    threads = []
    try:
        for _ in range(count):
            thread = threading.Thread(target=wait_for_release, name="parked")
            thread.start()
            threads.append(thread)
        for _ in threads:
            ready.acquire()
        return process_memory()
    finally:
        release.set()  # also on an error or Ctrl-C: no thread stays parked
        for thread in threads:
            thread.join()


def parked_thread_memory(count=200):
    """(resident, reserved) bytes per thread while `count` threads wait, or (None, None).

    A first, unmeasured round pays one-off costs (the C library's per-thread
    memory arenas, for one), so the measured round shows what a thread itself adds.
    """
    count = request_count(count, name="count", maximum=THREADS_AT_MOST, unit="thread")
    _park(count)
    before = process_memory()
    during = _park(count)
    if None in before or None in during:
        return None, None
    return tuple((d - b) / count for b, d in zip(before, during))


def thread_cost(count=200):
    """Start+join time and memory per parked thread, measured over `count` threads.

    The time is the median of a few rounds: one round is easily doubled by whatever
    else the machine is doing.
    """
    count = request_count(count, name="count", maximum=THREADS_AT_MOST, unit="thread")
    seconds = statistics.median(start_join_seconds(count) for _ in range(TIMING_ROUNDS))
    resident, reserved = parked_thread_memory(count)
    return ThreadCost(count, seconds, resident, reserved)
