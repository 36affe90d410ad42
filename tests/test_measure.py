"""helpers.measure: every response checked, lost ones never reported as a time, bad
request counts refused."""
import pytest

import helpers
from helpers.strategies import serial


@pytest.mark.parametrize("bad, message", [
    (0, "at least 1"), (-5, "at least 1"), ("ten", "whole number"), (2.5, "whole number"),
    (10**9, "more than"), (True, "whole number"), (None, "whole number"),
])
def test_bad_request_counts_are_refused(bad, message, service):
    with pytest.raises(helpers.InvalidParameter, match=message):
        helpers.measure(serial, bad, service)


def test_a_whole_float_is_accepted_as_a_count(service):
    assert helpers.measure(serial, 2.0, service).n == 2


def test_lost_responses_are_never_reported_as_a_time(service):
    def loses_one(n, svc):
        return serial(n, svc)[:-1]

    with pytest.raises(helpers.IncompleteMeasurement, match="returned 2 responses for 3"):
        helpers.measure(loses_one, 3, service)


def test_wrong_bodies_and_missing_results_are_errors(service):
    with pytest.raises(helpers.IncompleteMeasurement, match="response 1"):
        helpers.measure(lambda n, svc: [b"resource", b"garbage"], 2, service)
    with pytest.raises(helpers.IncompleteMeasurement, match="returned None"):
        helpers.measure(lambda n, svc: None, 2, service)


def test_sweep_and_median(service):
    results = helpers.sweep(serial, [1, 2], service)
    assert [r.n for r in results] == [1, 2]
    assert results[1].seconds > results[0].seconds
    assert helpers.measure_median(serial, 1, service, repeats=3).n == 1
    with pytest.raises(helpers.InvalidParameter):
        helpers.sweep(serial, [1, "x"], service)
