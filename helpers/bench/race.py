"""The benchmark from a notebook: race strategies over request counts, each run in a
fresh process against a service of its own, and get the rows of its table.

    rows = race(["thread_pool_n", "general_loop"], [1, 100, 10_000], delay=1.0)
    rows = race(["thread_pool_workers", "general_loop"], [1, 100], delay=1.0, workers=10)

The same plan, runs and rows as `python3 course.py bench` (runner, report), checked
here once, at the edge a notebook calls. Progress goes to stdout, where a notebook
shows it; Ctrl-C stops the run in progress and the service, and says so in one line.
"""
import sys

from ..errors import MeasurementInterrupted
from ..service import lesson_delay, service_loop
from ..strategies import chosen_strategies
from ..validate import request_count, request_counts, worker_count
from .options import Options
from .report import rows
from .runner import Bench

MOST_REPEATS = 10

__all__ = ["race"]


def race(strategies, ns, *, delay, repeats=1, workers=None, out=None):
    """Every strategy named at every N, `repeats` times; the report's rows, in plan order.

    `workers` is the pool size of the sized strategies (thread_pool_workers); the
    others ignore it, and without it those take ThreadPoolExecutor's default size.
    A combination predicted to take more than 20 delays, or beyond what a strategy can
    take, is skipped and its row says why, as is one after the strategy failed at a
    smaller N.
    """
    options = Options(
        ns=sorted(set(request_counts(ns))), delay=lesson_delay(delay),
        repeats=request_count(repeats, name="repeats", maximum=MOST_REPEATS, unit="run"),
        strategies=chosen_strategies(strategies), json=None, plot=None,
        service_loop=service_loop(None), list=False,
        workers=None if workers is None else worker_count(workers))
    out = sys.stdout if out is None else out
    bench = Bench(options, out=out)
    try:
        with bench:
            bench.run_all()
    except KeyboardInterrupt:
        raise MeasurementInterrupted(
            f"Interrupted: the race stopped after {len(bench.runs)} run(s); the run in "
            "progress and its service are stopped, nothing is left running. Run the cell "
            "again, with fewer or smaller request counts if it was slow.") from None
    return rows(bench.runs, bench.skipped, options)

