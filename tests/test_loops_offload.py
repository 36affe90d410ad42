"""The course loop's offloading: a worker thread wakes the loop through a socketpair."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import cpu, loops
from helpers.loops import offload


def ticker_task(gaps, stop):
    """Sleep 10 ms at a time and record how late each wake-up was."""
    last = time.perf_counter()
    while not stop:
        yield from loops.sleep(0.01)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


def test_run_in_executor_returns_the_result_and_the_loop_keeps_running(no_leaks):
    gaps, stop = [], []

    def main():
        ticker = loops.spawn(ticker_task(gaps, stop))
        with ThreadPoolExecutor(1) as pool:
            digest = yield from loops.run_in_executor(pool, cpu.hash_chunks, 400)
        stop.append(True)
        yield from ticker
        return digest

    assert loops.run_main(main()) == cpu.hash_chunks(400)
    assert len(gaps) >= 3, "the ticker never ran while the thread hashed"
    assert max(gaps) < 0.2, f"the loop was stuck for {max(gaps):.3f} s"


def test_to_thread_passes_the_exception_to_the_task(no_leaks):
    def fail():
        raise ValueError("from the thread")

    def main():
        with pytest.raises(ValueError, match="from the thread"):
            yield from loops.to_thread(fail)
        return (yield from loops.to_thread(sum, [1, 2, 3]))

    assert loops.run_main(main()) == 6


def test_a_coroutine_may_await_it(no_leaks):
    async def main():
        return await loops.to_thread(cpu.count_up, 10)

    assert loops.run_main(main()) == 45


def test_the_waker_exists_only_while_calls_are_in_flight(no_leaks):
    seen = []

    def main():
        loop = loops.current_loop()
        with ThreadPoolExecutor(2) as pool:
            both = loops.gather(loops.run_in_executor(pool, time.sleep, 0.05),
                                loops.run_in_executor(pool, time.sleep, 0.05))
            probe = loops.spawn(probe_task(loop))
            yield from both
            yield from probe
        seen.append(loop in offload._wakers)

    def probe_task(loop):
        yield from loops.sleep(0.01)
        seen.append(offload._wakers[loop].in_flight)

    loops.run_main(main())
    assert seen == [2, False]


def test_a_deadlock_is_still_reported_after_offloading():
    def main():
        yield from loops.to_thread(int)
        yield loops.Future()  # nothing will ever set it

    with pytest.raises(loops.Deadlock):
        loops.run_main(main())


def test_cancelling_drops_a_late_result_and_closes_the_waker(no_leaks):
    release = threading.Event()

    def main():
        with ThreadPoolExecutor(1) as pool:
            waiting = loops.spawn(loops.run_in_executor(pool, release.wait, 5))
            yield from loops.sleep(0.02)
            waiting.cancel()
            yield from loops.sleep(0.02)
            release.set()  # the job ends after the task gave up on it
            return waiting.cancelled()

    assert loops.run_main(main()) is True


def test_a_thread_can_wake_the_waker_directly(no_leaks):
    def main():
        loop = loops.current_loop()
        waker = offload.waker_for(loop)
        done = loops.Future()
        try:
            threading.Timer(0.02, waker.call_soon_threadsafe, (done.set_result, "woken")).start()
            return (yield from done)
        finally:
            offload.release(loop, waker)

    assert loops.run_main(main()) == "woken"
