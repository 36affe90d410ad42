"""helpers.lesson: slack(), the one rule for how much a lesson's timing assert allows
above its prediction."""
import pytest

import helpers
from helpers import lesson
from helpers.strategies import STRATEGIES


def test_one_request_in_one_wait_gets_the_runs_allowance_and_a_little_more():
    assert helpers.slack() == pytest.approx(lesson.PER_RUN + lesson.PER_REQUEST + lesson.PER_WAIT)
    assert helpers.slack(requests=1, waits=1) == helpers.slack()


def test_each_request_and_each_wait_in_a_row_adds_its_share():
    base = helpers.slack(1, 1)
    assert helpers.slack(11, 1) - base == pytest.approx(10 * lesson.PER_REQUEST)
    assert helpers.slack(1, 11) - base == pytest.approx(10 * lesson.PER_WAIT)


def test_serial_requests_are_allowed_more_than_the_same_requests_at_once():
    at_once, one_after_another = helpers.slack(100, waits=1), helpers.slack(100, waits=100)
    assert at_once < one_after_another


@pytest.mark.parametrize("bad, name, message", [
    ({"requests": 0}, "requests", "at least 1 request"),
    ({"requests": "ten"}, "requests", "whole number of requests"),
    ({"waits": -2}, "waits", "at least 1 wait"),
    ({"waits": 1.5}, "waits", "whole number of waits"),
])
def test_bad_counts_are_refused_naming_the_parameter(bad, name, message):
    with pytest.raises(helpers.InvalidParameter, match=message) as refused:
        helpers.slack(**bad)
    assert str(refused.value).startswith(name)


def test_a_whole_float_counts_as_a_whole_number():
    assert helpers.slack(3.0, waits=2.0) == helpers.slack(3, waits=2)


@pytest.mark.parametrize("name, n, waits", [("serial", 3, 3), ("article_loop", 10, 1)])
def test_a_strategy_on_this_machine_finishes_within_its_prediction_and_the_slack(
        name, n, waits, service):
    strategy = STRATEGIES[name]
    predicted = strategy.predict(n, service.delay)
    result = helpers.measure(strategy.run, n, service)
    assert predicted <= result.seconds <= predicted + helpers.slack(n, waits), result
