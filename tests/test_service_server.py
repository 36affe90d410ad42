"""The service as another user of the machine meets it: over HTTP, without its secret.

/stats and /reset answer only the process that started the service; /get_resource
answers anyone, hand-written requests included. /stats reports the loop that runs and
the service's own share of a run, and those numbers hold what they claim.
"""
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

import helpers
from helpers.service.server import SECRET_HEADER
from helpers.service.settings import child_environment, uvloop_installed
from helpers.strategies import thread_pool_n

DELAY = 0.2
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


SERVICE_DELAY = DELAY  # the conftest's module-scoped service runs at this delay


def get(port, path, headers=None):
    """(status, body) of GET path, as a client that knows only what it is given."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("path", ["/stats", "/reset", "/stats?records=0"])
def test_a_client_without_the_secret_gets_a_403_that_says_what_is_missing(service, path):
    helpers.call_blocking(service.url)
    status, body = get(service.port, path)
    assert status == 403
    assert b"X-Course-Secret" in body and b"secret" in body
    assert b"records" not in body and b"resource" not in body  # nothing of the records
    assert len(service.stats().records) >= 1, "the refused /reset reset nothing"


def test_another_services_secret_does_not_open_this_one(service):
    with helpers.Service(delay=DELAY) as other:
        assert other._secret != service._secret
        status, body = get(service.port, "/reset", {SECRET_HEADER: other._secret})
        assert status == 403 and b"does not hold this service's secret" in body
        status, _body = get(other.port, "/stats", {SECRET_HEADER: other._secret})
        assert status == 200  # the same header opens its own service


def test_the_owner_reads_the_records_with_its_secret(service):
    status, body = get(service.port, "/stats", {SECRET_HEADER: service._secret})
    assert status == 200 and "records" in json.loads(body)


def test_the_resource_stays_plain_for_hand_written_requests(service):
    with socket.create_connection(service.address, timeout=10) as sock:
        sock.sendall(b"GET /get_resource?delay=0.01 HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = b""
        while chunk := sock.recv(4096):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 OK") and reply.endswith(helpers.BODY)


def test_the_secret_is_on_no_command_line_and_in_no_environment(service):
    secret = service._secret.encode()
    for part in ("cmdline", "environ"):
        path = f"/proc/{service.pid}/{part}"
        if not os.path.exists(path):
            pytest.skip("reading another process's arguments needs Linux's /proc")
        with open(path, "rb") as f:
            assert secret not in f.read(), f"the secret shows in {path}"


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_stats_and_the_repr_say_which_loop_runs(loop):
    if loop == "uvloop" and not uvloop_installed():
        pytest.skip("uvloop is not installed here")
    with helpers.Service(delay=0.05, loop=loop) as s:
        reported = s.stats().loop
        assert reported.split()[0] == loop and loop in repr(s)
        assert reported == s.loop_version
        helpers.call_blocking(s.url)  # and it serves
    if loop == "uvloop":
        import uvloop
        assert reported == f"uvloop {uvloop.__version__}"


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_the_services_share_is_sane(loop):
    if loop == "uvloop" and not uvloop_installed():
        pytest.skip("uvloop is not installed here")
    n = 50
    with helpers.Service(delay=DELAY, loop=loop) as s:
        helpers.measure(thread_pool_n, n, s)
        stats = s.stats()
        summary = s.stats(records=False)
    share, records = stats.share, stats.records
    assert share.answered == len(records) == n and summary.records is None
    # Never early: every answer left at least one delay after its request arrived
    # (up to the float rounding of epoch seconds); uvloop's timers count whole ms.
    assert all(r.answered - r.arrived >= r.delay - 1e-6 for r in records)
    assert 0 <= share.lateness_median <= share.lateness_p99 <= share.lateness_max
    latest = max(r.answered - r.arrived - r.delay for r in records)
    assert share.lateness_max == pytest.approx(max(0.0, latest))
    assert share.lateness_p99 < DELAY, f"the service answered late: {share}"
    arrivals = [r.arrived for r in records]
    assert share.arrival_spread == pytest.approx(max(arrivals) - min(arrivals))
    assert share.arrival_spread >= 0
    assert stats.most_at_once <= n
    # The service's own CPU: some, for n requests, and less than the run took on one core.
    assert 0 < share.cpu_seconds < DELAY + 5
    if os.path.exists("/proc/net/snmp"):
        assert isinstance(share.retransmissions, int) and share.retransmissions >= 0
        assert "system-wide" in share.retransmissions_scope
    else:
        assert share.retransmissions is None


def test_reset_starts_the_share_afresh(service):
    helpers.call_blocking(service.url_with_delay(0.01))
    service.reset()
    share = service.stats().share
    assert share.answered == 0 and share.arrival_spread is None and share.lateness_p99 is None


LEARNER_B = """
import json, sys, urllib.error, urllib.request
import helpers
from helpers.service.server import SECRET_HEADER
port = int(sys.argv[1])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
seen = {}
with helpers.Service(delay=0.05) as mine:  # learner B's own service and its own secret
    helpers.call_blocking(mine.url)
    for path in ("/stats", "/reset"):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={SECRET_HEADER: mine._secret})
        try:
            with opener.open(request, timeout=10) as reply:
                seen[path] = reply.status
        except urllib.error.HTTPError as error:
            seen[path] = error.code
    seen["own"] = len(mine.stats().records)
print(json.dumps(seen))
"""


def test_on_a_shared_host_another_learners_kernel_cannot_read_or_reset_these_records(service):
    """Two kernels, as two learners on one JupyterHub host: B, in its own process with
    its own service, knows only its own secret; A's records stay A's."""
    helpers.call_blocking(service.url)
    before = len(service.stats().records)
    done = subprocess.run([sys.executable, "-c", LEARNER_B, str(service.port)],
                          capture_output=True, text=True, timeout=60, env=child_environment())
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"/stats": 403, "/reset": 403, "own": 1}, (seen, done.stderr[-1000:])
    assert len(service.stats().records) == before, "B's refused /reset reset A's records"
