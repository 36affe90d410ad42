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


def _ticker_task(gaps, stop):
    last = time.perf_counter()
    while not stop:
        yield from loops.sleep(TICK)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


def _run_beside_a_ticker(digest_task, executor, data):
    gaps, stop = [], []

    def main():
        ticker = loops.spawn(_ticker_task(gaps, stop))
        yield from loops.sleep(TICK)  # the ticker is running before the hash starts
        try:
            return (yield from digest_task(executor, data))
        finally:
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
    return answer, gaps


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
        answer, gaps = _run_beside_a_ticker(digest_task, executor, data)
    require(answer is not None, "digest_task returned None: `return` the digest, the value "
                                "that `yield from loops.run_in_executor(...)` gives back.")
    require(answer == expected,
            f"It returned {answer!r}, not the SHA-256 hex digest of data "
            f"({expected[:16]}...): hash the data you were given, with sha256_hex(data).")
    stuck = max(gaps, default=0.0)
    require(stuck < max(hashing / 2, 4 * TICK),
            f"The right digest, but the loop was stuck for {stuck * 1000:.0f} ms while "
            f"hashing takes about {hashing * 1000:.0f} ms: the hash ran on the loop's thread. "
            "Hand it to the executor with loops.run_in_executor(executor, sha256_hex, data).")
    return (f"the right digest, and the loop never stopped for longer than "
            f"{stuck * 1000:.0f} ms while the hash (about {hashing * 1000:.0f} ms) ran in "
            "the pool")


__all__ = ["check_digest_task", "sha256_hex"]
