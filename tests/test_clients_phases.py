"""helpers.clients.phases: one request timed phase by phase (connect, send, wait, read),
checked against the service's own record of it."""
import time

import pytest

import helpers
from helpers.clients import PHASES, median_durations, time_phases, waiting_share

from support.leaks import left_behind, snapshot

DELAY = 0.1
SERVICE_DELAY = DELAY  # read by the `service` fixture (tests/conftest.py)


def test_the_phases_add_up_to_the_request_and_the_wait_holds_the_delay(service):
    start = time.perf_counter()
    phases = time_phases(service.address, service.path)
    elapsed = time.perf_counter() - start
    assert list(phases.durations()) == list(PHASES)
    assert all(seconds >= 0 for seconds in phases.durations().values())
    # Slack for a loaded CI machine: the lesson is that waiting dominates, not a speed.
    assert phases.total <= elapsed < phases.total + DELAY / 2
    assert phases.wait >= DELAY - 0.01
    assert phases.connect + phases.send + phases.read < DELAY


def test_the_phases_fit_the_services_record_of_the_same_request(service):
    service.reset()
    phases = time_phases(service.address, service.path)
    [record] = service.stats().records
    assert record.client_port == phases.client_port
    sent = phases.started + phases.connect + phases.send
    answered = sent + phases.wait
    # Two processes, one clock (time.time()): allow a few ms before, and after for the
    # service's process to be scheduled (more on a loaded machine).
    assert phases.started - 0.005 <= record.arrived <= sent + DELAY / 2
    assert record.answered <= answered + 0.005


def test_spans_are_back_to_back_from_the_start(service):
    phases = time_phases(service.address, service.path)
    spans = phases.spans()
    assert [name for name, _, _ in spans] == list(PHASES)
    assert spans[0][1] == phases.started
    for (_, start, seconds), (_, next_start, _) in zip(spans, spans[1:]):
        assert next_start == pytest.approx(start + seconds)
    assert "wait" in str(phases) and "ms" in str(phases)


def test_the_path_is_asked_for(service):
    phases = time_phases(service.address, f"{service.path}?delay=0.01")
    assert phases.wait < DELAY


def test_failures_are_explained():
    with helpers.Service(delay=DELAY) as stopped:
        address = stopped.address
    with pytest.raises(helpers.ServiceError, match="not running"):
        time_phases(address)


def test_bad_answers_and_timeouts_are_errors(service):
    with pytest.raises(helpers.BadResponse, match="HTTP 400"):
        time_phases(service.address, "/get_resource?delay=-3")
    with pytest.raises(helpers.ServiceError, match="slower than"):
        time_phases(service.address, "/get_resource?delay=2", timeout=0.2)


def test_no_socket_or_thread_is_left_behind(service):
    time_phases(service.address, service.path)  # warm up imports and caches
    before = snapshot()
    for _ in range(3):
        time_phases(service.address, service.path)
    with pytest.raises(helpers.BadResponse):
        time_phases(service.address, "/get_resource?delay=-3")
    assert not left_behind(before)


def test_median_durations_take_the_middle_request(service):
    phases = [time_phases(service.address, service.path) for _ in range(3)]
    medians = median_durations(phases)
    assert list(medians) == list(PHASES)
    assert sorted(p.wait for p in phases)[1] == medians["wait"]


def test_the_waiting_share_is_the_wait_over_the_whole_time(service):
    phases = [time_phases(service.address, service.path) for _ in range(2)]
    share = waiting_share(phases)
    assert share == pytest.approx(sum(p.wait for p in phases) / sum(p.total for p in phases))
    assert 0.8 < share < 1
