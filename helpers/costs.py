"""What a waiting request costs: a thread (time to start and join it, memory while it
waits), or a paused task on the course's general loop (time to start it, memory while
it waits).

Notebook 02 measures a thread; notebook 07 sets it beside a task. Both wait on nothing
but a signal (an Event, a Future), so what is measured is the waiter itself, not a
socket. process_memory() also serves anyone who reports memory.
"""
import os
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from dataclasses import dataclass

from .loops import Future, gather, run_main, sleep, spawn
from .validate import request_count

TIMING_ROUNDS = 5          # thread_cost() reports the median start+join time of these
MEMORY_ROUNDS = 3          # ... and the largest memory per parked thread of these
THREADS_AT_MOST = 10_000   # thread_cost() starts this many at most: more can exhaust a machine
TASKS_AT_MOST = 1_000_000  # a million paused tasks fit in about a gigabyte

__all__ = ["TaskCost", "ThreadCost", "parked_thread_memory", "process_memory",
           "start_join_seconds", "task_cost", "thread_cost"]


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
    memory arenas, for one), so the measured rounds show what a thread itself adds. Of
    MEMORY_ROUNDS rounds the largest counts: memory that the process gives back meanwhile
    (a kernel that ran a whole course frees a lot) can only make a round count less.
    """
    count = request_count(count, name="count", maximum=THREADS_AT_MOST, unit="thread")
    _park(count)
    rounds = []
    for _ in range(MEMORY_ROUNDS):
        before = process_memory()
        during = _park(count)
        if None in before or None in during:
            return None, None
        rounds.append(tuple((d - b) / count for b, d in zip(before, during)))
    return max(rounds)


def thread_cost(count=200):
    """Start+join time and memory per parked thread, measured over `count` threads.

    The time is the median of a few rounds: one round is easily doubled by whatever
    else the machine is doing.
    """
    count = request_count(count, name="count", maximum=THREADS_AT_MOST, unit="thread")
    seconds = statistics.median(start_join_seconds(count) for _ in range(TIMING_ROUNDS))
    resident, reserved = parked_thread_memory(count)
    return ThreadCost(count, seconds, resident, reserved)


@dataclass(frozen=True)
class TaskCost:
    """What one paused task costs, averaged over `tasks` of them."""
    tasks: int
    start_seconds: float     # create a task and run it to its first wait
    allocated_bytes: float   # memory Python allocated per paused task (tracemalloc)

    def __str__(self):
        return (f"per task, over {self.tasks:,} tasks: start {self.start_seconds * 1e6:,.1f} µs, "
                f"allocated {self.allocated_bytes / 1024:,.2f} KiB")


def _park_tasks(count, measure_memory):
    """Start `count` tasks that wait on one Future; return (start seconds per task, bytes
    Python allocated for them), the bytes counted only if measure_memory (it slows them)."""
    def parked_task(release):
        yield from release

    def main():
        release = Future()
        start = time.perf_counter()
        tasks = [spawn(parked_task(release)) for _ in range(count)]
        yield from sleep(0)  # every task runs to its first wait before this returns
        started = (time.perf_counter() - start) / count
        allocated = tracemalloc.get_traced_memory()[0] if measure_memory else None
        release.set_result(None)
        yield from gather(*tasks)
        return started, allocated

    if not measure_memory:
        return run_main(main())
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _started, allocated = run_main(main())
        return None, allocated - before
    finally:
        tracemalloc.stop()


def task_cost(count=10_000):
    """Start time and memory per paused task on the general loop, over `count` tasks.

    The memory is what Python allocated for them, counted by tracemalloc: a paused task
    lives on the Python heap (a generator frame, a Task, a callback), where the resident
    size of the process would hide it among freed memory kept for reuse. A thread's
    memory, mostly its stack, is outside that heap: thread_cost() reads the process's.
    """
    count = request_count(count, name="count", maximum=TASKS_AT_MOST, unit="task")
    started, _ = _park_tasks(count, measure_memory=False)
    _, allocated = _park_tasks(count, measure_memory=True)
    return TaskCost(count, started, allocated / count)
