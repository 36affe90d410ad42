"""The benchmark from a notebook: race strategies over request counts, each run in a
fresh process against a service of its own, and get the rows of its table.

    rows = race(["thread_pool_n", "general_loop"], [1, 100, 10_000], delay=1.0)

The same plan, runs and rows as `python3 course.py bench` (runner, report), checked
here once, at the edge a notebook calls. Progress goes to stdout, where a notebook
shows it; Ctrl-C stops the run in progress and the service, and says so in one line.
"""
import sys

from ..errors import InvalidParameter, MeasurementInterrupted
from ..service import lesson_delay, service_loop
from ..strategies import STRATEGIES
from ..validate import describe, request_count, request_counts
from .options import Options
from .report import rows
from .runner import Bench

MOST_REPEATS = 10

__all__ = ["race"]


def race(strategies, ns, *, delay, repeats=1, out=None):
    """Every strategy named at every N, `repeats` times; the report's rows, in plan order.

    A combination predicted to take more than 20 delays, or beyond what a strategy can
    take, is skipped and its row says why, as is one after the strategy failed at a
    smaller N.
    """
    options = Options(
        ns=sorted(set(request_counts(ns))), delay=lesson_delay(delay),
        repeats=request_count(repeats, name="repeats", maximum=MOST_REPEATS, unit="run"),
        strategies=strategy_list(strategies), json=None, plot=None,
        service_loop=service_loop(None), list=False)
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


def strategy_list(strategies):
    """The names, each once, in order, every one in the registry."""
    choose = f"choose from {', '.join(STRATEGIES)}."
    if isinstance(strategies, str) or not isinstance(strategies, (list, tuple)):
        raise InvalidParameter(f"strategies must be a list of names, like ['serial', "
                               f"'general_loop']; got {describe(strategies)}. {choose}")
    unknown = [name for name in strategies if not isinstance(name, str) or name not in STRATEGIES]
    if unknown or not strategies:
        what = f"unknown {', '.join(map(repr, unknown))}" if unknown else "none named"
        raise InvalidParameter(f"strategies: {what}; {choose}")
    return list(dict.fromkeys(strategies))
