"""Checks for notebook 10, the explorer: choose a strategy from measured rows.

The exercise asks for cheapest_within(rows, n, budget): among the rows measured at N = n
(the rows of helpers.bench.race), the strategy whose median wall time is within `budget`
seconds and whose client CPU per request is the least; None if none made it. The check
runs it on made-up rows chosen so that each usual slip gives its own wrong answer (rows
of another N, skipped rows without times, the fastest instead of the cheapest, the
budget ignored or compared with × ideal, "within" read as strictly less, the row instead
of its name), says which slip it sees, then runs it on the learner's own rows.
"""
import copy
import math

from ..errors import InvalidParameter
from . import ExerciseFailed, exercise

CPU = "cpu_us_per_request"


def _row(strategy, n, seconds, cpu, delay=1.0, label=None):
    return {"strategy": strategy, "label": label or strategy, "n": n, "status": "ok",
            "median_seconds": seconds, "times_ideal": seconds / delay, CPU: cpu}


def _skipped(strategy, n, reason):
    return {"strategy": strategy, "label": strategy, "n": n, "status": "skipped",
            "reason": reason, "predicted_seconds": None}


# Made up, in the shape race() returns, at a delay of 1 s: a pool of 4, the loops, serial;
# floor, the leanest client, only at N = 100, so that rows of another N give another answer.
ONE_SECOND = [
    _row("serial", 10, 10.1, 160.0),
    _row("thread_pool_workers", 10, 3.02, 900.0, label="thread_pool_workers(4)"),
    _row("article_loop", 10, 1.01, 300.0), _row("general_loop", 10, 1.02, 190.0),
    _row("asyncio_streams", 10, 1.05, 480.0), _row("uvloop_streams", 10, 1.00, 280.0),
    _skipped("serial", 100, "hopeless: predicted 100 s, more than 20 delays"),
    _skipped("thread_pool_workers", 100, "hopeless: predicted 25 s, more than 20 delays"),
    _row("floor", 100, 1.03, 90.0),
    _row("article_loop", 100, 1.07, 180.0), _row("general_loop", 100, 1.08, 140.0),
    _row("asyncio_streams", 100, 1.13, 290.0), _row("uvloop_streams", 100, 1.05, 115.0),
    _row("thread_pool_n", 100, 1.40, 1000.0),
    _skipped("article_loop", 1000, "at most 1,000 requests: select() watches only "
                                   "descriptors below 1024 (FD_SETSIZE)"),
    _row("general_loop", 1000, 1.20, 130.0), _row("asyncio_streams", 1000, 1.60, 300.0),
    _row("uvloop_streams", 1000, 1.25, 120.0), _row("thread_pool_n", 1000, 3.00, 1000.0),
]
# At a quarter-second delay, × ideal is four times the seconds: a budget in seconds
# compared with it finds nothing.
# A pool of 2 makes two waves, and its name in the rows is not its label.
QUARTER = [
    _row("serial", 4, 1.01, 300.0, delay=0.25), _row("general_loop", 4, 0.26, 400.0, delay=0.25),
    _row("floor", 4, 0.255, 350.0, delay=0.25),
    _row("thread_pool_workers", 4, 0.51, 250.0, delay=0.25, label="thread_pool_workers(2)"),
]
TABLES = {"ONE_SECOND": ONE_SECOND, "QUARTER": QUARTER}
# (which rows, n, budget in seconds)
CASES = [
    ("ONE_SECOND", 10, 2.0),     # the loops make it; general_loop costs least of them
    ("ONE_SECOND", 10, 12.0),    # a loose budget: serial makes it, and costs least of all
    ("ONE_SECOND", 100, 2.0),    # floor; and skipped rows at this N, which have no times
    ("ONE_SECOND", 100, 1.0),    # nobody within one delay: None
    ("ONE_SECOND", 1000, 1.2),   # general_loop exactly on the budget: within
    ("QUARTER", 4, 0.5),         # seconds, not × ideal
    ("QUARTER", 4, 0.6),         # room for two waves: the pool, by its name
]


def cheapest(rows, n, budget):
    """The answer: the least CPU per request among the rows at n within the budget."""
    within = [r for r in rows if r["status"] == "ok" and r["n"] == n
              and r["median_seconds"] <= budget]
    return min(within, key=lambda r: r[CPU])["strategy"] if within else None


# -- the usual slips, each as code, and what to say when a learner's answer matches it --
def _ok(rows):
    return [r for r in rows if r["status"] == "ok"]


def any_n(rows, n, budget):
    within = [r for r in _ok(rows) if r["median_seconds"] <= budget]
    return min(within, key=lambda r: r[CPU])["strategy"] if within else None


def no_budget(rows, n, budget):
    here = [r for r in _ok(rows) if r["n"] == n]
    return min(here, key=lambda r: r[CPU])["strategy"] if here else None


def fastest(rows, n, budget):
    within = [r for r in _ok(rows) if r["n"] == n and r["median_seconds"] <= budget]
    return min(within, key=lambda r: r["median_seconds"])["strategy"] if within else None


def strictly_less(rows, n, budget):
    within = [r for r in _ok(rows) if r["n"] == n and r["median_seconds"] < budget]
    return min(within, key=lambda r: r[CPU])["strategy"] if within else None


def times_ideal(rows, n, budget):
    within = [r for r in _ok(rows) if r["n"] == n and r["times_ideal"] <= budget]
    return min(within, key=lambda r: r[CPU])["strategy"] if within else None


def _seconds_of(rows, n, name):
    return next(r["median_seconds"] for r in _ok(rows) if r["n"] == n and r["strategy"] == name)


SLIPS = [
    (any_n, lambda rows, n, budget, got: (
        f"{got!r} is the cheapest within the budget at another N: keep only the rows with "
        f"row['n'] == n ({n}).")),
    (no_budget, lambda rows, n, budget, got: (
        f"{got!r} took {_seconds_of(rows, n, got):g} s at N={n}, over the {budget:g} s "
        "budget: keep only the rows with row['median_seconds'] <= budget.")),
    (strictly_less, lambda rows, n, budget, got: (
        f"one strategy took exactly the {budget:g} s budget, and that is within it: compare "
        "with <=, not <.")),
    (times_ideal, lambda rows, n, budget, got: (
        "row['times_ideal'] counts delays, and the budget is in seconds: compare "
        "row['median_seconds'] with it.")),
    (fastest, lambda rows, n, budget, got: (
        f"{got!r} is the fastest within the budget, but the exercise asks for the cheapest: "
        "the least row['cpu_us_per_request'] among those within it.")),
]


def _call(cheapest_within, rows, n, budget):
    """What the learner's function returns for a copy of rows (so it cannot spoil them)."""
    call = f"cheapest_within(rows, n={n}, budget={budget:g})"
    try:
        return call, cheapest_within(copy.deepcopy(rows), n, budget)
    except NotImplementedError:
        raise  # the untouched placeholder: @exercise prints the hint
    except (KeyError, TypeError) as error:
        raise ExerciseFailed(
            f"{call} raised {type(error).__name__}: {error}. Skipped and failed rows have no "
            "'median_seconds' or 'cpu_us_per_request': keep only rows whose "
            "row['status'] == 'ok'.") from None


def _explain(call, rows, n, budget, got, want):
    if isinstance(got, dict):
        return f"{call} returned a whole row: return its strategy's name, row['strategy']."
    if want is None and got is not None and not got:  # "", [], False, 0
        return (f"{call} returned {got!r}: when no strategy made it within the budget, "
                "return None.")
    labels = {r["label"]: r["strategy"] for r in _ok(rows) if r["label"] != r["strategy"]}
    if got in labels and labels[got] == want:
        return (f"{call} returned {got!r}, the row's label, which adds the pool size: return "
                f"its name, row['strategy'] ({want!r}).")
    for slip, say in SLIPS:
        if got == slip(rows, n, budget) and got != want:
            return f"{call} returned {got!r}: {say(rows, n, budget, got)}"
    return (f"{call} returned {got!r}; expected {want!r}: the least client CPU per request "
            "among the rows at N = n that finished within the budget, None if none did.")


def _measured_rows(rows):
    if not isinstance(rows, list) or not rows or not all(
            isinstance(r, dict) and "status" in r and "n" in r for r in rows):
        raise InvalidParameter("rows must be the list that helpers.bench.race() returned; "
                               f"got {type(rows).__name__}.")
    return rows


@exercise(hint="Three steps: keep the rows that were measured (status 'ok') at N = n; of "
               "those, keep the ones whose median_seconds is within the budget; return the "
               "'strategy' of the one with the least cpu_us_per_request, or None if none is "
               "left. min(..., key=...) picks the least.",
          solution="10-explore-every-strategy.py")
def check_cheapest_within(cheapest_within, rows=None):
    """Compare cheapest_within with the answer on CASES (each slip shows as its own wrong
    answer), then on the learner's own rows, if given, at each N they measured."""
    rows = None if rows is None else _measured_rows(rows)
    for table, n, budget in CASES:
        made_up = TABLES[table]
        want = cheapest(made_up, n, budget)
        call, got = _call(cheapest_within, made_up, n, budget)
        if got != want or type(got) is not type(want):
            raise ExerciseFailed(_explain(call, made_up, n, budget, got, want))
    if rows is None:
        return "right, on every made-up case."
    picks = []
    for n in sorted({r["n"] for r in _ok(rows)}):
        best = min(r["median_seconds"] for r in _ok(rows) if r["n"] == n)
        for budget in (round(1.5 * best, 3), math.inf):
            want = cheapest(rows, n, budget)
            call, got = _call(cheapest_within, rows, n, budget)
            if got != want:
                raise ExerciseFailed("right on the made-up rows, but on yours: "
                                     + _explain(call, rows, n, budget, got, want))
        picks.append(f"N={n:,}: {cheapest(rows, n, round(1.5 * best, 3))} within "
                     f"{1.5 * best:.3f} s, {cheapest(rows, n, math.inf)} with no budget")
    return "right. On your rows, within 1.5 × the fastest at each N, and with no budget: " + \
        "; ".join(picks) + "."
