"""Futures: a result that is still to come.

The article's loop could not hand back what a task returned, nor tell one task that
another had finished. A Future is the missing piece: a box that starts empty, is filled
once (with a result, an exception, or "cancelled"), and calls back whoever asked to be
told. A task waits on a future with `yield from fut` (or `await fut` in an `async def`).
"""
from ..errors import CourseError
from .general import current_loop

_PENDING, _CANCELLED, _FINISHED = "pending", "cancelled", "finished"


class CancelledError(BaseException):
    """The future or task was cancelled before it could finish.

    A BaseException, not an Exception, as in asyncio since Python 3.8: code that says
    `except Exception:` to log an error and carry on must not swallow a cancellation by
    accident. It should travel up through the task's `finally` blocks and end the task,
    the way KeyboardInterrupt ends a program.
    """


class InvalidStateError(CourseError):
    """A future was asked for a result it does not have yet, or filled twice."""


class Future:
    """A result still to come, and the callbacks waiting for it.

    Callbacks never run inside set_result(): they are queued on the loop with call_soon,
    so whoever finishes a future carries on undisturbed, and every callback runs from the
    loop with nothing else on the stack.
    """

    # Slots, not a __dict__: ten thousand requests make tens of thousands of futures, and
    # every object fewer is less for the garbage collector to scan.
    __slots__ = ("_loop", "_state", "_result", "_exception", "_traceback", "_callbacks")

    def __init__(self, loop=None):
        self._loop = current_loop() if loop is None else loop
        self._state = _PENDING
        self._result = None
        self._exception = None
        self._traceback = None  # kept so every re-raise shows where it first failed
        self._callbacks = []

    def done(self):
        return self._state != _PENDING

    def cancelled(self):
        return self._state == _CANCELLED

    def result(self):
        """The result; or raise the exception it failed with, or CancelledError."""
        if self._exception is not None:
            raise self.exception().with_traceback(self._traceback)
        if self._state != _FINISHED:
            self._check_done()
        return self._result

    def exception(self):
        """The exception it failed with, or None if it succeeded."""
        self._check_done()
        self._loop.unretrieved.pop(self, None)  # somebody has now seen it
        return self._exception

    def set_result(self, value):
        if self._state != _PENDING:
            self._refuse_a_second_outcome()
        self._result = value
        self._finish(_FINISHED)

    def set_exception(self, exception):
        if self._state != _PENDING:
            self._refuse_a_second_outcome()
        if isinstance(exception, type):
            exception = exception()
        self._exception, self._traceback = exception, exception.__traceback__
        self._loop.unretrieved[self] = None  # until someone asks: see EventLoop.close()
        self._finish(_FINISHED)

    def cancel(self):
        """Mark it cancelled and wake its waiters; False if it was already done."""
        if self._state != _PENDING:
            return False
        self._finish(_CANCELLED)
        return True

    def add_done_callback(self, fn):
        """Call fn(future) from the loop once it is done (soon, if it is already)."""
        if self._state != _PENDING:
            self._loop.call_soon(fn, self)
        else:
            self._callbacks.append(fn)

    def __iter__(self):
        """`yield from fut` pauses the task until fut is done, then gives its result."""
        if self._state == _PENDING:
            yield self  # tells the Task driving us what to wait for
        return self.result()

    __await__ = __iter__  # `await fut` in an async def does exactly the same

    def _finish(self, state):
        self._state = state
        callbacks, self._callbacks = self._callbacks, ()
        for fn in callbacks:
            self._loop.call_soon(fn, self)

    def _check_done(self):
        if self._state == _CANCELLED:
            raise CancelledError(f"{self!r} was cancelled")
        if self._state == _PENDING:
            raise InvalidStateError(
                f"{self!r} is not done yet: wait for it first (`yield from fut` in a "
                "generator task, `await fut` in a coroutine), or check fut.done().")

    def _refuse_a_second_outcome(self):
        raise InvalidStateError(f"{self!r} is already done: a future is filled only once.")

    def _describe(self):
        return type(self).__name__  # a Task adds its generator's name

    def __repr__(self):
        failed = "" if self._exception is None else f" exception={self._exception!r}"
        return f"<{self._describe()} {self._state}{failed}>"
