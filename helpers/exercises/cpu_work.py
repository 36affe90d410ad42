"""Checks for notebook 09, CPU work and the loop: hash without stalling the other tasks.

The exercise asks for digest_task(executor, data): a generator task for helpers.loops
that returns the SHA-256 hex digest of `data` (helpers.cpu.sha256_hex does the hashing)
and keeps the loop free while it hashes, by handing the job to `executor` with
helpers.loops.run_in_executor. The check runs it beside a ticker task that wakes every
few milliseconds: if the hash ran on the loop's thread, the ticker was late by about
the whole hashing time.
"""
import hashlib
import inspect
import time
from concurrent.futures import ThreadPoolExecutor

from .. import loops
from ..cpu import sha256_hex
from . import ExerciseFailed, exercise, require

DATA_BYTES = 128 * 2**20  # long enough to hash that a stall shows; made only for the check
TICK = 0.005  # seconds the ticker sleeps between wake-ups
MIN_TICKS = 3  # the ticker ticks this often at least while a hash runs in the pool


def _ticker_task(ticks, stop):
    ticks.append(time.perf_counter())
    while not stop:
        yield from loops.sleep(TICK)
        ticks.append(time.perf_counter())


def _run_beside_a_ticker(digest_task, executor, data):
    """(the task's answer, the ticker's longest gap, how many times it ticked while the task
    ran): a task that hashes on the loop's thread lets it tick not once meanwhile."""
    ticks, stop, call = [], [], []

    def main():
        ticker = loops.spawn(_ticker_task(ticks, stop))
        yield from loops.sleep(TICK)  # the ticker is running before the hash starts
        call.append(time.perf_counter())
        try:
            return (yield from digest_task(executor, data))
        finally:
            call.append(time.perf_counter())
            stop.append(True)
            yield from ticker

    try:
        answer = loops.run_main(main())
    except TypeError as error:
        if "yield from" in str(error) or "not iterable" in str(error):
            raise ExerciseFailed(
                f"digest_task(executor, data) gave something `yield from` cannot wait on "
                f"({error}). Write it as a generator task: `return (yield from "
                "loops.run_in_executor(executor, sha256_hex, data))`.") from None
        raise
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:])]
    during = sum(1 for tick in ticks if call[0] < tick < call[-1])
    return answer, max(gaps, default=0.0), during


@exercise(hint="Inside the task, `yield from loops.run_in_executor(executor, sha256_hex, "
               "data)` hands the hashing to the pool and gives back its result.",
          solution="09-keep-cpu-work-off-the-loop.py")
def check_digest_task(digest_task):
    require(callable(digest_task), f"digest_task should be a function; got {digest_task!r}.")
    data = bytes(DATA_BYTES)
    start = time.perf_counter()
    expected = hashlib.sha256(data).hexdigest()
    hashing = time.perf_counter() - start
    with ThreadPoolExecutor(1, thread_name_prefix="exercise") as executor:
        made = digest_task(executor, b"")
        require(inspect.isgenerator(made) or inspect.iscoroutine(made),
                f"digest_task(executor, data) returned {made!r} ({type(made).__name__}) "
                "instead of a task: make it a generator (it needs a `yield from`), so the "
                "loop can run it.")
        made.close()
        answer, stuck, ticks = _run_beside_a_ticker(digest_task, executor, data)
    require(answer is not None, "digest_task returned None: `return` the digest, the value "
                                "that `yield from loops.run_in_executor(...)` gives back.")
    require(answer == expected,
            f"It returned {answer!r}, not the SHA-256 hex digest of data "
            f"({expected[:16]}...): hash the data you were given, with sha256_hex(data).")
    # Ticks, not the longest gap: on a busy machine any thread may be paused for a while,
    # but only a hash on the loop's own thread keeps the ticker from ticking all along.
    require(ticks >= MIN_TICKS,
            f"The right digest, but the loop was stuck for {stuck * 1000:.0f} ms while "
            f"hashing takes about {hashing * 1000:.0f} ms: the hash ran on the loop's thread. "
            "Hand it to the executor with loops.run_in_executor(executor, sha256_hex, data).")
    return (f"the right digest, and the loop never stopped for longer than "
            f"{stuck * 1000:.0f} ms while the hash (about {hashing * 1000:.0f} ms) ran in "
            "the pool")


__all__ = ["check_digest_task", "sha256_hex"]
