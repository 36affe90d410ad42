"""Tasks, and the ways a task waits: for time, for a socket, for other tasks.

A Task is the article's generator grown up: it yields a Future instead of a socket, is
resumed once that future is done, and is itself a Future of what it returns, so another
task can wait for its answer with `answer = yield from task`. The waits are built from
Futures and the loop's three calls: sleep() on the timer heap, readable() and writable()
on the selector, gather() and first_completed() on other tasks. Deadlines are in
timeouts.py, the Semaphore in locks.py.

The waits are generator functions marked with types.coroutine. A generator task uses
them with `yield from sleep(1)`; an `async def` with `await sleep(1)`. That flag is all
it takes for Python to let a generator be awaited: `await` is `yield from` in disguise.
Being generators, they start when first awaited (so `run_main(gather(...))` works), and
their `finally` undoes what they set up the moment a cancellation reaches them:
readable() unregisters its socket before the task's own `finally` closes it.
run_main() is here, not beside the loop, because it makes a Task (tasks -> general).
"""
import types

from .. import validate
from ..errors import InvalidParameter
from .futures import CancelledError, Future
from .general import EventLoop, current_loop, running_loop


class Task(Future):
    """A generator or coroutine, stepped by the loop, and a Future of what it returns.

    Each step resumes it until it yields a Future; the task then sleeps until that future
    is done, and the next step sends nothing in: `yield from fut` fetches the result
    itself (fut.__iter__ returns fut.result(), which raises if fut failed or was
    cancelled). So an exception travels to whoever waits, one `yield from` at a time,
    and never into the loop or the other tasks.
    """

    __slots__ = ("name", "_coro", "_waiting_on", "_throw")

    def __init__(self, coro, loop=None):
        check_awaitable(coro, "coro", futures_too=False)
        super().__init__(loop)
        self.name = getattr(coro, "__qualname__", type(coro).__name__)
        self._coro = coro
        self._waiting_on = None  # the Future it is paused on
        self._throw = None       # what to raise inside it at its next step: a cancellation
        self._loop.tasks.add(self)
        self._loop.call_soon(self._step)

    def cancel(self):
        """Raise CancelledError inside the task where it waits, so its `finally` blocks
        run (closing its socket). Whatever it waits on is cancelled too: a task waiting
        on another task cancels that one. False if it had already finished."""
        if self.done():
            return False
        if self._waiting_on is not None and self._waiting_on.cancel():
            return True  # it wakes up to find what it waited for cancelled
        self._throw = CancelledError(f"{self.name} was cancelled")  # its next step is due
        return True

    def _step(self, _done=None):
        """Resume the task once: at its start, or when the future it waits on is done."""
        loop = self._loop
        error, self._throw, self._waiting_on = self._throw, None, None
        loop.current_task = self
        try:
            yielded = self._coro.send(None) if error is None else self._coro.throw(error)
        except StopIteration as returned:
            self.set_result(returned.value)
        except CancelledError:
            super().cancel()
        except (KeyboardInterrupt, SystemExit) as stop:
            self.set_exception(stop)
            self.exception()  # it reaches whoever pressed Ctrl-C: not "never retrieved"
            raise
        except BaseException as failure:
            self.set_exception(failure)
        else:
            if isinstance(yielded, Future):
                self._waiting_on = yielded
                yielded.add_done_callback(self._step)
            else:  # raised where the task yielded, so the traceback shows that line
                self._throw = TypeError(
                    f"{self.name} yielded {yielded!r} ({type(yielded).__name__}), but a "
                    "task may only yield Futures. Wait with `yield from sleep(seconds)`, "
                    "`yield from readable(sock)` or `yield from other_task` "
                    "(in an async def: `await ...`).")
                loop.call_soon(self._step)
        finally:
            loop.current_task = None

    def _finish(self, state):
        self._loop.tasks.discard(self)
        super()._finish(state)

    def _describe(self):
        return f"Task {self.name}"


def run_main(main):
    """Run main, a generator task or a coroutine, on a new loop; return what it returns.

    asyncio calls it asyncio.run(main). The loop lives only for this call, so re-running
    a notebook cell starts afresh. Tasks that main started and left running are
    cancelled (their `finally` blocks close their sockets), then the loop is closed.
    """
    check_awaitable(main, "main", futures_too=False)
    if running_loop() is not None:
        raise RuntimeError("run_main() was called inside a running loop: in a task, wait "
                           "with `yield from main_task()` or `yield from spawn(...)`.")
    loop = EventLoop()
    try:
        return loop.run_until_complete(Task(main, loop))
    finally:
        try:
            _cancel_leftovers(loop)
        finally:
            loop.close()


def spawn(coro):
    """Start coro (a generator task or a coroutine) beside the running one; return its
    Task, to wait for with `yield from task` or to cancel(). asyncio calls it create_task."""
    return Task(coro)


def current_task():
    """The task the loop is stepping right now (a deadline needs it, to cancel it)."""
    task = current_loop().current_task
    if task is None:
        raise RuntimeError("No task is running: call this from inside a task.")
    return task


def sleep(seconds):
    """Pause the task for `seconds`: `yield from sleep(1)`, or `await sleep(1)`.

    A timer on the loop's heap wakes it, so a sleeping task costs no CPU. Any length is
    fine, an hour too: the 60 s limit belongs to the service's delay, not to timers.
    """
    return _sleep(validate.seconds(seconds, name="seconds"))


@types.coroutine
def _sleep(seconds):
    loop = current_loop()
    woken = Future(loop)
    timer = loop.call_later(seconds, _resolve, woken)
    try:
        yield from woken
    finally:
        timer.cancel()  # if cancelled early, the timer must not outlive the sleep


@types.coroutine
def readable(sock):
    """Wait until sock has something to read (data, a connection to accept, or EOF)."""
    loop = current_loop()
    ready = Future(loop)
    loop.add_reader(sock, _resolve, ready)
    try:
        yield ready     # `yield from ready`, unrolled: the Task wakes us once it is done
        ready.result()  # raises CancelledError if it was cancelled instead
    finally:  # before the task's own finally closes sock, which may then be reused
        loop.remove_reader(sock)


@types.coroutine
def writable(sock):
    """Wait until sock can take more data (or, after connect_ex, is connected)."""
    loop = current_loop()
    ready = Future(loop)
    loop.add_writer(sock, _resolve, ready)
    try:
        yield ready
        ready.result()
    finally:
        loop.remove_writer(sock)


@types.coroutine
def gather(*awaitables):
    """Wait for all of them; return their results, in the order given.

    The first to fail fails the gather at once, with its exception. As in asyncio (by
    default), the others are not cancelled: they run on, and what they end with is
    dropped. Cancelling the gather (that is, the task waiting on it) cancels them all.
    """
    children = _as_futures(awaitables)
    if not children:
        return []
    all_done = Future()
    remaining = len(children)

    def on_child_done(child):
        nonlocal remaining
        remaining -= 1
        if all_done.done():  # it already failed: drop this one's outcome on purpose
            if not child.cancelled():
                child.exception()
        elif child.cancelled():
            all_done.set_exception(CancelledError(f"{child!r} was cancelled"))
        elif child.exception() is not None:
            all_done.set_exception(child.exception())
        elif remaining == 0:
            all_done.set_result([each.result() for each in children])

    for child in children:
        child.add_done_callback(on_child_done)
    try:
        return (yield from all_done)
    except CancelledError:
        if all_done.cancelled():  # we were cancelled, not a child
            for child in children:
                child.cancel()
        raise


@types.coroutine
def first_completed(*awaitables):
    """Wait until the first of them is done; return it, to ask for its .result().

    The others are cancelled (their `finally` blocks run on the loop's next turns): only
    the winner comes back, so nothing else could stop them, and each may hold a socket.
    To keep them all, use gather().
    """
    if not awaitables:
        raise InvalidParameter("first_completed() needs at least one task or future.")
    racers = _as_futures(awaitables)
    first = Future()

    def on_racer_done(racer):
        if not first.done():
            first.set_result(racer)

    for racer in racers:
        racer.add_done_callback(on_racer_done)
    try:
        return (yield from first)
    finally:
        for racer in racers:
            racer.cancel()  # the winner is done already: nothing happens to it


# -- small helpers ---------------------------------------------------------------------
def _resolve(future):
    if not future.done():  # it may have been cancelled meanwhile
        future.set_result(None)


def _cancel_leftovers(loop):
    leftovers = [task for task in loop.tasks if not task.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(Task(_wait_all_task(leftovers), loop))


def _wait_all_task(futures):
    for future in futures:
        if not future.done():
            yield future  # a bare yield: wait for it, without raising what it ended with


def _as_futures(awaitables):
    """Futures as they are; generators and coroutines started as Tasks. All are checked
    before any starts, so a bad one leaves nothing running behind it."""
    for i, each in enumerate(awaitables):
        check_awaitable(each, f"awaitables[{i}]")
    return [each if isinstance(each, Future) else Task(each) for each in awaitables]


def check_awaitable(obj, name, futures_too=True):
    """Generators and coroutine objects have send() and throw(): all a Task needs."""
    if (futures_too and isinstance(obj, Future)) or (
            hasattr(obj, "send") and hasattr(obj, "throw")):
        return obj
    wanted = "a Task, a Future, a generator or a coroutine" if futures_too else \
        "a generator or coroutine object"
    hint = " (call the function to make one)" if callable(obj) else ""
    raise InvalidParameter(f"{name} must be {wanted}, like fetch_task(address){hint}; "
                           f"got {obj!r} ({type(obj).__name__}).")
