"""One measured run, in a process of its own: one strategy, one N, nothing else.

    python -m helpers.bench.child '{"strategy": "floor", "n": 10000, "host": ..., ...}'

A sized strategy's spec also holds "workers", its pool size (checked by the benchmark).

A fresh process per run, so no run inherits another's threads, sockets, heap or
garbage; the service's secret never comes here (/get_resource needs none). It prints
one JSON line: the wall time, the CPU time, the peak memory and threads, or why the
run could not be made.

The clock rule, the same for every strategy: it starts before the strategy makes its
first socket (strategy.run creates them all, and its event loop too) and stops after
the last reply is read and every one of the n bodies is checked.
"""
import json
import os
import resource
import sys
import threading
import time
from dataclasses import dataclass

from ..errors import CourseError, TooManySockets
from ..limits import raise_open_file_limit
from ..measure import check_responses
from ..strategies import STRATEGIES

SAMPLE_EVERY = 0.05  # seconds between two counts of the process's threads


@dataclass(frozen=True)
class Endpoint:
    """What a strategy uses of a helpers.Service: where it is and how slow (no secret)."""
    host: str
    port: int
    path: str
    delay: float

    @property
    def address(self):
        return (self.host, self.port)

    @property
    def url(self):
        return f"http://{self.host}:{self.port}{self.path}"


def os_threads():
    """Threads of this process as the OS counts them (C threads too), where /proc says."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return threading.active_count()


class ThreadPeak:
    """The most threads alive at once while it runs, itself left out; it also ends this
    process if the benchmark that started it goes away (SIGKILL leaves no chance to say).

    It counts Python's threads (threading.active_count(), no system call) every
    SAMPLE_EVERY: reading /proc at that pace would cost the run measurable CPU. The OS's
    count, which also sees threads started in C, is read once before and once after.
    Its own CPU time is kept in .cpu_seconds, to be taken off the run's.
    """

    def __init__(self):
        self.parent = os.getppid()
        self.peak = os_threads()
        self.cpu_seconds = 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, name="bench-thread-count",
                                       daemon=True)

    def _sample(self):
        while not self.done.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, threading.active_count() - 1)
            if os.getppid() != self.parent:
                os._exit(1)
        self.cpu_seconds = time.thread_time()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.peak = max(self.peak, os_threads() - 1)
        self.done.set()
        self.thread.join()


def peak_rss_bytes():
    """The most memory this process has held at once, from its own start.

    On Linux, from /proc (VmHWM): getrusage's ru_maxrss survives exec, so a child started
    by a big process (a notebook's kernel: about 100 MiB with matplotlib) reports the
    parent's peak, whatever the run itself used.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts KiB


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_once(strategy, n, endpoint, workers=None):
    """Run strategy.run(n, endpoint) once under the clock rule (on a pool of `workers`
    threads if it is sized and they are given); the numbers as a dict."""
    sized = strategy.sized_by(workers)
    rss_before = peak_rss_bytes()
    with ThreadPeak() as threads:
        cpu = cpu_seconds()
        start = time.perf_counter()
        bodies = strategy.run(n, endpoint, **sized)
        check_responses(bodies, n, strategy.name)
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu
    cpu -= threads.cpu_seconds  # the counting thread's own, not the strategy's
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_bytes": peak_rss_bytes(),
            "rss_before_bytes": rss_before, "threads": threads.peak, "error": None}


def main(argv=None):
    spec = json.loads((sys.argv[1:] if argv is None else argv)[0])
    raise_open_file_limit()  # every request holds a socket: 10,000 need room
    endpoint = Endpoint(spec["host"], spec["port"], spec["path"], spec["delay"])
    strategy = STRATEGIES[spec["strategy"]]
    try:
        result = measure_once(strategy, spec["n"], endpoint, spec.get("workers"))
    except TooManySockets as error:  # a limit of this machine or of the strategy: a skip
        result = {"error": {"skip": True, "type": type(error).__name__, "message": str(error)}}
    except RuntimeError as error:
        if "can't start new thread" not in str(error):
            raise
        result = {"error": {"skip": True, "type": type(error).__name__,
                            "message": f"the system refused another thread ({error})"}}
    except CourseError as error:
        result = {"error": {"skip": False, "type": type(error).__name__, "message": str(error)}}
    except KeyboardInterrupt:
        return 130  # the benchmark was interrupted; the strategy has cleaned up
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
