"""Checks for notebook 03, sockets and readiness.

The exercise: send requests with different delays on k sockets, then let select()
say which reply can be read, so that all of them arrive in about the longest
delay instead of the sum of the delays, on one thread. The replies come back as
(delay, body) pairs in the order they were read, which shows whether select()
chose them: the service answers the shortest delay first.
"""
import time

from ..wire import BODY
from ..service import shared_service
from . import exercise, require
from .probes import counting_new_threads, counting_unclosed_sockets, watching_select

SOLUTION = "03-watch-sockets-become-ready.py"

# Per-request delays in units of the service's delay, in a shuffled order: their
# sum (3 units) is three times the longest (1 unit), so waiting for them one after
# another is slow enough to tell apart from waiting for all at once.
DELAY_UNITS = (0.5, 1.0, 0.25, 0.75, 0.5)
# The unit, in seconds, is the service's delay kept within these bounds: long enough
# for the difference to stand out of the noise, short enough for a quick check.
SHORTEST_UNIT, LONGEST_UNIT = 0.2, 1.0


def delay_unit(service):
    return min(max(service.delay, SHORTEST_UNIT), LONGEST_UNIT)


def exercise_delays(service):
    """The per-request delays the check asks for, in seconds."""
    return [round(u * delay_unit(service), 3) for u in DELAY_UNITS]


@exercise(
    hint="Send every request before you wait for any reply, and keep a dict from each socket "
         "to its delay. Then, until no socket is left waiting, let select.select() say which "
         "sockets are readable, read those replies, and stop waiting on those sockets. Close "
         "every socket, whatever happens (watch_sockets in the notebook shows one way).",
    solution=SOLUTION)
def check_collect_all(collect_all, service=None):
    """collect_all(address, delays) must return one (delay, body) pair per delay, in the
    order the replies were read, in about max(delays) rather than sum(delays), without
    starting threads or leaving sockets open."""
    service = shared_service() if service is None else service
    delays = exercise_delays(service)
    longest, total = max(delays), sum(delays)
    service.reset()
    with counting_unclosed_sockets() as unclosed, counting_new_threads() as threads, \
            watching_select() as selected:
        start = time.perf_counter()
        pairs = collect_all(service.address, list(delays))
        elapsed = time.perf_counter() - start
    require(not threads,
            f"collect_all started {len(threads)} thread(s). This exercise asks for one thread "
            "and select(): send on every socket, then let select() say which one to read.")
    require(isinstance(pairs, list),
            f"collect_all should return a list of (delay, body) pairs; it returned "
            f"{type(pairs).__name__}.")
    same_delays = len(set(delays)) < len(delays)
    require(len(pairs) == len(delays),
            f"collect_all was given {len(delays)} delays and returned {len(pairs)} pairs: "
            "one (delay, body) pair per delay, please."
            + (" Some of the delays are equal: a dict keyed by delay keeps only one of them; "
               "key it by socket." if same_delays and len(pairs) < len(delays) else ""))
    require(all(isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in pairs),
            f"each item should be a (delay, body) pair, like (0.1, b'resource'); the first is "
            f"{pairs[0]!r}." if pairs else "")
    bodies = [body for _, body in pairs]
    wrong = [body for body in bodies if body != BODY]
    require(not wrong,
            f"{len(wrong)} of the bodies are not {BODY!r}, e.g. {wrong[:1]!r}: pair each delay "
            "with the body of its reply, the second item of read_reply(sock)." if wrong else "")
    read_order = [delay for delay, _ in pairs]
    require(sorted(read_order) == sorted(delays),
            f"the delays in your pairs are {read_order}, but the requests asked for {delays}: "
            "pair each body with the delay its request asked for.")
    stats = service.stats()
    require(len(stats.records) == len(delays),
            f"the service answered {len(stats.records)} requests instead of {len(delays)}.")
    asked = [r.delay for r in sorted(stats.records, key=lambda r: r.arrived)]
    require(sorted(asked) == sorted(delays),
            f"the service was asked for the delays {asked}, not {delays}: use "
            "resource_path(d) for each delay d.")
    # Halfway between the longest delay (all at once) and their sum (one after another).
    limit = longest + (total - longest) / 2
    require(elapsed < limit,
            f"collect_all took {elapsed:.2f} s for delays adding up to {total:.2f} s; all at once "
            f"they take about the longest, {longest:.2f} s. Did it wait for each reply before "
            "sending the next request? Send all the requests first, then select().")
    require(stats.most_at_once == len(delays),
            f"the service held at most {stats.most_at_once} of the {len(delays)} requests at "
            "once: send every request before waiting for any reply.")
    reported = {sock_id for readable in selected for sock_id in readable}
    require(len(selected) >= 2 and len(reported) >= len(delays),
            f"select.select() was called {len(selected)} time(s) and reported "
            f"{len(reported)} of the {len(delays)} sockets readable. Call it in a loop, as "
            "select.select(...) after `import select`, and read a socket only once select() "
            "has reported it.")
    # The service answers the shortest delay first. Neighbours a quarter unit apart may
    # swap on a busy machine; reading in the order sent puts a long delay before a short one.
    unit = delay_unit(service)
    require(all(later >= earlier - 0.3 * unit for earlier, later in zip(read_order, read_order[1:])),
            f"you read the replies in the order {read_order}, but the service answered them "
            f"shortest first, {sorted(delays)}. Did you read the sockets in the order you "
            "sent the requests? Let select() say which socket is ready, and read that one. "
            "Or did you pair the bodies with the delays in the order sent? Look up each "
            "socket's delay when you read it.")
    require(not unclosed,
            f"{len(unclosed)} socket(s) were left open for the garbage collector to close: "
            "open each one in a `with` block, or close it once its reply is read.")
    return (f"{len(delays)} replies with delays adding up to {total:.2f} s arrived in "
            f"{elapsed:.2f} s, about the longest delay ({longest:.2f} s), on one thread, read "
            f"in the order select() reported them: {read_order}.")
