"""helpers.loops.tasks: tasks, the ways they wait, and how they fail and are cancelled."""
import errno
import math
import socket
import time

import pytest

from helpers.errors import InvalidParameter
from helpers.loops.futures import CancelledError, Future
from helpers.loops.general import Deadlock, EventLoop, current_loop
from helpers.loops.locks import Semaphore
from helpers.loops.tasks import (Task, current_task, first_completed, gather, readable,
                                 run_main, sleep, spawn, writable)
from helpers.loops.timeouts import timeout

from support.leaks import open_descriptors
from support.tasks import answer_task, failing_task, sleeping_task
from support.timing import time_limit


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(5):
        yield


# -- results, exceptions and who they reach --------------------------------------------
def test_run_returns_what_main_returns():
    assert run_main(answer_task("resource", 0.01)) == "resource"


def test_a_call_that_needs_another_calls_answer_waits_for_it_with_yield_from():
    def lookup_task():
        yield from sleep(0.01)
        return "/get_resource"

    def fetch_task():
        path = yield from lookup_task()        # a sub-generator, stepped in place
        length = yield from spawn(answer_task(len(path), 0.01))  # or another task
        return path, length

    assert run_main(fetch_task()) == ("/get_resource", 13)


def test_an_exception_reaches_the_task_that_waits(capsys):
    def waiter_task():
        try:
            yield from spawn(failing_task(ValueError("bad body"), 0.01))
        except ValueError as error:
            return f"caught: {error}"

    assert run_main(waiter_task()) == "caught: bad body"
    assert capsys.readouterr().err == ""  # it was retrieved: nothing to report


def test_a_failing_task_fails_its_waiter_and_not_the_others():
    def main_task():
        failing = spawn(failing_task(ValueError("broken"), 0.01))

        def waiter_task():
            return (yield from failing)

        waiter = spawn(waiter_task())
        other = spawn(answer_task("fine", 0.02))
        result = yield from other
        yield from sleep(0)
        return failing, waiter, result

    failing, waiter, result = run_main(main_task())
    assert result == "fine"
    assert isinstance(waiter.exception(), ValueError)
    assert waiter.exception() is failing.exception()


def test_one_result_reaches_several_waiters():
    def main_task():
        shared = spawn(answer_task(42, 0.01))

        def waiter_task():
            return (yield from shared) + 1

        return (yield from gather(waiter_task(), waiter_task(), shared))

    assert run_main(main_task()) == [43, 43, 42]


def test_current_task_is_the_task_being_stepped_and_only_inside_one():
    def whoami_task():
        yield from sleep(0)
        return current_task()

    def main_task():
        me = current_task()
        other = spawn(whoami_task())
        return me, other, (yield from other), current_task()

    me, other, other_saw, me_again = run_main(main_task())
    assert other_saw is other and me_again is me and me.name.endswith("main_task")
    with pytest.raises(RuntimeError, match="No event loop is running"):
        current_task()
    loop = EventLoop()
    try:
        seen = []
        loop.call_soon(lambda: seen.append(pytest.raises(RuntimeError, current_task)))
        loop.run_until_complete(Task(answer_task(None), loop))
        assert "No task is running" in str(seen[0].value)  # a plain callback is no task
    finally:
        loop.close()


def test_a_task_made_on_a_loop_before_it_runs_is_driven_by_run_until_complete():
    loop = EventLoop()
    try:
        task = Task(answer_task("by hand", 0.01), loop)
        assert repr(task) == "<Task answer_task pending>"
        assert loop.run_until_complete(task) == "by hand"
        assert repr(task) == "<Task answer_task finished>"
    finally:
        loop.close()


def test_an_exception_nobody_waits_for_is_reported_when_run_ends(capsys):
    def main_task():
        spawn(failing_task(ValueError("lost in the background")))
        yield from sleep(0.01)
        return "main is fine"

    assert run_main(main_task()) == "main is fine"
    err = capsys.readouterr().err
    assert "Task exception was never retrieved" in err
    assert "failing_task" in err and "lost in the background" in err


def test_waiting_on_a_future_nothing_will_set_is_a_clear_error_not_a_hang():
    def stuck_task():
        yield from Future()

    start = time.monotonic()
    with pytest.raises(Deadlock):
        run_main(stuck_task())
    assert time.monotonic() - start < 0.5


def test_run_inside_a_running_loop_is_refused():
    def main_task():
        nested = answer_task(1)
        try:
            run_main(nested)
        except RuntimeError as error:
            return str(error)
        finally:
            nested.close()
        yield

    assert "inside a running loop" in run_main(main_task())


# -- gather and first_completed --------------------------------------------------------
def test_gather_returns_results_in_the_order_given_not_the_order_finished():
    start = time.monotonic()
    results = run_main(gather(answer_task("slow", 0.04), answer_task("fast", 0.01),
                         answer_task("middle", 0.02)))
    assert results == ["slow", "fast", "middle"]
    assert time.monotonic() - start < 0.07  # side by side: about the longest, not the sum


def test_gather_takes_futures_too_and_nothing_at_all():
    def main_task():
        fut = Future()
        current_loop().call_later(0.01, fut.set_result, "from a timer")
        return (yield from gather(fut, answer_task(2))), (yield from gather())

    assert run_main(main_task()) == (["from a timer", 2], [])


def test_gather_fails_at_the_first_failure_and_leaves_the_others_running():
    def main_task():
        slow = spawn(answer_task("slow but fine", 0.5))  # generous slack: shared machines
        start = time.monotonic()
        with pytest.raises(ValueError, match="first"):
            yield from gather(slow, failing_task(ValueError("first"), 0.01))
        failed_after = time.monotonic() - start
        assert not slow.done(), "gather cancelled the others (asyncio does not)"
        return failed_after, (yield from slow)

    failed_after, slow_result = run_main(main_task())
    assert failed_after < 0.4
    assert slow_result == "slow but fine"


def test_cancelling_a_gather_cancels_what_it_gathers():
    log = []

    def gathering_task():
        return (yield from gather(sleeping_task(10, log), sleeping_task(10, log)))

    def main_task():
        gathering = spawn(gathering_task())
        yield from sleep(0.01)
        gathering.cancel()
        yield from sleep(0.01)
        return gathering

    assert run_main(main_task()).cancelled()
    assert log == ["finally", "finally"]


def test_first_completed_returns_the_first_done_and_cancels_the_rest():
    log = []

    def main_task():
        fast = spawn(answer_task("fast", 0.01))
        winner = yield from first_completed(sleeping_task(10, log), fast,
                                            sleeping_task(10, log))
        yield from sleep(0)  # the losers' finally blocks run on the next turn
        return winner is fast, winner.result()

    start = time.monotonic()
    assert run_main(main_task()) == (True, "fast")
    assert time.monotonic() - start < 0.1
    assert log == ["finally", "finally"]


def test_first_completed_returns_a_failure_too_and_wants_something_to_wait_for():
    def main_task():
        first = yield from first_completed(failing_task(KeyError("gone")), answer_task(1, 1))
        with pytest.raises(KeyError):
            first.result()
        with pytest.raises(InvalidParameter, match="at least one"):
            yield from first_completed()
        return "ok"

    assert run_main(main_task()) == "ok"


# -- sleep and the timer heap ----------------------------------------------------------
def test_sleepers_wake_in_order_of_their_deadlines():
    woke = []

    def napper_task(name, seconds):
        yield from sleep(seconds)
        woke.append(name)

    run_main(gather(*(napper_task(name, seconds) for name, seconds in
                 [("c", 0.03), ("a", 0.01), ("zero", 0), ("b", 0.02)])))
    assert woke == ["zero", "a", "b", "c"]


def test_sleep_zero_lets_the_others_run():
    turns = []

    def turn_task(name):
        for _ in range(3):
            turns.append(name)
            yield from sleep(0)

    run_main(gather(turn_task("a"), turn_task("b")))
    assert turns == ["a", "b", "a", "b", "a", "b"]


def test_an_hour_long_sleep_does_not_keep_run_waiting():
    log = []

    def main_task():
        spawn(sleeping_task(3600, log))   # left running: run_main() cancels it at the end
        guarded = yield from timeout(3600, answer_task("quick", 0.01))
        return guarded

    start = time.monotonic()
    assert run_main(main_task()) == "quick"
    assert time.monotonic() - start < 0.5
    assert log == ["finally"]


def test_a_thousand_sleeping_tasks_cost_almost_no_cpu():
    def main_task():
        sleepers = [spawn(sleeping_task(0.5)) for _ in range(1000)]
        yield from sleep(0.05)  # let every task reach its sleep
        wall, cpu = time.perf_counter(), time.process_time()
        yield from sleep(0.4)   # all 1,000 asleep: the loop should be asleep in select()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return (yield from gather(*sleepers)), wall, cpu

    results, wall, cpu = run_main(main_task())
    assert results == ["woke"] * 1000
    assert wall >= 0.4
    assert cpu < 0.03 * wall, f"{cpu:.3f} s of CPU in {wall:.3f} s: is the loop busy-waiting?"


# -- sockets: readable, writable, and cleaning up --------------------------------------
def test_readable_and_writable_wait_for_a_socket():
    a, b = socket.socketpair()

    def reader_task():
        yield from readable(a)
        first = a.recv(100)
        yield from readable(a)  # readable() unregistered itself: waiting again is fine
        return first + a.recv(100)

    def writer_task():
        yield from writable(b)
        yield from sleep(0.01)
        b.send(b"hello ")
        yield from sleep(0.01)
        b.send(b"loop")

    try:
        start = time.monotonic()
        assert run_main(gather(reader_task(), writer_task())) == [b"hello loop", None]
        assert time.monotonic() - start >= 0.02  # it waited, it did not guess
    finally:
        a.close()
        b.close()


def test_a_fully_non_blocking_connect_send_and_receive_over_loopback():
    def server_task(listener):
        yield from readable(listener)  # a connection is waiting to be accepted
        conn, _ = listener.accept()
        with conn:
            conn.setblocking(False)
            yield from readable(conn)
            request = conn.recv(100)
            yield from writable(conn)
            conn.send(request.upper())

    def client_task(address):
        with socket.socket() as sock:
            sock.setblocking(False)
            assert sock.connect_ex(address) in (0, errno.EINPROGRESS, errno.EAGAIN)
            yield from writable(sock)  # writable once connected (or refused)
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
            sock.send(b"get /resource")
            yield from readable(sock)
            return sock.recv(100)

    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        address = listener.getsockname()
        assert run_main(gather(client_task(address), server_task(listener))) == \
            [b"GET /RESOURCE", None]


def connection_task(opened, error=None):
    """Hold a socket pair, waiting to read; close both in `finally`, whatever happens."""
    a, b = socket.socketpair()
    opened.extend([a, b])
    try:
        if error is not None:
            current_loop().call_later(0.01, b.send, b"x")
            yield from readable(a)
            raise error
        yield from readable(a)
    finally:
        a.close()
        b.close()


def test_cancelling_a_task_runs_its_finally_and_closes_its_socket():
    opened = []

    def main_task():
        task = spawn(connection_task(opened))
        yield from sleep(0.01)
        assert opened[0].fileno() != -1
        assert task.cancel() is True
        yield from sleep(0)
        return task, current_loop().remove_reader(opened[0])

    task, reader_was_left = run_main(main_task())
    assert task.cancelled()
    assert [sock.fileno() for sock in opened] == [-1, -1]
    assert reader_was_left is False


@pytest.mark.parametrize("ending", ["cancelled", "failed", "left running by main"])
def test_no_descriptor_outlives_a_task_however_it_ends(ending):
    opened = []

    def main_task():
        error = ConnectionResetError("peer went away") if ending == "failed" else None
        task = spawn(connection_task(opened, error))
        yield from sleep(0.02)
        if ending == "cancelled":
            task.cancel()
        if ending != "left running by main":
            with pytest.raises((CancelledError, ConnectionResetError)):
                yield from task

    before = open_descriptors()
    run_main(main_task())
    assert len(opened) == 2 and all(sock.fileno() == -1 for sock in opened)
    assert open_descriptors() == before  # the loop's selector is closed too


def test_ctrl_c_in_a_task_stops_run_and_still_closes_the_others_sockets():
    opened = []

    def interrupted_task():
        yield from sleep(0.01)
        raise KeyboardInterrupt

    def main_task():
        spawn(connection_task(opened))
        yield from interrupted_task()

    before = open_descriptors()
    with pytest.raises(KeyboardInterrupt):
        run_main(main_task())
    assert all(sock.fileno() == -1 for sock in opened)
    assert open_descriptors() == before


# -- cancellation ----------------------------------------------------------------------
def test_a_task_waiting_on_a_cancelled_task_gets_cancelled_error():
    def main_task():
        inner = spawn(sleeping_task(10))

        def careless_task():
            return (yield from inner)

        def careful_task():
            try:
                yield from inner
            except CancelledError:
                return "saw the cancellation"

        careless, careful = spawn(careless_task()), spawn(careful_task())
        yield from sleep(0.01)
        inner.cancel()
        return careless, (yield from careful)

    careless, careful_result = run_main(main_task())
    assert careless.cancelled()
    assert careful_result == "saw the cancellation"


def test_cancelling_a_waiter_cancels_the_task_it_waits_on():
    log = []

    def main_task():
        inner = spawn(sleeping_task(10, log))

        def waiter_task():
            return (yield from inner)

        waiter = spawn(waiter_task())
        yield from sleep(0.01)
        waiter.cancel()
        yield from sleep(0)
        return inner, waiter

    inner, waiter = run_main(main_task())
    assert waiter.cancelled() and inner.cancelled()
    assert log == ["finally"]


def test_a_task_cancelled_before_it_starts_never_runs():
    started = []

    def never_task():
        started.append(True)
        yield from sleep(0)

    def main_task():
        task = spawn(never_task())
        task.cancel()
        yield from sleep(0)
        return task

    assert run_main(main_task()).cancelled()
    assert started == []


def test_a_task_may_catch_its_cancellation_and_finish_anyway():
    def stubborn_task():
        try:
            yield from sleep(10)
        except CancelledError:
            return "cleaned up and returned"

    def main_task():
        task = spawn(stubborn_task())
        yield from sleep(0.01)
        task.cancel()
        return (yield from task)

    assert run_main(main_task()) == "cleaned up and returned"


# -- coroutines, and what a task may yield ---------------------------------------------
def test_an_async_def_coroutine_runs_on_the_loop():
    limit = Semaphore(1)

    async def fetch(value):
        async with limit:
            await sleep(0.01)
        return value

    async def main():
        fut = Future()
        current_loop().call_later(0.01, fut.set_result, "from a future")
        from_future = await fut
        from_task = await spawn(fetch("from a task"))
        both = await gather(fetch(1), fetch(2))
        return from_future, from_task, both

    assert run_main(main()) == ("from a future", "from a task", [1, 2])


def test_a_task_that_yields_something_else_gets_a_clear_type_error():
    def old_style_task(sock):
        try:
            yield sock  # notebook 05's loop wanted the socket itself
        except TypeError as error:
            return str(error)

    a, b = socket.socketpair()
    try:
        message = run_main(old_style_task(a))
    finally:
        a.close()
        b.close()
    assert "old_style_task yielded <socket.socket" in message and "(socket)" in message
    assert "yield from readable(sock)" in message

    def bare_yield_task():
        yield 42

    with pytest.raises(TypeError, match=r"yielded 42 \(int\)"):
        run_main(bare_yield_task())


# -- bad arguments, refused at the edge -------------------------------------------------
@pytest.mark.parametrize("seconds", [-1, -0.5, math.nan, math.inf, -math.inf, True, "1",
                                     None, 10**400, -10**400])
def test_sleep_and_timeout_refuse_what_is_not_a_finite_number_of_seconds(seconds):
    says_what_is_allowed = (r"^seconds must be (a number of seconds|0 seconds or more|"
                            r"a finite number of seconds)")
    with pytest.raises(InvalidParameter, match=says_what_is_allowed):
        sleep(seconds)
    with pytest.raises(InvalidParameter, match=says_what_is_allowed):
        timeout(seconds, answer_task(1))


def test_sleep_allows_any_finite_length_an_hour_too():
    for seconds in (0, 0.001, 61, 3600, 10**6):
        sleep(seconds).close()  # no cap: only the service limits its own delay


def test_a_negative_sleep_says_what_is_allowed():
    with pytest.raises(InvalidParameter, match=r"seconds must be 0 seconds or more; got -1\b"):
        sleep(-1)


def test_run_spawn_and_timeout_want_a_generator_or_coroutine_and_say_so():
    with pytest.raises(InvalidParameter, match="main must be .*call the function"):
        run_main(answer_task)
    with pytest.raises(InvalidParameter, match="main must be"):
        run_main(42)
    with pytest.raises(InvalidParameter, match="awaitable must be"):
        timeout(1, answer_task)

    def main_task():
        with pytest.raises(InvalidParameter, match="coro must be"):
            spawn(answer_task)
        with pytest.raises(InvalidParameter, match=r"awaitables\[1\] must be"):
            yield from gather(answer_task(1), "not a task")
        return "refused"

    assert run_main(main_task()) == "refused"
