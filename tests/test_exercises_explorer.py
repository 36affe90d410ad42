"""Notebook 10's exercise: its check accepts the cheapest strategy within a budget and
names each usual slip when a learner makes it."""
import math

import pytest

from helpers.errors import InvalidParameter
from helpers.exercises import ExerciseFailed
from helpers.exercises.explorer import (CASES, ONE_SECOND, QUARTER, TABLES, cheapest,
                                        check_cheapest_within)

# Worked by hand from the made-up rows.
WORKED = {
    ("ONE_SECOND", 10, 2.0): "general_loop",     # the loops within 2 s: 190 µs is least
    ("ONE_SECOND", 10, 12.0): "serial",          # serial's 10.1 s fits, at 160 µs
    ("ONE_SECOND", 100, 2.0): "floor",           # 90 µs
    ("ONE_SECOND", 100, 1.0): None,              # the fastest took 1.03 s
    ("ONE_SECOND", 1000, 1.2): "general_loop",   # exactly 1.2 s: within
    ("QUARTER", 4, 0.5): "floor",                # 0.255 s, 350 µs; general_loop costs 400
    ("QUARTER", 4, 0.6): "thread_pool_workers",  # its two waves fit, at 250 µs
}


def test_the_checks_answers_match_answers_worked_by_hand():
    assert set(CASES) == set(WORKED)
    for (table, n, budget), want in WORKED.items():
        assert cheapest(TABLES[table], n, budget) == want


def right(rows, n, budget):
    best = None
    for row in rows:
        if row["status"] != "ok" or row["n"] != n or row["median_seconds"] > budget:
            continue
        if best is None or row["cpu_us_per_request"] < best["cpu_us_per_request"]:
            best = row
    return None if best is None else best["strategy"]


def test_a_right_answer_passes(capsys):
    check_cheapest_within(right)
    assert capsys.readouterr().out.startswith("✓ right")


def test_a_right_answer_passes_on_the_learners_rows_and_says_what_it_picks(capsys):
    check_cheapest_within(right, ONE_SECOND + QUARTER)
    out = capsys.readouterr().out
    assert out.startswith("✓ right. On your rows") and "N=10: general_loop within" in out


def ok(rows):
    return [r for r in rows if r["status"] == "ok"]


def least_cpu(rows):
    return min(rows, key=lambda r: r["cpu_us_per_request"])["strategy"] if rows else None


def every_n(rows, n, budget):
    return least_cpu([r for r in ok(rows) if r["median_seconds"] <= budget])


def ignores_the_budget(rows, n, budget):
    return least_cpu([r for r in ok(rows) if r["n"] == n])


def keeps_skipped_rows(rows, n, budget):
    return least_cpu([r for r in rows if r["n"] == n and r["median_seconds"] <= budget])


def takes_the_fastest(rows, n, budget):
    within = [r for r in ok(rows) if r["n"] == n and r["median_seconds"] <= budget]
    return min(within, key=lambda r: r["median_seconds"])["strategy"] if within else None


def strictly_below(rows, n, budget):
    return least_cpu([r for r in ok(rows) if r["n"] == n and r["median_seconds"] < budget])


def in_delays(rows, n, budget):
    return least_cpu([r for r in ok(rows) if r["n"] == n and r["times_ideal"] <= budget])


def returns_the_row(rows, n, budget):
    within = [r for r in ok(rows) if r["n"] == n and r["median_seconds"] <= budget]
    return min(within, key=lambda r: r["cpu_us_per_request"]) if within else None


def empty_text_for_none(rows, n, budget):
    return right(rows, n, budget) or ""


def returns_the_label(rows, n, budget):
    within = [r for r in ok(rows) if r["n"] == n and r["median_seconds"] <= budget]
    return min(within, key=lambda r: r["cpu_us_per_request"])["label"] if within else None


@pytest.mark.parametrize("wrong, says", [
    (every_n, r"at another N: keep only the rows with row\['n'\] == n \(10\)"),
    (ignores_the_budget, r"'serial' took 10.1 s at N=10, over the 2 s budget"),
    (keeps_skipped_rows, r"raised KeyError: 'median_seconds'.*row\['status'\] == 'ok'"),
    (takes_the_fastest, r"'uvloop_streams' is the fastest within the budget.*cheapest"),
    (strictly_below, r"budget=1.2\) returned None: .*exactly the 1.2 s budget.*<=, not <"),
    (in_delays, r"row\['times_ideal'\] counts delays.*row\['median_seconds'\]"),
    (returns_the_row, r"returned a whole row: return its strategy's name"),
    (empty_text_for_none, r"budget=1\) returned '': when no strategy made it.*return None"),
    (returns_the_label, r"returned 'thread_pool_workers\(2\)', the row's label.*"
                        r"row\['strategy'\] \('thread_pool_workers'\)"),
], ids=lambda v: getattr(v, "__name__", None))
def test_each_usual_slip_is_named_in_one_line(wrong, says):
    with pytest.raises(ExerciseFailed, match=says) as failed:
        check_cheapest_within(wrong)
    assert "\n" not in str(failed.value)


def test_a_slip_only_the_learners_rows_show_is_reported_on_them():
    def budget_blind_above_ten(rows, n, budget):
        return right(rows, n, budget if n < 50 else math.inf)

    mine = [r for r in ONE_SECOND if r["n"] == 100]
    mine = [dict(r, median_seconds=5.0) if r["strategy"] == "floor" else r for r in mine]
    # Right on every made-up case? No: (100, 1.0) catches it first.
    with pytest.raises(ExerciseFailed):
        check_cheapest_within(budget_blind_above_ten, mine)


def test_the_learners_rows_are_never_changed():
    def spoils(rows, n, budget):
        rows.clear()
        return None

    rows = list(ONE_SECOND)
    with pytest.raises(ExerciseFailed):
        check_cheapest_within(spoils, rows)
    assert rows == ONE_SECOND


def test_rows_that_are_not_races_rows_are_refused():
    with pytest.raises(InvalidParameter, match=r"rows must be the list that .*race\(\) returned"):
        check_cheapest_within(right, "rows")
