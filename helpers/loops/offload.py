"""Running a blocking or CPU-heavy call off the loop, and waking the loop when it is done.

The loop sleeps in select(); a worker thread that finishes a job cannot call back into
it, because the loop's queues belong to the loop's thread. So the loop watches one
more socket: the read end of a socketpair (the "self-pipe trick"). A worker puts the
callback on a thread-safe queue and writes one byte to the other end; select()
returns, the loop drains the bytes and runs the callbacks on its own thread.
asyncio does the same (loop.call_soon_threadsafe, its self-pipe), under
loop.run_in_executor() and asyncio.to_thread().

The socketpair exists only while some call is in flight, so a loop with nothing else
to wait for still reports a Deadlock instead of sleeping on its waker forever.
"""
import socket
import threading
import types
import weakref
from collections import deque

from .futures import Future
from .general import current_loop

_wakers = weakref.WeakKeyDictionary()  # loop -> its Waker, while calls are in flight


class Waker:
    """A socketpair that lets any thread hand a callback to one loop."""

    def __init__(self, loop):
        self._loop = loop
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._calls = deque()  # append and popleft are safe from any thread
        self.in_flight = 0     # calls that will wake us; at 0 the Waker is closed
        loop.add_reader(self._reader, self._drain)

    def call_soon_threadsafe(self, callback, *args):
        """From any thread: run callback(*args) on the loop's thread, soon."""
        self._calls.append((callback, args))
        try:
            self._writer.send(b"\0")
        except BlockingIOError:
            pass  # the pipe is full of wake-ups already: the loop will wake anyway
        except OSError:
            pass  # closed: the loop gave up waiting for this call (it was cancelled)

    def _drain(self):
        """On the loop: read the wake-up bytes, then queue every callback handed over."""
        try:
            while self._reader.recv(4096):
                pass
        except BlockingIOError:
            pass
        while self._calls:
            callback, args = self._calls.popleft()
            self._loop.call_soon(callback, *args)

    def close(self):
        self._loop.remove_reader(self._reader)
        self._reader.close()
        self._writer.close()


def waker_for(loop):
    """The loop's Waker, made if none is open; count one more call in flight."""
    waker = _wakers.get(loop)
    if waker is None:
        waker = _wakers[loop] = Waker(loop)
    waker.in_flight += 1
    return waker


def release(loop, waker):
    """One call fewer in flight; close the Waker when none is left."""
    waker.in_flight -= 1
    if waker.in_flight == 0:
        if _wakers.get(loop) is waker:
            del _wakers[loop]
        waker.close()


@types.coroutine
def run_in_executor(executor, fn, *args):
    """Run fn(*args) on `executor` (a thread or process pool); wait without blocking.

    `result = yield from run_in_executor(pool, fn, x)` in a generator task, or `await`
    in an async def: the task sleeps, every other task runs, and the pool's thread wakes
    the loop through the Waker. asyncio: `await loop.run_in_executor(pool, fn, x)`.
    Cancelling the task cancels the job if it has not started; a started one finishes
    in its worker, and its result is dropped.
    """
    loop = current_loop()
    waker = waker_for(loop)
    try:
        job = executor.submit(fn, *args)
        outcome = Future(loop)
        job.add_done_callback(lambda job: waker.call_soon_threadsafe(_copy, job, outcome))
        try:
            return (yield from outcome)
        finally:
            job.cancel()  # does nothing once it has started or finished
    finally:
        release(loop, waker)


@types.coroutine
def to_thread(fn, *args):
    """Run fn(*args) on a new thread of its own; wait without blocking the loop.

    asyncio.to_thread() uses the loop's default thread pool instead; a thread per call
    is enough here, and it ends with its call, so nothing is left to shut down.
    """
    loop = current_loop()
    waker = waker_for(loop)
    try:
        outcome = Future(loop)

        def work():
            try:
                value, error = fn(*args), None
            except BaseException as failure:  # handed to the task, which re-raises it
                value, error = None, failure
            waker.call_soon_threadsafe(_settle, outcome, value, error)

        thread = threading.Thread(target=work, name=f"to_thread {getattr(fn, '__name__', fn)}")
        thread.start()
        return (yield from outcome)
    finally:
        release(loop, waker)


def _copy(job, outcome):
    """On the loop: move a concurrent.futures job's outcome into the loop's Future."""
    if outcome.done():
        return  # the waiting task was cancelled
    if job.cancelled():
        outcome.cancel()
    elif job.exception() is not None:
        outcome.set_exception(job.exception())
    else:
        outcome.set_result(job.result())


def _settle(outcome, value, error):
    if outcome.done():
        return
    if error is not None:
        outcome.set_exception(error)
    else:
        outcome.set_result(value)
