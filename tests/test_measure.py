"""Clients and measure(): every response checked, every bad input explained."""
import pytest

import helpers
from helpers.strategies import STRATEGIES, serial

from support.fakes import free_port


def test_both_clients_return_the_checked_body(service):
    assert helpers.call_blocking(service.url) == b"resource"
    assert helpers.call_low_level(service.address) == b"resource"


def test_urllib_ignores_proxy_settings_for_loopback(service, monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # nothing listens there
    assert helpers.call_blocking(service.url) == b"resource"


def test_connection_refused_says_the_service_is_not_running():
    port = free_port()
    with pytest.raises(helpers.ServiceError, match="not running"):
        helpers.call_blocking(f"http://127.0.0.1:{port}/get_resource")
    with pytest.raises(helpers.ServiceError, match="not running"):
        helpers.call_low_level(("127.0.0.1", port))


def test_a_service_slower_than_the_timeout_is_named(service):
    with pytest.raises(helpers.ServiceError, match="slower than"):
        helpers.call_blocking(service.url_with_delay(2), timeout=0.2)


def test_wrong_status_and_body_are_errors():
    with pytest.raises(helpers.BadResponse, match="HTTP 500"):
        helpers.check_response(500, b"oops")
    with pytest.raises(helpers.BadResponse, match="cut short"):
        helpers.check_response(200, b"reso")


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_every_strategy_returns_n_checked_responses(name, service):
    strategy = STRATEGIES[name]
    result = helpers.measure(strategy.run, 5, service)
    # A function is labelled by its name, which the registry uses too; RecordedPool by its size.
    assert result.n == 5 and result.strategy == getattr(strategy.run, "__name__", None)
    assert result.strategy == name or isinstance(strategy.run, helpers.strategies.RecordedPool)
    assert result.seconds >= strategy.predict(5, service.delay)


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
