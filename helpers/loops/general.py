"""The general event loop: callbacks, timers and sockets on one thread.

The article's loop knew one kind of task and one kind of wait (a readable socket). This
one never steps a task itself: it runs callbacks, and finds the next ones in three
places: the ready queue (call_soon), a heap of timers (call_later), and the selector
(add_reader / add_writer). Futures and tasks (futures.py, tasks.py) are built on those
three calls, the way asyncio builds them on its own loop.
"""
import heapq
import itertools
import selectors
import sys
import threading
import time
import traceback
from collections import deque

from ..errors import CourseError

# .loop: the loop running on this thread, if any. Per thread, so that a worker thread
# (notebook 10) finds no loop instead of stepping another thread's.
_running = threading.local()


class Deadlock(CourseError, RuntimeError):
    """The loop has nothing left to wait for, yet what it runs is not done.

    Raised rather than sleeping in select() forever with nothing that could wake it (Go
    says "all goroutines are asleep - deadlock!"): a hung notebook cell teaches nothing.
    """


def running_loop():
    """The loop running on this thread, or None."""
    return getattr(_running, "loop", None)


def current_loop():
    """The loop running on this thread: how sleep() and friends find the loop."""
    loop = running_loop()
    if loop is None:
        raise RuntimeError("No event loop is running: call this from inside a task, "
                           "started with run(main_task()).")
    return loop


class Handle:
    """A callback and its arguments, waiting to run; cancel() stops it from running."""

    __slots__ = ("callback", "args", "cancelled")

    def __init__(self, callback, args):
        self.callback, self.args, self.cancelled = callback, args, False

    def cancel(self):
        self.cancelled = True

    def __repr__(self):
        name = getattr(self.callback, "__qualname__", repr(self.callback))
        return f"<Handle {name}{' cancelled' if self.cancelled else ''}>"


class EventLoop:
    """One thread's loop: run what is ready, then sleep in select() until more is.

    Besides its queues it holds two registers that futures and tasks fill in:
    `tasks`, the unfinished tasks (so run() can cancel what main left running, and
    so a task nobody refers to is not garbage-collected half-way), and `unretrieved`,
    futures that failed and whose exception nobody has looked at yet (close() reports
    them, as asyncio logs "Task exception was never retrieved").
    """

    def __init__(self):
        self._selector = selectors.DefaultSelector()
        self._ready = deque()  # handles to run on the next turn, first in first out
        self._timers = []      # heap of (when, order, handle): nearest deadline on top
        self._order = itertools.count()  # equal deadlines run in the order they were set
        self._closed = False
        self.tasks = set()
        self.unretrieved = {}  # a dict used as an ordered set

    def time(self):
        return time.monotonic()

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        self._ready.append(handle)
        return handle

    def call_later(self, seconds, callback, *args):
        """Run callback(*args) in `seconds`; cancel the returned handle to drop it."""
        handle = Handle(callback, args)
        heapq.heappush(self._timers, (self.time() + seconds, next(self._order), handle))
        return handle

    def add_reader(self, sock, callback, *args):
        self._watch(sock, selectors.EVENT_READ, Handle(callback, args))

    def add_writer(self, sock, callback, *args):
        self._watch(sock, selectors.EVENT_WRITE, Handle(callback, args))

    def remove_reader(self, sock):
        return self._unwatch(sock, selectors.EVENT_READ)

    def remove_writer(self, sock):
        return self._unwatch(sock, selectors.EVENT_WRITE)

    def run_until_complete(self, future):
        """Run the loop until `future` (a Future or a Task) is done; return its result."""
        if not hasattr(future, "done"):
            raise TypeError(f"run_until_complete() needs a Future or a Task, got {future!r}: "
                            "for a generator or coroutine, use run(main) instead.")
        if self._closed:
            raise RuntimeError("This loop is closed: make a new one (run() does).")
        if running_loop() is not None:
            raise RuntimeError("A loop is already running on this thread: inside a task, "
                               "wait with `yield from` (or `await`) instead.")
        _running.loop = self
        try:
            while not future.done():
                self._run_once(future)
        finally:
            _running.loop = None
        return future.result()

    def close(self):
        """Free the selector, and report failures nobody waited for."""
        if running_loop() is self:
            raise RuntimeError("A running loop cannot be closed: close it once run() returns.")
        if self._closed:
            return
        self._closed = True
        for future in list(self.unretrieved):
            self.report(f"Task exception was never retrieved: {future!r} failed and nothing "
                        "waited for it (yield from it, or gather it).", future.exception())
        self._ready.clear()
        self._timers.clear()
        self._selector.close()

    def report(self, message, error):
        """Say what went wrong where no caller will hear it: on stderr, with the traceback."""
        print(message, file=sys.stderr)
        traceback.print_exception(error, file=sys.stderr)

    def _run_once(self, main):
        """One turn: wait for the first socket or timer, then run what is ready."""
        for key, events in self._selector.select(self._select_timeout(main)):
            for event, handle in key.data.items():
                if events & event:
                    self._ready.append(handle)
        now = self.time()
        while self._timers and self._timers[0][0] <= now:
            self._ready.append(heapq.heappop(self._timers)[2])
        for _ in range(len(self._ready)):  # what these schedule waits for the next turn
            handle = self._ready.popleft()
            if not handle.cancelled:
                try:
                    handle.callback(*handle.args)
                except Exception as error:  # one broken callback must not stop the others
                    self.report(f"Exception in callback {handle!r}:", error)

    def _select_timeout(self, main):
        """How long select() may sleep: not at all if a callback is ready, else until
        the nearest timer, else for as long as it takes a socket to become ready."""
        while self._timers and self._timers[0][2].cancelled:
            heapq.heappop(self._timers)  # so a cancelled hour-long timer keeps nobody up
        if self._ready:
            return 0
        if self._timers:
            return max(0, self._timers[0][0] - self.time())
        if self._selector.get_map():
            return None
        raise Deadlock(f"Nothing can ever finish {main!r}: no callback is ready, no timer is "
                       "set and no socket is watched. Is a task waiting on a Future that "
                       "nothing will set_result()?")

    def _watch(self, sock, event, handle):
        try:
            key = self._selector.get_key(sock)
        except KeyError:
            self._selector.register(sock, event, {event: handle})
            return
        if event in key.data:
            raise RuntimeError(f"{sock!r} already has a callback waiting for this: one task "
                               "at a time may wait on a socket.")
        key.data[event] = handle
        self._selector.modify(sock, key.events | event, key.data)

    def _unwatch(self, sock, event):
        if self._closed:  # a task's finally, run after the loop closed: nothing to undo
            return False
        try:
            key = self._selector.get_key(sock)
        except (KeyError, ValueError):  # not watched; or closed, and so never watched
            return False
        handle = key.data.pop(event, None)
        if handle is None:
            return False
        handle.cancel()  # in case select() already queued it this turn
        if key.data:
            self._selector.modify(sock, key.events & ~event, key.data)
        else:
            self._selector.unregister(sock)
        return True
