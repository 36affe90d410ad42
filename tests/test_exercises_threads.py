"""The thread-pool exercise: its check accepts the smallest pool and says what is wrong with others."""
import math

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.threads import CASES, check_pool_size_for, smallest_pool

from support.leaks import settled, snapshot


# Worked by hand: whole waves that fit = floor(deadline / delay); workers = ceil(n / waves).
WORKED = {
    (100, 1.0, 3.0): 34,    # 3 waves: 34 + 34 + 32
    (100, 1.0, 3.5): 34,    # still 3 whole waves
    (100, 1.0, 17.0): 6,    # 17 waves: 16 x 6 = 96 is not enough, 17 x 6 = 102 is
    (10, 0.5, 1.0): 5,      # 2 waves of 5
    (10, 0.25, 0.3): 10,    # 1 wave: everyone at once
    (12, 2.0, 100.0): 1,    # 50 waves: one worker does all 12
    (1, 1.0, 5.0): 1,
    (10, 0.1, 0.3): 4,      # 3 waves (3 x 0.1 s = 0.3 s): 4 + 4 + 2
    (12, 0.2, 0.6): 4,      # 3 waves of 4
}


def test_the_checks_answers_match_answers_worked_by_hand():
    assert set(CASES) == set(WORKED), "every case the check uses should be worked by hand here"
    for case, workers in WORKED.items():
        assert smallest_pool(*case) == workers, case


def right(n, delay, deadline):
    waves_that_fit = math.floor(deadline / delay + 1e-9)  # 0.3 / 0.1 is 2.9999999999999996
    return math.ceil(n / waves_that_fit)


def in_milliseconds(n, delay, deadline):
    """The other cure the feedback names: count in whole milliseconds."""
    return math.ceil(n / (round(deadline * 1000) // round(delay * 1000)))


def trusts_floating_point(n, delay, deadline):
    """Right on paper, but floor(0.3 / 0.1) is 2: one wave short."""
    return math.ceil(n / math.floor(deadline / delay))


def rounds_waves_up(n, delay, deadline):
    """Counts a part wave as a whole one: its pool is too small for a 3.5-delay deadline."""
    return math.ceil(n / math.ceil(deadline / delay))


def forgets_the_delay(n, delay, deadline):
    """Treats the deadline as a number of waves: right only when the delay is 1 s."""
    return math.ceil(n / math.floor(deadline))


def one_worker_per_request(n, delay, deadline):
    """Always fast enough, never the smallest."""
    return n


def fractional(n, delay, deadline):
    return n / (deadline / delay)


def placeholder(n, delay, deadline):
    raise NotImplementedError  # your code here


def test_the_check_tries_a_delay_that_floating_point_gets_wrong():
    assert any(math.floor(deadline / delay) * delay + delay <= deadline * (1 + 1e-9)
               for _n, delay, deadline in CASES), "no case where floor(deadline / delay) is short"


@pytest.mark.parametrize("answer", [right, in_milliseconds])
def test_answers_that_round_with_care_pass(answer, capsys):
    check_pool_size_for(answer)
    assert "✓" in capsys.readouterr().out


def test_an_answer_that_trusts_floating_point_is_told_so():
    with pytest.raises(ExerciseFailed) as failed:
        check_pool_size_for(trusts_floating_point)
    message = str(failed.value)
    assert "delay=0.1, deadline=0.3) returned 5, but 4 workers would do" in message, message
    assert "0.3 / 0.1 is 2.9999999999999996 in floating point" in message, message
    assert "small tolerance" in message and "milliseconds" in message, message


def test_the_right_answer_passes_and_leaves_nothing_behind(capsys):
    before = snapshot()
    check_pool_size_for(right)
    assert "✓" in capsys.readouterr().out
    after = settled(before)
    assert after["threads"] <= before["threads"] and after["descriptors"] <= before["descriptors"]


@pytest.mark.parametrize("wrong, message", [
    (rounds_waves_up, r"past the 3.5 s deadline"),
    (forgets_the_delay, r"delay=0.5, deadline=1\) returned 10: .* but 5 workers would too"),
    (one_worker_per_request, r"meets the deadline, but 34 workers would too"),
    (fractional, r"whole number of workers"),
])
def test_wrong_answers_are_rejected_with_what_is_wrong(wrong, message):
    with pytest.raises(ExerciseFailed, match=message):
        check_pool_size_for(wrong)


def test_the_placeholder_gets_the_hint_and_where_the_solution_is(capsys):
    check_pool_size_for(placeholder)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "whole waves fit in the deadline" in out
    assert "%load solutions/02-use-a-thread-pool.py" in out
