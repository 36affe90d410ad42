"""Ctrl-C (a kernel interrupt) in the middle of any strategy leaves nothing behind.

Jupyter interrupts a kernel by sending it SIGINT; here a timer thread sends SIGINT to
the main thread while helpers.measure() runs N = 1,000 one-second requests, for every
strategy in helpers.strategies.STRATEGIES (a new one is covered as soon as it is
listed). Afterwards the process must be back to the sockets and threads it had before,
with no task left suspended, and the next measure() must work.
"""
import itertools
import resource
import socket
import threading
import time

import pytest

import helpers
from helpers.limits import raise_open_file_limit, select_wall
from helpers.strategies import STRATEGIES

from support.ci import skip_or_fail
from support.leaks import left_behind, pending_tasks, process_counts, snapshot
from support.signals import ctrl_c_after
from support.timing import time_limit

N = 1_000
DELAY = 1.0             # seconds per request: the run is still going when Ctrl-C comes
SERVICE_DELAY = DELAY   # read by the `service` fixture (tests/conftest.py)
INTERRUPT_AFTER = 0.4   # seconds into the run
CLEAN_WITHIN = 5.0      # seconds for threads to finish and sockets to close


@pytest.fixture(scope="module", autouse=True)
def room_for_n_sockets():
    """N sockets need an open-file limit above N (macOS starts at 256); put it back after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if raise_open_file_limit() < N + 100:
        skip_or_fail(f"the open-file limit (hard {hard}) is too low for {N:,} sockets")
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def requests_for(name):
    """N, or fewer for the select() loop: it can watch only the descriptor numbers below
    FD_SETSIZE still free in this process (a test worker holds more than a fresh one)."""
    return min(N, select_wall() - 10) if name == "article_loop" else N


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_ctrl_c_mid_run_leaves_nothing_behind(name, service):
    strategy = STRATEGIES[name].run
    before = snapshot()
    with time_limit(60):
        start = time.perf_counter()
        with ctrl_c_after(INTERRUPT_AFTER), pytest.raises(KeyboardInterrupt) as interrupted:
            helpers.measure(strategy, requests_for(name), service)
        stopped_after = time.perf_counter() - start
        assert stopped_after < INTERRUPT_AFTER + 2 * DELAY, \
            f"{name} took {stopped_after:.1f} s to stop after Ctrl-C"

        # `interrupted` keeps the traceback alive, as IPython does after a Ctrl-C: the
        # strategy must close its sockets itself, not leave them to the garbage collector.
        left = left_behind(before, timeout=CLEAN_WITHIN)
        assert not left, f"{name} left sockets or threads behind: {left}"
        assert pending_tasks() == [], f"{name} left tasks suspended"
        del interrupted

        again = helpers.measure(strategy, 2, service)
        assert again.n == 2 and again.seconds >= DELAY


def ctrl_c_inside_the_second_connect(monkeypatch):
    """Make Ctrl-C land inside socket.create_connection(), after the socket exists and
    before it is returned: the standard library closes a half-made socket only on
    OSError, so the traceback a notebook keeps after Ctrl-C would hold it open.
    Clients that connect without blocking get it inside their second connect_ex()."""
    real_create_connection = socket.create_connection
    real_connect_ex = socket.socket.connect_ex
    calls, nonblocking_calls = itertools.count(), itertools.count()

    def interrupted_midway(address, *args, **kwargs):
        if next(calls) == 1:  # the second connection: one request is already under way
            half_made = socket.socket()  # noqa: F841 (held by this frame, as in the stdlib)
            raise KeyboardInterrupt
        return real_create_connection(address, *args, **kwargs)

    def connect_ex_interrupted(sock, address):
        if next(nonblocking_calls) == 1:  # the socket exists: closing it is the client's job
            raise KeyboardInterrupt
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket, "create_connection", interrupted_midway)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex_interrupted)


def leaves_no_socket(run, what):
    before = snapshot()
    with time_limit(30), pytest.raises(KeyboardInterrupt) as interrupted:
        run()
    left = left_behind(before, timeout=CLEAN_WITHIN)
    assert not left, f"{what} left a socket behind: {left}"
    assert pending_tasks() == []
    del interrupted


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_ctrl_c_in_the_middle_of_a_connect_leaves_no_socket(name, service, monkeypatch):
    ctrl_c_inside_the_second_connect(monkeypatch)
    strategy, connects = STRATEGIES[name].run, []

    def spied(n, svc):
        """The strategy, skipped if it never calls socket.create_connection() itself."""
        interrupting = socket.create_connection
        with monkeypatch.context() as patch:
            patch.setattr(socket, "create_connection",
                          lambda *a, **k: connects.append(a) or interrupting(*a, **k))
            bodies = strategy(n, svc)
        if not connects:  # asyncio, uvloop and raw sockets connect by other means
            pytest.skip(f"{name} never calls socket.create_connection(); a Ctrl-C in its "
                        "connects is covered by test_ctrl_c_mid_run_leaves_nothing_behind")
        return bodies

    leaves_no_socket(lambda: helpers.measure(spied, N, service), name)


def test_ctrl_c_in_the_middle_of_a_connect_called_without_measure(service, monkeypatch):
    """Notebooks also call the loop directly, without measure()."""
    from helpers.strategies import article_loop

    ctrl_c_inside_the_second_connect(monkeypatch)
    leaves_no_socket(lambda: article_loop(N, service), "article_loop called directly")


def test_ctrl_c_while_the_service_starts_leaves_no_process(monkeypatch):
    # Deterministic: Ctrl-C arrives once the child process exists, before it is ready.
    def interrupted(self, deadline):
        raise KeyboardInterrupt

    monkeypatch.setattr(helpers.Service, "_wait_until_answering", interrupted)
    before_children = process_counts()["children"]
    before = snapshot()
    with time_limit(30), pytest.raises(KeyboardInterrupt) as info:
        helpers.Service(delay=0.1).start()
    assert not left_behind(before), "the half-started service kept its pipes open"
    assert process_counts()["children"] == before_children, \
        "a half-started service process outlived the interrupt"
    del info


# -- what the interrupt says ----------------------------------------------------------------
def test_ctrl_c_says_what_stopped_and_that_it_was_cleaned_up(service):
    with time_limit(60), ctrl_c_after(INTERRUPT_AFTER), \
            pytest.raises(helpers.MeasurementInterrupted) as interrupted:
        helpers.measure(STRATEGIES["thread_pool"].run, N, service)
    assert isinstance(interrupted.value, KeyboardInterrupt), "whatever stops on Ctrl-C still must"
    assert not isinstance(interrupted.value, Exception), "`except Exception` must not eat Ctrl-C"
    assert str(interrupted.value) == (
        f"Interrupted: the measurement of thread_pool with N={N} stopped; its sockets and "
        "threads are closed. Run the cell again, with a smaller N if it was slow.")
    assert isinstance(interrupted.value.__cause__, KeyboardInterrupt), "the original, for %tb"


LEFT_BEHIND = []


def leaves_a_thread_and_a_socket(n, service):
    """A learner's strategy that cleans up nothing when interrupted."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, args=(5,), name="left-behind")
    LEFT_BEHIND.extend([stop, thread, socket.socket()])
    thread.start()
    time.sleep(10)


def test_ctrl_c_says_what_a_strategy_left_open_instead_of_claiming_it_closed(service):
    try:
        with time_limit(60), ctrl_c_after(INTERRUPT_AFTER), \
                pytest.raises(helpers.MeasurementInterrupted) as interrupted:
            helpers.measure(leaves_a_thread_and_a_socket, 3, service)
        message = str(interrupted.value)
        assert message.startswith("Interrupted: the measurement of leaves_a_thread_and_a_socket "
                                  "with N=3 stopped, but with 1 thread it started still running "
                                  "and 1 socket it opened still open: "), message
        assert "restart the kernel" in message and "are closed" not in message, message
    finally:
        stop, thread, sock = LEFT_BEHIND
        stop.set()
        thread.join()
        sock.close()
        LEFT_BEHIND.clear()
