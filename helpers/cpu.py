"""CPU-bound work for notebook 09, and the process pool to run it on.

Two kinds of job that cost the same milliseconds but treat the GIL differently:
count_up() is a pure-Python loop that holds the GIL the whole time; hash_chunks()
spends its time inside hashlib, which lets go of the GIL for every buffer it hashes.
They live in a module, not in a notebook cell, because a process pool started with
"spawn" (or "forkserver") sends a function to its workers by *name*: each worker
imports helpers.cpu and looks count_up up there. A function defined in a notebook
lives in the kernel's __main__, which a fresh worker process does not have.
"""
import contextlib
import hashlib
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from . import validate

CHUNK = bytes(256 * 1024)  # hashed again and again: big enough for hashlib to drop the GIL
MOST_WORKERS = 8           # each process takes a moment and some memory to start


def count_up(iterations):
    """Add up 0..iterations-1 in a pure-Python loop: all of it holds the GIL."""
    total = 0
    for i in range(iterations):
        total += i
    return total


def hash_chunks(chunks):
    """SHA-256 over `chunks` times CHUNK; hashlib releases the GIL inside each update."""
    digest = hashlib.sha256()
    for _ in range(chunks):
        digest.update(CHUNK)
    return digest.hexdigest()


def sha256_hex(data):
    """The SHA-256 digest of `data`, as hex: the exercise's job."""
    return hashlib.sha256(data).hexdigest()


def size_of(data):
    """len(data): no work at all, so timing it shows only what it costs to send data."""
    return len(data)


def gil_enabled():
    """False on a free-threaded build (3.13t and later) running without the GIL."""
    check = getattr(sys, "_is_gil_enabled", None)  # exists from Python 3.13
    return True if check is None else check()


class Rates:
    """How much of each job this machine does per millisecond, measured once."""

    def __init__(self, iterations_per_ms, chunks_per_ms):
        self.iterations_per_ms = iterations_per_ms
        self.chunks_per_ms = chunks_per_ms

    def python_job(self, ms):
        """count_up's argument for about `ms` milliseconds of pure-Python work."""
        return max(1, round(ms * self.iterations_per_ms))

    def hash_job(self, ms):
        """hash_chunks's argument for about `ms` milliseconds of hashing (whole chunks)."""
        return max(1, round(ms * self.chunks_per_ms))

    def __repr__(self):
        return (f"<Rates {self.iterations_per_ms:,.0f} loop iterations/ms, "
                f"{self.chunks_per_ms:.2f} chunks of {len(CHUNK) // 1024} KiB hashed/ms>")


def calibrate(ms=50, repeats=3):
    """Measure this machine's rates: the fastest of `repeats` runs of about `ms` each."""
    def per_ms(job, amount):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            job(amount)
            best = min(best, time.perf_counter() - start)
        return amount / (best * 1000)

    rough = Rates(per_ms(count_up, 100_000), per_ms(hash_chunks, 4))
    return Rates(per_ms(count_up, rough.python_job(ms)), per_ms(hash_chunks, rough.hash_job(ms)))


@contextlib.contextmanager
def process_pool(workers=2):
    """A ProcessPoolExecutor whose workers are started with "spawn", shut down on exit.

    "spawn" starts each worker as a fresh Python that imports what it is sent, the way
    macOS and Windows always do and Linux does from Python 3.14 ("forkserver"): so the
    notebook shows the rule that holds everywhere. Few workers: each takes a moment to
    start and imports the course's helpers.
    """
    workers = validate.request_count(workers, name="workers", maximum=MOST_WORKERS,
                                     unit="worker")
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # every worker process has exited
