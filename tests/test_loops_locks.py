"""helpers.loops.locks: a Semaphore caps how many tasks hold it at once."""
import time

import pytest

from helpers.errors import InvalidParameter
from helpers.loops.locks import Semaphore
from helpers.loops.tasks import gather, run_main, sleep, spawn
from helpers.loops.timeouts import timeout

from support.timing import time_limit


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(5):
        yield


def test_a_semaphore_caps_how_many_run_at_once():
    limit = Semaphore(3)
    in_flight, most = 0, 0

    def request_task(i):
        nonlocal in_flight, most
        yield from limit.acquire()
        try:
            in_flight += 1
            most = max(most, in_flight)
            yield from sleep(0.01)
            return i
        finally:
            in_flight -= 1
            limit.release()

    start = time.monotonic()
    assert run_main(gather(*(request_task(i) for i in range(10)))) == list(range(10))
    assert most == 3
    assert 0.04 <= time.monotonic() - start < 0.2  # ceil(10 / 3) = 4 waves of 0.01 s


def test_a_semaphore_slot_is_never_lost_to_a_cancelled_waiter():
    limit = Semaphore(1)
    got = []

    def waiter_task(name):
        yield from limit.acquire()
        got.append(name)
        limit.release()

    def main_task():
        yield from limit.acquire()  # main holds the only slot
        gone = spawn(waiter_task("cancelled while waiting"))
        handed = spawn(waiter_task("cancelled once handed the slot"))
        last = spawn(waiter_task("last"))
        yield from sleep(0)  # all three wait, in this order
        gone.cancel()
        limit.release()      # the slot goes to `handed`...
        handed.cancel()      # ...which is cancelled before it can use it: it passes it on
        yield from timeout(1, last)
        return gone, handed

    gone, handed = run_main(main_task())
    assert got == ["last"]
    assert gone.cancelled() and handed.cancelled()


def test_release_without_acquire_is_refused():
    with pytest.raises(RuntimeError, match="more often than acquire"):
        Semaphore(2).release()



@pytest.mark.parametrize("n", [0, -3, 2.5, True, "3", None])
def test_a_semaphore_needs_a_whole_number_of_slots(n):
    with pytest.raises(InvalidParameter, match=r"^n "):
        Semaphore(n)
