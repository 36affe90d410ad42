"""Locks for tasks: a Semaphore, to cap how many requests are in flight at once.

Thread pools cap concurrency by their size, whether you want it or not; on one loop the
cap is a choice, and this is how you make it.
"""
import types
from collections import deque

from .. import validate
from .futures import CancelledError, Future


class Semaphore:
    """At most n holders at once: caps how many requests are in flight.

    In a generator task:              In a coroutine:
        yield from limit.acquire()        async with limit:
        try:                                  ...
            ...
        finally:
            limit.release()

    A released slot goes straight to the task that has waited longest, so no task can
    jump the queue and none waits forever.
    """

    def __init__(self, n):
        self.n = validate.request_count(n, name="n", unit="slot")
        self._free = self.n
        self._waiters = deque()  # one Future per waiting task, longest-waiting first

    @types.coroutine
    def acquire(self):
        if self._free:
            self._free -= 1
            return
        handed = Future()
        self._waiters.append(handed)
        try:
            yield from handed  # release() hands its slot straight to us
        except CancelledError:
            if handed.done() and not handed.cancelled():
                self.release()  # given a slot, but cancelled before using it: pass it on
            raise

    def release(self):
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # skip those cancelled while they waited
                waiter.set_result(None)
                return
        if self._free == self.n:
            raise RuntimeError("Semaphore.release() was called more often than acquire().")
        self._free += 1

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, *exc_info):
        self.release()
