"""The operating system's limits: a clear error that names the limit and the way out.

- more requests at once than the open-file limit (`ulimit -n`) allows;
- more sockets than select() can watch (FD_SETSIZE, 1024) on the article's loop;
- a server whose listen backlog is full: clients must time out with a clear error.

Each must end in a helpers.CourseError within a hard time bound, never a hang.
"""
import contextlib
import json
import resource
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import helpers
from helpers.limits import FD_SETSIZE
from helpers.strategies import STRATEGIES

from support.ci import skip_or_fail
from support.fakes import FakeService, shorten_client_timeouts, silent_listener
from support.leaks import left_behind, snapshot
from support.timing import time_limit

ROOT = Path(__file__).resolve().parent.parent
STRATEGY_NAMES = sorted(STRATEGIES)


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(120):
        yield


# -- the open-file limit ---------------------------------------------------------------
LOW_LIMIT = 40            # open files, set as the soft limit in a child process
PAST_THE_LIMIT = 60       # requests: more sockets than LOW_LIMIT, were they all open at once

# Runs in a child process, so that lowering the limit cannot disturb the test run.
UNDER_A_LOW_LIMIT = textwrap.dedent(f"""
    import json, os, resource
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, ({LOW_LIMIT}, hard))
    import helpers
    from helpers.limits import raise_open_file_limit
    from helpers.strategies import STRATEGIES

    def descriptors():
        return len(os.listdir("/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"))

    try:  # libuv's first loop opens one pipe for the process's life: not a leak
        import uvloop
        uvloop.new_event_loop().close()
    except ImportError:
        pass

    with helpers.Service(delay=0.01) as service:
        start = descriptors()
        for name, strategy in sorted(STRATEGIES.items()):
            try:
                helpers.measure(strategy.run, {PAST_THE_LIMIT}, service)
                outcome = dict(name=name, error=None)
            except Exception as error:
                outcome = dict(name=name, error=type(error).__name__, message=str(error))
            outcome["leaked"] = descriptors() - start
            print(json.dumps(outcome), flush=True)
        raised = raise_open_file_limit()
        for name, strategy in sorted(STRATEGIES.items()):
            helpers.measure(strategy.run, {PAST_THE_LIMIT}, service)
        print(json.dumps(dict(raised_to=raised)), flush=True)
""")


def test_past_the_open_file_limit_every_strategy_works_or_says_how_to_raise_it():
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 4 * PAST_THE_LIMIT:
        skip_or_fail(f"the hard open-file limit ({hard}) is too low to raise past the test's need")
    run = subprocess.run([sys.executable, "-c", UNDER_A_LOW_LIMIT], cwd=ROOT, timeout=120,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    *outcomes, raised = [json.loads(line) for line in run.stdout.splitlines()]
    assert {o["name"] for o in outcomes} == set(STRATEGIES)

    for o in outcomes:
        assert o["leaked"] == 0, f"{o['name']} left {o['leaked']} descriptors open"
        if o["error"] is not None:
            assert o["error"] == "TooManySockets", o
            for explains in ("file descriptors", f"only {LOW_LIMIT} open files", "ulimit -n",
                             "raise_open_file_limit()", "smaller N"):
                assert explains in o["message"], (explains, o)
    # The article's loop opens every socket at once, so it must meet the limit.
    if "article_loop" in STRATEGIES:
        assert next(o for o in outcomes if o["name"] == "article_loop")["error"]
    # ... and the advice in the message works: the same N succeeds after raising it.
    assert raised["raised_to"] > PAST_THE_LIMIT


# -- FD_SETSIZE: select() cannot watch descriptor 1024 or above -------------------------
PAST_FD_SETSIZE = 1_100


def test_past_fd_setsize_the_select_loop_says_what_to_use_instead(room_past_fd_setsize):
    from helpers.strategies import article_loop

    with helpers.Service(delay=0.25) as service:
        before = snapshot()
        with pytest.raises(helpers.TooManySockets) as failure:
            helpers.measure(article_loop, PAST_FD_SETSIZE, service)
        message = str(failure.value)
        for explains in ("select()", f"below {FD_SETSIZE}", "FD_SETSIZE", "fewer requests",
                         "selectors.DefaultSelector()"):
            assert explains in message, (explains, message)
        assert not left_behind(before), "the failed run left sockets open"
        assert helpers.measure(article_loop, 10, service).n == 10


# -- the listen backlog ------------------------------------------------------------------
CLIENT_TIMEOUT = 1.0   # seconds; the default (30 s) would make this test slow, not different


@pytest.mark.parametrize("name", STRATEGY_NAMES)
def test_a_full_listen_backlog_ends_in_a_clear_timeout(name, monkeypatch):
    shorten_client_timeouts(monkeypatch, CLIENT_TIMEOUT)
    with silent_listener(backlog=1) as address:
        before = snapshot()
        start = time.perf_counter()
        with pytest.raises(helpers.ServiceError, match=r"(?s)within 1 s.*backlog") as failure:
            helpers.measure(STRATEGIES[name].run, 20, FakeService(address))
        took = time.perf_counter() - start
        assert not left_behind(before), "the failed run left sockets or threads behind"
    # At most a few timeouts in a row (a pool waits for its running calls), never a hang.
    assert took < 5 * CLIENT_TIMEOUT, f"{name} took {took:.1f} s to give up"
    assert "make fewer requests at once" in str(failure.value).lower()


@pytest.mark.parametrize("client", ["call_blocking", "call_low_level"])
def test_a_connect_that_times_out_says_the_server_did_not_accept_it(client):
    with silent_listener(backlog=1) as address, contextlib.ExitStack() as held:
        for _ in range(4):  # fill the backlog: Linux queues backlog + 1 connections
            sock = held.enter_context(socket.socket())
            sock.settimeout(0.3)
            try:
                sock.connect(address)
            except OSError:
                break  # full: this connect was not accepted either
        host, port = address
        call = {"call_blocking": lambda: helpers.call_blocking(
                    f"http://{host}:{port}/get_resource", timeout=CLIENT_TIMEOUT),
                "call_low_level": lambda: helpers.call_low_level(
                    address, timeout=CLIENT_TIMEOUT)}[client]
        with pytest.raises(helpers.ServiceError,
                           match=r"(?s)did not accept the connection.*backlog.*fewer requests"):
            call()


def test_the_service_backlog_holds_a_thousand_connects():
    """Its listen backlog is large (capped by the system), so it is never the bottleneck."""
    if not shutil.which("ss"):
        skip_or_fail("needs `ss` to read a socket's backlog")
    with helpers.Service(delay=0.1) as service:
        listing = subprocess.run(["ss", "-Hltn", f"sport = :{service.port}"],
                                 capture_output=True, text=True, timeout=10).stdout
    backlogs = [int(line.split()[2]) for line in listing.splitlines() if line.strip()]
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    assert backlogs and min(backlogs) >= min(1_000, somaxconn), listing
