"""Deadlines: stop waiting for what takes too long, and say so.

`with deadline(5):` guards a stretch of a task. Past the deadline the task is cancelled
where it waits, so its `finally` blocks run and close its sockets, and the `with`
raises DeadlineExceeded instead of CancelledError. timeout(seconds, awaitable) guards one
awaitable the same way. asyncio has the same pair: asyncio.timeout() and wait_for().

A deadline costs one timer, whatever the task does inside it: that is how a client gives
each request its own deadline, ten thousand of them, at almost no cost.
"""
import types

from .. import validate
from ..errors import CourseError
from .futures import CancelledError
from .tasks import check_awaitable, current_task


class DeadlineExceeded(CourseError, TimeoutError):
    """A deadline passed, so what it guarded was cancelled.

    A TimeoutError, so `except TimeoutError:` catches it as it catches a socket's.
    """

    def __init__(self, message, seconds):
        super().__init__(message)
        self.seconds = seconds


class deadline:  # noqa: N801 (lower case, like contextlib.suppress: it reads as a verb)
    """In a task, `with deadline(seconds):` cancels the task if the block runs longer.

        with deadline(5):
            reply = yield from fetch_task(address)   # or: await fetch(address)
    """

    __slots__ = ("seconds", "what", "expired", "_task", "_timer")

    def __init__(self, seconds, what="the block it guarded"):
        self.seconds = validate.seconds(seconds, name="seconds")
        self.what = what
        self.expired = False

    def __enter__(self):
        self._task = current_task()
        self._timer = self._task._loop.call_later(self.seconds, _expire, self)
        return self

    def __exit__(self, kind, error, traceback):
        self._timer.cancel()
        if self.expired and kind is not None and issubclass(kind, CancelledError):
            raise DeadlineExceeded(f"{self.what} did not finish within its deadline of "
                                   f"{self.seconds:g} s, so it was cancelled.",
                                   self.seconds) from None
        return False


def _expire(guard):
    guard.expired = guard._task.cancel()  # False if it finished in this very turn


def timeout(seconds, awaitable):
    """Wait for awaitable, but at most `seconds`: `yield from timeout(5, fetch_task())`.

    Past the deadline, what it waited for is cancelled (its `finally` blocks run) and
    DeadlineExceeded is raised, naming the deadline. Each task can have its own.
    """
    check_awaitable(awaitable, "awaitable")
    name = getattr(awaitable, "name", None) or getattr(awaitable, "__qualname__",
                                                       "the future it waited for")
    return _guarded(deadline(seconds, what=name), awaitable)


@types.coroutine
def _guarded(guard, awaitable):
    with guard:
        return (yield from awaitable)
