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

READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE

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
    loop = getattr(_running, "loop", None)
    if loop is None:
        raise RuntimeError("No event loop is running: call this from inside a task, "
                           "started with run_main(main_task()).")
    return loop


class Handle:
    """A callback and its arguments, waiting to run; cancel() stops it from running."""

    __slots__ = ("callback", "args", "cancelled")

    def __init__(self, callback, args):
        self.callback, self.args, self.cancelled = callback, args, False

    def cancel(self):
        self.cancelled = True
        self.args = ()  # what it would have been called with may now be freed at once

    def __repr__(self):
        name = getattr(self.callback, "__qualname__", repr(self.callback))
        return f"<Handle {name}{' cancelled' if self.cancelled else ''}>"


class EventLoop:
    """One thread's loop: run what is ready, then sleep in select() until more is.

    Besides its queues it holds three things that futures and tasks fill in:
    `tasks`, the unfinished tasks (so run_main() can cancel what main left running, and
    so a task nobody refers to is not garbage-collected half-way); `current_task`, the
    task being stepped; and `unretrieved`, futures that failed and whose exception
    nobody has looked at yet (close() reports them, as asyncio logs "Task exception was
    never retrieved").
    """

    def __init__(self):
        self._selector = selectors.DefaultSelector()
        self._ready = deque()  # handles to run on the next turn, first in first out
        self._timers = []      # heap of (when, order, handle): nearest deadline on top
        self._order = itertools.count()  # equal deadlines run in the order they were set
        self.tasks = set()
        self.current_task = None
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
        heapq.heappush(self._timers, (time.monotonic() + seconds, next(self._order), handle))
        return handle

    # A watched socket's key.data is [reader, writer]: the handle waiting for each event.
    def add_reader(self, sock, callback, *args):
        self._watch(sock, READ, 0, Handle(callback, args))

    def add_writer(self, sock, callback, *args):
        self._watch(sock, WRITE, 1, Handle(callback, args))

    def remove_reader(self, sock):
        return self._unwatch(sock, READ, 0)

    def remove_writer(self, sock):
        return self._unwatch(sock, WRITE, 1)

    def run_until_complete(self, future):
        """Run the loop until `future` (a Future or a Task) is done; return its result."""
        if not hasattr(future, "done"):
            raise TypeError(f"run_until_complete() needs a Future or a Task, got {future!r}: "
                            "for a generator or coroutine, use run_main(main) instead.")
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
        ready = self._ready
        for key, events in self._selector.select(self._select_timeout(main)):
            reader, writer = key.data
            if events & READ and reader is not None:
                ready.append(reader)
            if events & WRITE and writer is not None:
                ready.append(writer)
        timers = self._timers
        if timers:
            now = time.monotonic()
            while timers and timers[0][0] <= now:
                ready.append(heapq.heappop(timers)[2])
        popleft = ready.popleft
        for _ in range(len(ready)):  # what these schedule waits for the next turn
            handle = popleft()
            if not handle.cancelled:
                try:
                    handle.callback(*handle.args)
                except Exception as error:  # one broken callback must not stop the others
                    self.report(f"Exception in callback {handle!r}:", error)

    def _select_timeout(self, main):
        """How long select() may sleep: not at all if a callback is ready, else until
        the nearest timer, else for as long as it takes a socket to become ready."""
        timers = self._timers
        while timers and timers[0][2].cancelled:
            heapq.heappop(timers)  # so a cancelled hour-long timer keeps nobody up
        if self._ready:
            return 0
        if timers:
            return max(0, timers[0][0] - time.monotonic())
        if self._selector.get_map():
            return None
        raise Deadlock(f"Nothing can ever finish {main!r}: no callback is ready, no timer is "
                       "set and no socket is watched. Is a task waiting on a Future that "
                       "nothing will set_result()?")

    def _watch(self, sock, event, slot, handle):
        data = [None, None]
        data[slot] = handle
        try:  # the usual case, a socket nobody watches yet: one system call
            self._selector.register(sock, event, data)
            return
        except KeyError:  # already watched for the other event
            key = self._selector.get_key(sock)
        if key.data[slot] is not None:
            raise RuntimeError(f"{sock!r} already has a callback waiting for this: one task "
                               "at a time may wait on a socket.")
        key.data[slot] = handle
        self._selector.modify(sock, key.events | event, key.data)

    def _unwatch(self, sock, event, slot):
        try:  # the usual case, the only event watched: one system call, no lookup first
            key = self._selector.unregister(sock)
        except (KeyError, ValueError, RuntimeError):  # not watched; the socket or loop closed
            return False
        handle, key.data[slot] = key.data[slot], None
        if handle is not None:  # cancelled in case select() already queued it this turn
            handle.cancelled, handle.args = True, ()
        if key.events != event:  # it is watched for the other event too: put that back
            self._selector.register(sock, key.events & ~event, key.data)
        return handle is not None
