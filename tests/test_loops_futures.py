"""helpers.loops.futures: a result still to come, and who is told when it comes."""
import pytest

from helpers.errors import CourseError
from helpers.loops.futures import CancelledError, Future, InvalidStateError
from helpers.loops.general import EventLoop

from support.timing import time_limit


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(5):
        yield


@pytest.fixture
def loop():
    loop = EventLoop()
    yield loop
    loop.unretrieved.clear()  # these tests fail futures on purpose
    loop.close()


def run_callbacks(loop):
    """Run what is queued so far: callbacks never run inside set_result itself."""
    finished = Future(loop)
    loop.call_soon(finished.set_result, None)
    loop.run_until_complete(finished)


def test_a_new_future_is_pending_and_has_no_result_yet(loop):
    fut = Future(loop)
    assert not fut.done() and not fut.cancelled()
    with pytest.raises(InvalidStateError, match="not done yet"):
        fut.result()
    with pytest.raises(InvalidStateError, match="yield from fut"):
        fut.exception()
    assert issubclass(InvalidStateError, CourseError)


def test_set_result_reaches_result(loop):
    fut = Future(loop)
    fut.set_result(42)
    assert fut.done() and not fut.cancelled()
    assert fut.result() == 42
    assert fut.exception() is None


def test_set_exception_is_raised_by_result_and_returned_by_exception(loop):
    fut = Future(loop)
    error = ValueError("no such resource")
    fut.set_exception(error)
    assert fut.done()
    assert fut.exception() is error
    with pytest.raises(ValueError, match="no such resource"):
        fut.result()


def test_an_exception_class_is_made_into_an_instance(loop):
    fut = Future(loop)
    fut.set_exception(KeyError)
    assert isinstance(fut.exception(), KeyError)


def test_raising_again_does_not_grow_the_traceback(loop):
    fut = Future(loop)
    try:
        raise ValueError("once")
    except ValueError as error:
        fut.set_exception(error)
    lengths = []
    for _ in range(3):
        with pytest.raises(ValueError) as raised:
            fut.result()
        lengths.append(len(raised.traceback))
    assert lengths[0] == lengths[1] == lengths[2]


def test_a_future_is_filled_only_once(loop):
    fut = Future(loop)
    fut.set_result(1)
    with pytest.raises(InvalidStateError, match="already done"):
        fut.set_result(2)
    with pytest.raises(InvalidStateError, match="already done"):
        fut.set_exception(ValueError())
    assert fut.cancel() is False
    assert fut.result() == 1


def test_cancel_marks_it_cancelled_and_result_raises_cancelled_error(loop):
    fut = Future(loop)
    assert fut.cancel() is True
    assert fut.done() and fut.cancelled()
    with pytest.raises(CancelledError):
        fut.result()
    with pytest.raises(CancelledError):
        fut.exception()
    assert fut.cancel() is False


def test_cancelled_error_slips_past_except_exception():
    assert issubclass(CancelledError, BaseException)
    assert not issubclass(CancelledError, Exception)
    with pytest.raises(CancelledError):
        try:
            raise CancelledError()
        except Exception:  # the usual "log and carry on" must not swallow it
            pytest.fail("except Exception caught a cancellation")


def test_callbacks_run_from_the_loop_never_inside_set_result(loop):
    fut = Future(loop)
    calls = []
    fut.add_done_callback(calls.append)
    fut.set_result("x")
    assert calls == [], "a callback ran inside set_result"
    run_callbacks(loop)
    assert calls == [fut]


def test_callbacks_run_once_each_in_the_order_added_also_on_cancel(loop):
    fut = Future(loop)
    calls = []
    fut.add_done_callback(lambda f: calls.append(("first", f)))
    fut.add_done_callback(lambda f: calls.append(("second", f)))
    fut.cancel()
    run_callbacks(loop)
    run_callbacks(loop)
    assert calls == [("first", fut), ("second", fut)]


def test_a_callback_added_after_it_is_done_still_runs_soon(loop):
    fut = Future(loop)
    fut.set_result(None)
    calls = []
    fut.add_done_callback(calls.append)
    assert calls == []
    run_callbacks(loop)
    assert calls == [fut]


def test_yield_from_a_pending_future_yields_it_then_returns_its_result(loop):
    fut = Future(loop)
    waiting = iter(fut)
    assert next(waiting) is fut  # what a Task sees: the future to wait for
    fut.set_result("answer")
    with pytest.raises(StopIteration) as returned:
        next(waiting)
    assert returned.value.value == "answer"


def test_yield_from_a_done_future_does_not_pause(loop):
    fut = Future(loop)
    fut.set_result(7)

    def task():
        return (yield from fut)

    with pytest.raises(StopIteration) as returned:
        next(task())
    assert returned.value.value == 7


def test_yield_from_a_failed_future_raises_inside_the_generator(loop):
    fut = Future(loop)

    def task():
        try:
            yield from fut
        except ValueError as error:
            return f"caught {error}"

    gen = task()
    assert next(gen) is fut
    fut.set_exception(ValueError("boom"))
    with pytest.raises(StopIteration) as returned:
        gen.send(None)
    assert returned.value.value == "caught boom"


def test_await_a_future_in_a_coroutine(loop):
    fut = Future(loop)

    async def fetch():
        return await fut

    coro = fetch()
    assert coro.send(None) is fut
    fut.set_result(b"resource")
    with pytest.raises(StopIteration) as returned:
        coro.send(None)
    assert returned.value.value == b"resource"


def test_a_failure_is_unretrieved_until_somebody_looks(loop):
    fut, other = Future(loop), Future(loop)
    fut.set_exception(ValueError())
    other.set_exception(ValueError())
    assert list(loop.unretrieved) == [fut, other]
    fut.exception()
    with pytest.raises(ValueError):
        other.result()
    assert not loop.unretrieved


def test_repr_says_the_state_and_any_failure(loop):
    fut = Future(loop)
    assert repr(fut) == "<Future pending>"
    fut.set_result(b"x" * 1000)
    assert repr(fut) == "<Future finished>"
    failed = Future(loop)
    failed.set_exception(ValueError("bad"))
    assert repr(failed) == "<Future finished exception=ValueError('bad')>"
