"""When the service fails, every strategy says what happened, and measure() reports nothing.

Each fault is staged for every strategy in helpers.strategies.STRATEGIES (a new one is
covered as soon as it is listed): the service killed mid-run, slower than the client's
timeout, stopped, nothing listening, and a loopback server that misbehaves in the ways
real servers do. Each must end in a CourseError whose message names the fault, within a
hard time bound, with no socket, thread or task left behind.
"""
import threading

import pytest

import helpers
from helpers.strategies import STRATEGIES

from support.fakes import FakeService, MisbehavingServer, free_port, shorten_client_timeouts
from support.leaks import left_behind, pending_tasks, snapshot
from support.timing import time_limit

N = 20                  # requests per run: enough for the concurrent strategies to overlap
KILL_AFTER = 0.4        # seconds into a run of one-second requests
CLIENT_TIMEOUT = 0.5    # seconds, for the "slower than the timeout" fault
STRATEGY_NAMES = sorted(STRATEGIES)


def http_reply(status_line, body, length=None):
    length = len(body) if length is None else length
    return (f"{status_line}\r\nContent-Type: text/plain\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n").encode() + body


# What the misbehaving server sends -> (the error, a pattern its message must match).
BAD_REPLIES = {
    "answers 500": (http_reply("HTTP/1.1 500 Internal Server Error", b"something broke"),
                    helpers.BadResponse, r"answered HTTP 500: something broke"),
    "cuts the body short": (http_reply("HTTP/1.1 200 OK", b"reso", length=8),
                            helpers.BadResponse, r"cut before the whole response arrived"),
    "hangs up without answering": (b"",
                                   helpers.BadResponse, r"cut before the whole response arrived"),
    # http.client takes the cut headers for empty ones (and so sees no body); a client
    # that reads to the end of the headers itself sees the cut.
    "cuts the headers short": (b"HTTP/1.1 200 OK\r\nContent-Len", helpers.BadResponse,
                               r"got b''.*cut short|cut before the whole response arrived"),
    "sends another body": (http_reply("HTTP/1.1 200 OK", b"nonsense"),
                           helpers.BadResponse, r"Expected the body b'resource', got b'nonsense'"),
    "does not speak HTTP": (b"SSH-2.0-OpenSSH_9.2\r\n",
                            helpers.BadResponse, r"not an HTTP response.*another program"),
}


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(60):
        yield


@pytest.fixture(scope="module")
def slow_service():
    """A service that takes longer than CLIENT_TIMEOUT to answer."""
    with helpers.Service(delay=4 * CLIENT_TIMEOUT) as service:
        yield service


def fails_cleanly(strategy, service, error_type, pattern, before=None):
    """measure() raises error_type matching pattern, and leaves nothing behind."""
    before = snapshot() if before is None else before
    with pytest.raises(error_type, match=pattern) as failure:
        helpers.measure(strategy, N, service)
    assert isinstance(failure.value, helpers.CourseError)
    # `failure` still holds the traceback, as a notebook does after an error: the
    # strategy must have closed its sockets itself, not left them to the garbage collector.
    assert not left_behind(before), "a socket or thread outlived the failed run"
    assert pending_tasks() == []
    return failure.value


@pytest.mark.parametrize("fault", sorted(BAD_REPLIES))
@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_misbehaving_server_is_named(name, fault):
    reply, error_type, pattern = BAD_REPLIES[fault]
    with MisbehavingServer(reply) as server:
        fails_cleanly(STRATEGIES[name].run, FakeService(server.address), error_type, pattern)


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_connection_refused_says_nothing_is_listening(name):
    service = FakeService(("127.0.0.1", free_port()))
    fails_cleanly(STRATEGIES[name].run, service, helpers.ServiceError,
                  r"Nothing is listening at .*not running")


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_service_slower_than_the_timeout_is_named(name, slow_service, monkeypatch):
    shorten_client_timeouts(monkeypatch, CLIENT_TIMEOUT)
    fails_cleanly(STRATEGIES[name].run, slow_service, helpers.ServiceError,
                  rf"within {CLIENT_TIMEOUT:g} s.*slower than")


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_service_killed_mid_run_is_named(name):
    with helpers.Service(delay=1.0) as service:
        before = snapshot()
        killer = threading.Timer(KILL_AFTER, service._process.kill)
        killer.start()
        try:
            error = fails_cleanly(STRATEGIES[name].run, service, helpers.ServiceError,
                                  r"stopped during the experiment", before=before)
        finally:
            killer.cancel()
            killer.join()
    assert "killed by SIGKILL" in str(error) or "did not answer" in str(error), error


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_stopped_service_says_how_to_start_one(name):
    service = helpers.Service(delay=0.1).start()
    service.stop()
    fails_cleanly(STRATEGIES[name].run, service, helpers.ServiceError, r"stopped.*start")


def test_a_sweep_reports_nothing_when_the_service_dies():
    with helpers.Service(delay=0.2) as service:
        def dies_after_the_first(n, svc):
            if n > 1:
                svc._process.kill()
            return STRATEGIES[STRATEGY_NAMES[0]].run(n, svc)

        with pytest.raises(helpers.ServiceError):
            helpers.sweep(dies_after_the_first, [1, 2, 3], service)
