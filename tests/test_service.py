"""The downstream service: concurrency, records, life cycle and bad input."""
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

import helpers
from helpers.service import process as service_module
from helpers.strategies import general_loop

from support.ci import skip_or_fail
from support.leaks import left_behind, snapshot
from support.network import listening_addresses
from support.processes import process_alive


@pytest.fixture
def service():
    with helpers.Service(delay=0.2) as s:
        yield s


def test_200_concurrent_requests_take_about_one_delay():
    """The service holds 200 at once. A client on the general loop opens them in a few
    milliseconds: 200 threads took over a second to start beside two CPU hogs."""
    with helpers.Service(delay=1.0) as s:
        result = helpers.measure(general_loop, 200, s)
    assert result.most_at_once == 200, result
    assert result.seconds < 1.0 + helpers.slack(200), result


def test_records_say_when_each_request_arrived_and_left(service):
    helpers.measure(helpers.strategies.serial, 3, service)
    records = service.stats().records
    assert len(records) == 3
    for r in records:
        assert r.answered - r.arrived >= 0.2 - 0.01
        assert r.delay == 0.2
    assert records[0].answered <= records[1].arrived  # serial: no overlap
    assert service.stats().most_at_once == 1


def test_reset_forgets_the_records(service):
    helpers.call_blocking(service.url)
    service.reset()
    assert service.stats().records == []


def test_delay_can_be_set_per_request(service):
    start = time.perf_counter()
    helpers.call_blocking(service.url_with_delay(0.01))
    assert time.perf_counter() - start < 0.15
    assert service.stats().records[-1].delay == 0.01


def test_the_environment_sets_the_default_delay(monkeypatch):
    monkeypatch.setenv("COURSE_DELAY", "0.3")
    assert helpers.default_delay() == 0.3
    assert helpers.Service().delay == 0.3
    monkeypatch.setenv("COURSE_DELAY", "slow")
    with pytest.raises(helpers.InvalidParameter, match="COURSE_DELAY"):
        helpers.default_delay()
    monkeypatch.delenv("COURSE_DELAY")
    assert helpers.default_delay() == 1.0


@pytest.mark.parametrize("bad", [-1, "fast", float("nan"), 1e6, None.__class__, True])
def test_bad_delays_are_refused_with_what_is_allowed(bad):
    with pytest.raises(helpers.InvalidParameter, match="delay"):
        helpers.Service(delay=bad)


def test_the_service_itself_refuses_a_bad_delay(service):
    with pytest.raises(helpers.BadResponse, match="HTTP 400.*0 seconds or more"):
        helpers.call_low_level(service.address, "/get_resource?delay=-3")
    with pytest.raises(helpers.BadResponse, match="HTTP 400.*longer than the service serves"):
        helpers.call_blocking(service.url + "?delay=3600")


def test_a_stopped_service_says_how_to_start_it():
    s = helpers.Service(delay=0.1).start()
    s.stop()
    s.stop()  # twice is fine
    with pytest.raises(helpers.ServiceError, match="stopped.*start"):
        s.url


def test_a_service_that_died_says_so():
    with helpers.Service(delay=0.1) as s:
        s._process.kill()
        s._process.wait()
        with pytest.raises(helpers.ServiceError, match="has exited"):
            s.stats()


def test_a_failed_start_shows_its_cause(tmp_path, monkeypatch):
    (tmp_path / "broken_service.py").write_text("raise RuntimeError('the port exploded')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(service_module, "SERVICE_MODULE", "broken_service")
    with pytest.raises(helpers.ServiceError, match="(?s)failed to start.*the port exploded"):
        helpers.Service(delay=0.1).start()


def test_it_binds_to_loopback_only(service):
    assert service.address[0] == "127.0.0.1"
    addresses = listening_addresses(service.port)
    if addresses is None:
        skip_or_fail("reading listening sockets needs Linux's /proc/net/tcp")
    assert addresses == {"127.0.0.1"}, f"the service listens on {addresses}"


def test_stopping_leaves_no_thread_descriptor_or_process():
    before = snapshot()
    s = helpers.Service(delay=0.05).start()
    helpers.measure(helpers.strategies.thread_pool, 20, s)
    pid = s.pid
    s.stop()
    assert not left_behind(before)
    assert not process_alive(pid)


def test_the_service_exits_when_its_parent_dies():
    # A parent that starts a service, reports its pid, and dies without cleaning up.
    parent = subprocess.run(
        [sys.executable, "-c", textwrap.dedent("""
            import os, helpers
            s = helpers.Service(delay=0.1).start()
            print(s.pid, flush=True)
            os._exit(1)
        """)], capture_output=True, text=True, timeout=30)
    pid = int(parent.stdout.split()[0])
    deadline = time.monotonic() + 5
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not process_alive(pid), "the orphaned service is still running"


def test_the_shared_service_is_reused_and_replaced_when_needed():
    first = helpers.shared_service(delay=0.1)
    assert helpers.shared_service(delay=0.1) is first
    first.stop()
    second = helpers.shared_service(delay=0.1)
    assert second is not first and second.running
    third = helpers.shared_service(delay=0.2)
    assert third.delay == 0.2 and not second.running
    third.stop()


def test_unknown_paths_get_a_404_that_lists_the_real_ones(service):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"http://127.0.0.1:{service.port}/nope", timeout=5)
    assert info.value.code == 404 and b"/get_resource" in info.value.read()


def test_the_shared_service_without_a_delay_keeps_the_running_one():
    first = helpers.shared_service(delay=0.15)
    assert helpers.shared_service() is first  # a solution file's call must not restart it
    first.stop()
