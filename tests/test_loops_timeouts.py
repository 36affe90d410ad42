"""helpers.loops.timeouts: deadlines, and what they cancel."""
import time

import pytest

from helpers.loops.futures import CancelledError, Future
from helpers.loops.general import current_loop
from helpers.loops.tasks import run_main, sleep, spawn
from helpers.loops.timeouts import DeadlineExceeded, deadline, timeout

from support.tasks import answer_task, sleeping_task
from support.timing import time_limit


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(5):
        yield


def test_timeout_cancels_the_late_task_and_names_the_deadline():
    log = []

    def main_task():
        with pytest.raises(DeadlineExceeded) as raised:
            yield from timeout(0.02, sleeping_task(10, log))
        return raised.value

    start = time.monotonic()
    error = run_main(main_task())
    assert 0.02 <= time.monotonic() - start < 0.1
    assert "0.02 s" in str(error) and "sleeping_task" in str(error)
    assert error.seconds == 0.02 and isinstance(error, TimeoutError)
    assert log == ["finally"]


def test_timeout_returns_the_result_when_it_is_in_time():
    assert run_main(timeout(1, answer_task("on time", 0.01))) == "on time"


def test_timeout_guards_a_future_and_a_coroutine_too():
    async def answer(value):
        await sleep(0.01)
        return value

    def main_task():
        never = Future()
        with pytest.raises(DeadlineExceeded, match="the future it waited for"):
            yield from timeout(0.01, never)
        return never.cancelled(), (yield from timeout(1, answer("awaited")))

    assert run_main(main_task()) == (True, "awaited")


def test_a_deadline_guards_a_stretch_of_a_task_and_its_finally_blocks_run():
    log = []

    def request_task():
        with deadline(0.02, what="the request"):
            try:
                yield from sleep(10)
            finally:
                log.append("finally")

    start = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=r"the request did not finish within .* 0.02 s"):
        run_main(request_task())
    assert 0.02 <= time.monotonic() - start < 0.1
    assert log == ["finally"]


def test_a_deadline_met_leaves_no_timer_behind():
    def main_task():
        with deadline(3600):
            yield from sleep(0.01)
        timers = [when for when, _, handle in current_loop()._timers if not handle.cancelled]
        return timers

    start = time.monotonic()
    assert run_main(main_task()) == []
    assert time.monotonic() - start < 0.5


@pytest.mark.parametrize("shorter", ["inner", "outer"])
def test_nested_deadlines_the_shorter_one_is_named(shorter):
    inner_s, outer_s = (0.01, 0.05) if shorter == "inner" else (0.05, 0.01)

    def main_task():
        with deadline(outer_s, what="outer"):
            with deadline(inner_s, what="inner"):
                yield from sleep(10)

    with pytest.raises(DeadlineExceeded) as raised:
        run_main(main_task())
    assert str(raised.value).startswith(shorter)
    assert raised.value.seconds == min(inner_s, outer_s)


def test_a_cancellation_from_elsewhere_stays_a_cancellation():
    def guarded_task():
        with deadline(10):
            yield from sleep(10)

    def main_task():
        task = spawn(guarded_task())
        yield from sleep(0.01)
        task.cancel()
        with pytest.raises(CancelledError):
            yield from task
        return task.cancelled()

    assert run_main(main_task()) is True


def test_a_task_may_catch_the_cancellation_and_finish_within_its_block():
    def stubborn_task():
        with deadline(0.01):
            try:
                yield from sleep(10)
            except CancelledError:
                return "gave up quietly"

    assert run_main(stubborn_task()) == "gave up quietly"


def test_a_deadline_outside_a_task_says_so():
    with pytest.raises(RuntimeError, match="No event loop is running"):
        with deadline(1):
            pass
