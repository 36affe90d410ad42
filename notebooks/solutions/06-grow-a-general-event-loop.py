"""A solution to the exercise of notebook 06: fetch everything, at most `cap` at a time."""
import helpers
from helpers import loops
from helpers.clients import fetch_task
from helpers.exercises.general_loop import check_fetch_all_capped
from helpers.wire import resource_path

service = helpers.shared_service()


def fetch_all_capped_task(address, delays, cap):
    """One request per delay, at most `cap` in flight; (delay, body) pairs in order."""
    permits = loops.Semaphore(cap)

    def one_request_task(delay):
        yield from permits.acquire()  # wait until fewer than `cap` are in flight
        try:
            body = yield from fetch_task(address, resource_path(delay))
        finally:
            permits.release()          # the next request may start
        return delay, body

    return (yield from loops.gather(*(one_request_task(delay) for delay in delays)))


check_fetch_all_capped(fetch_all_capped_task, service)
