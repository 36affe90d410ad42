"""Checks for notebook 06, the general loop: fetch everything, at most `cap` at a time.

The exercise asks for fetch_all_capped_task(address, delays, cap): a generator task for
helpers.loops that fetches one request per delay, keeps at most `cap` in flight, starts
the next one as soon as a permit is free, and returns (delay, body) pairs in the order
of `delays`. The delays are chosen so that each usual slip shows in what the service
saw or in the time it took: all at once, one at a time, batch by batch, finish order.
"""
import time

from .. import loops
from ..wire import BODY
from . import ExerciseFailed, exercise, require

# Per-request delays (s), independent of the notebook's DELAY, so the check is quick.
# Long ones first and fifth: batches of CAP would wait for them twice.
DELAYS = (0.4, 0.1, 0.1, 0.1, 0.4, 0.1, 0.1)
CAP = 3


def best_schedule(delays, cap):
    """The wall time when each request starts as soon as one of `cap` permits is free,
    in the order given (what a semaphore does): the makespan of that list schedule."""
    free_at = [0.0] * cap
    for delay in delays:
        start = min(free_at)
        free_at[free_at.index(start)] = start + delay
    return max(free_at)


def batched(delays, cap):
    """The wall time of `cap` requests at a time, each batch waiting for its slowest."""
    return sum(max(delays[i:i + cap]) for i in range(0, len(delays), cap))


def _run(fetch_all_capped_task, service):
    try:
        return loops.run_main(fetch_all_capped_task(service.address, list(DELAYS), CAP))
    except loops.Deadlock:
        raise ExerciseFailed(
            "The loop found nothing left that could ever finish: a task waits for a permit "
            "that is never given back. release() the semaphore in a `finally`, after each "
            "request, so the next one can start.") from None


def _check_pairs(pairs):
    require(pairs is not None, "fetch_all_capped_task returned None: return the list of "
                               "(delay, body) pairs (`return (yield from loops.gather(...))`).")
    pairs = list(pairs)
    require(len(pairs) == len(DELAYS),
            f"It returned {len(pairs)} items for {len(DELAYS)} delays: one (delay, body) "
            "pair per delay, please.")
    require(all(isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in pairs),
            f"Each item should be a (delay, body) pair, like (0.1, {BODY!r}); the first is "
            f"{pairs[0]!r}.")
    bodies = [body for _delay, body in pairs]
    require(all(body == BODY for body in bodies),
            f"Expected every body to be {BODY!r}; got {bodies[:3]!r}...: pair each delay with "
            "what fetch_task returned for it.")
    order = [delay for delay, _body in pairs]
    if sorted(order) == sorted(DELAYS) and order != list(DELAYS):
        raise ExerciseFailed(
            f"The pairs come in the order {order}, not in the order of the delays "
            f"{list(DELAYS)}: were they collected as the requests finished? loops.gather "
            "returns results in the order of its arguments.")
    require(order == list(DELAYS),
            f"The delays in your pairs are {order}, but you were asked for {list(DELAYS)}: "
            "fetch resource_path(d) for each delay d, and pair it with d.")


@exercise(hint="Make one loops.Semaphore(cap). For each delay, a small generator task "
               "acquires a permit (`yield from permits.acquire()`), fetches "
               "resource_path(delay) with fetch_task, releases the permit in a `finally`, and "
               "returns (delay, body). loops.gather runs them all and keeps their order.",
          solution="06-grow-a-general-event-loop.py")
def check_fetch_all_capped(fetch_all_capped_task, service):
    """fetch_all_capped_task(address, delays, cap) must keep at most cap in flight, start
    each request as soon as a permit is free, and return (delay, body) in order."""
    service.reset()
    start = time.perf_counter()
    pairs = _run(fetch_all_capped_task, service)
    seconds = time.perf_counter() - start
    _check_pairs(pairs)
    stats = service.stats()
    asked = sorted(record.delay for record in stats.records)
    require(asked == sorted(DELAYS),
            f"The service was asked for the delays {asked}, not {sorted(DELAYS)}: one request "
            "per delay.")
    require(stats.most_at_once <= CAP,
            f"The service held {stats.most_at_once} requests at once, more than the cap of "
            f"{CAP}: acquire a permit before each request, and give it back after.")
    require(stats.most_at_once == CAP,
            f"At most {stats.most_at_once} request(s) were in flight at once, with a cap of "
            f"{CAP}: start every request's task before waiting for any (loops.gather does), "
            "so that the cap is used fully.")
    best, in_batches = best_schedule(DELAYS, CAP), batched(DELAYS, CAP)
    require(seconds < (best + in_batches) / 2,
            f"It took {seconds:.2f} s; starting each request as soon as a permit is free "
            f"takes about {best:.2f} s, and {in_batches:.2f} s batch by batch. Did you wait "
            f"for each group of {CAP} to finish before starting the next? Let every request "
            "wait for its own permit instead.")
    return (f"right: {len(DELAYS)} requests, at most {CAP} at once, in {seconds:.2f} s: about "
            f"the best schedule ({best:.2f} s), against {sum(DELAYS):.2f} s one at a time and "
            f"{in_batches:.2f} s batch by batch, and the pairs in order.")
