"""asyncio and uvloop streams: every request at once, every body checked, nothing left over,
also where an event loop already runs in this thread (a Jupyter kernel).

The faults every strategy must name (tests/test_faults.py) are staged there for these two
as for the others; here: the wording of each cut reply, the Jupyter case, and Ctrl-C in it.
"""
import asyncio
import importlib
import os
import threading
import time

import pytest

import helpers
from helpers.strategies import asyncio_streams, uvloop_streams
from helpers.strategies.asyncio_streams import checked_body

from support.signals import ctrl_c_after

# The module, not the function of the same name that helpers.strategies exports.
uvloop_module = importlib.import_module("helpers.strategies.uvloop_streams")

N = 200
DELAY = 0.5
STRATEGIES = [asyncio_streams, uvloop_streams]
WORKER = "course-asyncio-run"
WHERE = "127.0.0.1:1/get_resource"


SERVICE_DELAY = DELAY  # the conftest's module-scoped service runs at this delay
# Ctrl-C's requests ask for far longer than the interrupt takes, even on a busy machine
# (0.77 s seen under the whole suite's load): a run that waited for them shows.
CTRL_C_DELAY = 5.0


def descriptors():
    return len(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))


def workers_alive():
    return [t for t in threading.enumerate() if t.name == WORKER]


def needs_uvloop(strategy):
    if strategy is uvloop_streams and not uvloop_module.uvloop_available():
        pytest.skip("uvloop is not installed here")


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.__name__)
def test_n_requests_at_once_take_about_one_delay(strategy, service):
    needs_uvloop(strategy)
    before = descriptors()
    result = helpers.measure(strategy, N, service)
    assert result.most_at_once == N, result
    assert DELAY <= result.seconds < DELAY + helpers.slack(N), result
    assert descriptors() == before


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.__name__)
def test_it_runs_where_a_loop_already_runs_as_in_a_jupyter_kernel(strategy, service):
    needs_uvloop(strategy)
    before = descriptors()

    async def notebook_cell():  # ipykernel runs each cell inside its asyncio loop
        asyncio.get_running_loop()
        return strategy(5, service)

    assert asyncio.run(notebook_cell()) == [helpers.BODY] * 5
    assert workers_alive() == [] and descriptors() == before


@pytest.fixture(scope="module")
def slow_service():
    with helpers.Service(delay=CTRL_C_DELAY) as service:
        yield service


@pytest.mark.parametrize("strategy", STRATEGIES, ids=lambda s: s.__name__)
def test_ctrl_c_where_a_loop_already_runs_stops_it_cleanly(strategy, slow_service, service):
    """A kernel interrupt lands in the thread waiting for the worker: the run is cancelled,
    its connections closed, the worker thread ended, before KeyboardInterrupt goes on."""
    needs_uvloop(strategy)
    before = descriptors()

    async def notebook_cell():
        return strategy(N, slow_service)

    kernel_loop = asyncio.new_event_loop()  # run_until_complete: SIGINT raises, as in ipykernel
    start = time.perf_counter()
    try:
        with ctrl_c_after(0.2), pytest.raises(KeyboardInterrupt):
            kernel_loop.run_until_complete(notebook_cell())
    finally:
        kernel_loop.close()
    assert time.perf_counter() - start < CTRL_C_DELAY, "Ctrl-C waited for the requests to finish"
    assert workers_alive() == [] and descriptors() == before
    assert helpers.measure(strategy, 2, service).n == 2  # and the next run works


@pytest.mark.parametrize("reply, error, pattern", [
    (b"", helpers.BadResponse, r"cut before the whole response arrived"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nreso", helpers.BadResponse,
     r"cut before the whole response arrived"),
    (b"HTTP/1.1 200 OK\r\nContent-Len", helpers.BadResponse, r"got b''.*cut short"),
    (b"SSH-2.0-OpenSSH_9.2\r\n", helpers.BadResponse, r"not an HTTP response.*another program"),
    (b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nbang", helpers.BadResponse,
     r"answered HTTP 500: bang"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnope", helpers.BadResponse,
     r"Expected the body b'resource', got b'nope'"),
], ids=["nothing", "short body", "cut headers", "not HTTP", "500", "another body"])
def test_each_bad_reply_is_named_as_the_other_clients_name_it(reply, error, pattern):
    with pytest.raises(error, match=pattern):
        checked_body(reply, WHERE, 1.0)


def test_a_good_reply_gives_its_body():
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nresource"
    assert checked_body(reply, WHERE, 1.0) == helpers.BODY


def test_uvloop_streams_where_uvloop_is_missing_says_how_to_get_it(monkeypatch, service):
    monkeypatch.setattr(uvloop_module, "uvloop_available", lambda: False)
    with pytest.raises(helpers.CourseError, match=r"pip install 'uvloop>=0.19'"):
        uvloop_streams(1, service)
    assert "no Windows wheels" in uvloop_module.missing_uvloop()
