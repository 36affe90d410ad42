"""Checks for notebook 08, async/await: fetch everything on asyncio, at most `cap` at a time.

The exercise asks for `async def fetch_all_capped(address, delays, cap)`: a coroutine for
asyncio that fetches one request per delay, keeps at most `cap` in flight with an
asyncio.Semaphore, and returns (delay, body) pairs in the order of `delays`. The check
runs it on a fresh asyncio loop (a notebook's own loop is busy running the kernel) and
looks at what the service saw and how long it took, as notebook 06's check does.
"""
import inspect
import time

from ..strategies.asyncio_streams import run_on_new_loop
from ..wire import BODY
from . import ExerciseFailed, exercise, require
from .general_loop import CAP, DELAYS, batched, best_schedule


def _run(fetch_all_capped, service):
    import asyncio  # the standard library's loop, made fresh for each check
    coroutine_maker = lambda: fetch_all_capped(service.address, list(DELAYS), CAP)  # noqa: E731
    try:
        return run_on_new_loop(coroutine_maker, asyncio.new_event_loop)
    except TypeError as error:
        if "coroutine" in str(error) or "awaitable" in str(error):
            raise ExerciseFailed(
                f"asyncio could not run it ({error}): define it with `async def`, and "
                "`await` every coroutine it calls.") from None
        raise


@exercise(hint="Make one asyncio.Semaphore(cap) inside the coroutine. For each delay, a small "
               "`async def one(delay)` does `async with permits:` around "
               "`await fetch(host, port, resource_path(delay))` and returns (delay, body). "
               "`await asyncio.gather(*(one(d) for d in delays))` keeps the order.",
          solution="08-await-instead-of-yield.py")
def check_fetch_all_capped_async(fetch_all_capped, service):
    """fetch_all_capped(address, delays, cap) must be a coroutine function that keeps at
    most cap in flight, starts each request as soon as a permit is free, and returns
    (delay, body) pairs in order."""
    require(inspect.iscoroutinefunction(fetch_all_capped),
            f"{getattr(fetch_all_capped, '__name__', fetch_all_capped)!r} is not a coroutine "
            "function: write it as `async def fetch_all_capped(address, delays, cap):`.")
    service.reset()
    start = time.perf_counter()
    pairs = _run(fetch_all_capped, service)
    seconds = time.perf_counter() - start
    most = service.stats().most_at_once
    require(pairs is not None, "It returned None: return the list of (delay, body) pairs "
                               "(`return await asyncio.gather(...)`).")
    pairs = list(pairs)
    require(len(pairs) == len(DELAYS),
            f"It returned {len(pairs)} items for {len(DELAYS)} delays: one pair per delay.")
    require(all(isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in pairs),
            f"Each item should be a (delay, body) pair, like (0.1, {BODY!r}); the first is "
            f"{pairs[0]!r}.")
    require(all(body == BODY for _delay, body in pairs),
            f"Expected every body to be {BODY!r}: pair each delay with what fetch returned.")
    order = [delay for delay, _body in pairs]
    if sorted(order) == sorted(DELAYS) and order != list(DELAYS):
        raise ExerciseFailed(
            f"The pairs come in the order {order}, not that of the delays {list(DELAYS)}: "
            "collected as they finished (as_completed)? asyncio.gather keeps the order.")
    require(order == list(DELAYS), f"The delays in your pairs are {order}; expected "
                                   f"{list(DELAYS)}.")
    require(most <= CAP, f"The service held {most} requests at once: more than the cap of "
                         f"{CAP}. Wrap each request in `async with permits:`.")
    serial = sum(DELAYS)
    require(most > 1 and seconds < serial - 0.1,
            f"It took {seconds:.2f} s with at most {most} in flight: one at a time "
            f"({serial:.1f} s). Start them all with asyncio.gather and let the semaphore "
            "hold them back, instead of awaiting each in turn.")
    best, waves = best_schedule(DELAYS, CAP), batched(DELAYS, CAP)
    require(seconds < (best + waves) / 2 + 0.15,
            f"It took {seconds:.2f} s: about what batches of {CAP} take ({waves:.1f} s), "
            f"not a permit freed and taken at once ({best:.1f} s). Let one semaphore hold "
            "them all back, rather than gathering batch by batch.")
    return (f"{len(DELAYS)} requests in {seconds:.2f} s (best possible {best:.1f} s), "
            f"at most {most} in flight, pairs in order.")
