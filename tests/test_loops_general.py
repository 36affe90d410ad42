"""helpers.loops.general: the loop's ready queue, timer heap and selector, on their own."""
import socket
import time

import pytest

from helpers.loops.futures import Future
from helpers.loops.general import Deadlock, EventLoop, current_loop

from support.leaks import open_descriptors
from support.timing import time_limit


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(5):
        yield


@pytest.fixture
def loop():
    loop = EventLoop()
    yield loop
    loop.close()


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def finish_after(loop, seconds, value=None):
    """A future the loop fills in `seconds`: something for run_until_complete to wait on."""
    done = Future(loop)
    loop.call_later(seconds, done.set_result, value)
    return done


def test_call_soon_runs_callbacks_in_order_with_their_arguments(loop):
    calls = []
    for i in range(5):
        loop.call_soon(calls.append, i)
    assert calls == []  # nothing runs until the loop does
    loop.run_until_complete(finish_after(loop, 0))
    assert calls == [0, 1, 2, 3, 4]


def test_timers_fire_nearest_first_and_equal_ones_in_order_set(loop):
    fired = []
    for name, delay in [("c", 0.03), ("a1", 0.01), ("b", 0.02), ("now", 0), ("a2", 0.01)]:
        loop.call_later(delay, fired.append, name)
    loop.run_until_complete(finish_after(loop, 0.04))
    assert fired == ["now", "a1", "a2", "b", "c"]


def test_a_timer_never_fires_early(loop):
    start = loop.time()
    fired_at = []
    loop.call_later(0.02, lambda: fired_at.append(loop.time()))
    loop.run_until_complete(finish_after(loop, 0.03))
    assert fired_at and fired_at[0] - start >= 0.02


def test_a_cancelled_timer_does_not_run(loop):
    fired = []
    loop.call_later(0.01, fired.append, "cancelled").cancel()
    loop.call_soon(fired.append, "soon").cancel()
    loop.run_until_complete(finish_after(loop, 0.02))
    assert fired == []


def test_a_timer_an_hour_away_does_not_keep_the_loop_waiting(loop):
    fired = []
    hour = loop.call_later(3600, fired.append, "an hour later")
    start = time.monotonic()
    loop.run_until_complete(finish_after(loop, 0.01, "done"))  # main finishes first
    loop.call_later(0.01, hour.cancel)
    assert loop.run_until_complete(finish_after(loop, 0.02, "again")) == "again"
    assert time.monotonic() - start < 0.5
    assert fired == []


def test_a_cancelled_hour_long_timer_does_not_hide_a_deadlock(loop):
    loop.call_later(3600, print).cancel()
    start = time.monotonic()
    with pytest.raises(Deadlock):
        loop.run_until_complete(Future(loop))
    assert time.monotonic() - start < 0.5


def test_waiting_on_what_nothing_will_ever_set_is_a_clear_error(loop):
    never = Future(loop)
    with pytest.raises(Deadlock, match="set_result") as raised:
        loop.run_until_complete(never)
    assert "no timer" in str(raised.value) and "no socket" in str(raised.value)
    assert isinstance(raised.value, RuntimeError)


def test_a_reader_runs_when_its_socket_becomes_readable(loop, pair):
    a, b = pair
    start = loop.time()
    readable_at = Future(loop)
    loop.add_reader(a, lambda: readable_at.done() or readable_at.set_result(loop.time()))
    loop.call_later(0.02, b.send, b"x")  # the loop sleeps in select() until then
    assert loop.run_until_complete(readable_at) - start >= 0.02
    assert loop.remove_reader(a) is True
    assert loop.remove_reader(a) is False  # nothing left to remove


def test_a_writer_runs_when_its_socket_can_take_data(loop, pair):
    a, _ = pair
    writable = Future(loop)
    loop.add_writer(a, writable.set_result, "writable")
    assert loop.run_until_complete(writable) == "writable"
    assert loop.remove_writer(a) is True
    assert loop.remove_writer(a) is False


def test_one_socket_can_have_a_reader_and_a_writer(loop, pair):
    a, b = pair
    seen = set()
    both = Future(loop)

    def saw(what):
        seen.add(what)
        if seen == {"read", "write"} and not both.done():
            both.set_result(None)

    loop.add_reader(a, saw, "read")
    loop.add_writer(a, saw, "write")
    b.send(b"x")
    loop.run_until_complete(both)
    assert loop.remove_writer(a) is True
    assert loop.remove_reader(a) is True  # still registered after the writer left


def test_a_second_reader_on_one_socket_is_refused(loop, pair):
    a, _ = pair
    loop.add_reader(a, print)
    with pytest.raises(RuntimeError, match="one task at a time"):
        loop.add_reader(a, print)
    loop.remove_reader(a)


def test_a_removed_reader_does_not_run_even_if_already_selected(loop):
    pairs = [socket.socketpair(), socket.socketpair()]
    try:
        ran = []

        def read(mine, other):
            ran.append(mine)
            loop.remove_reader(mine)
            loop.remove_reader(other)  # select() reported both this turn

        (a1, b1), (a2, b2) = pairs
        loop.add_reader(a1, read, a1, a2)
        loop.add_reader(a2, read, a2, a1)
        b1.send(b"x")
        b2.send(b"x")
        loop.run_until_complete(finish_after(loop, 0.01))
        assert len(ran) == 1
    finally:
        for sock in sum(pairs, ()):
            sock.close()


def test_a_failing_callback_is_reported_and_the_loop_goes_on(loop, capsys):
    loop.call_soon(lambda: 1 / 0)
    assert loop.run_until_complete(finish_after(loop, 0, "still running")) == "still running"
    err = capsys.readouterr().err
    assert "Exception in callback" in err and "ZeroDivisionError" in err


def test_close_reports_a_failure_nobody_retrieved(capsys):
    loop = EventLoop()
    Future(loop).set_exception(ValueError("nobody asked about this"))
    loop.close()
    err = capsys.readouterr().err
    assert "never retrieved" in err and "nobody asked about this" in err


def test_close_frees_the_selector_and_may_be_repeated():
    before = open_descriptors()
    loop = EventLoop()
    loop.close()
    loop.close()
    assert open_descriptors() == before


def test_current_loop_is_the_running_one_and_only_while_it_runs(loop):
    with pytest.raises(RuntimeError, match="No event loop is running"):
        current_loop()
    seen = []
    loop.call_soon(lambda: seen.append(current_loop()))
    loop.run_until_complete(finish_after(loop, 0))
    assert seen == [loop]
    with pytest.raises(RuntimeError):
        current_loop()


def test_a_loop_inside_a_running_loop_is_refused_and_the_outer_one_goes_on(loop):
    inner = EventLoop()
    errors, still_running = [], []

    def nest():
        try:
            inner.run_until_complete(finish_after(inner, 0))
        except RuntimeError as error:
            errors.append(error)
        still_running.append(current_loop())

    loop.call_soon(nest)
    loop.run_until_complete(finish_after(loop, 0))
    inner.close()
    assert "already running" in str(errors[0])
    assert still_running == [loop]


def test_run_until_complete_wants_a_future_and_says_what_to_do_with_a_generator(loop):
    def work_task():
        yield

    with pytest.raises(TypeError, match=r"run_main\(main\)"):
        loop.run_until_complete(work_task())
