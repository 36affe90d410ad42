"""Ways to make N requests, each a strategy for helpers.measure().

Every strategy has the signature strategy(n, service) -> list of n bodies and
cleans up after itself, also when interrupted: no thread or socket outlives it.
STRATEGIES lists them all, so the tests cover a new one as soon as it is listed.
"""
from concurrent.futures import ThreadPoolExecutor

from .clients import call_blocking, call_low_level
from .loops import article_loop
from .threads import default_pool_size
from .validate import request_count, worker_count


def serial(n, service):
    """One request after another with urllib: about n delays."""
    url = service.url
    return [call_blocking(url) for _ in range(request_count(n))]


def serial_low_level(n, service):
    """One request after another with http.client."""
    address, path = service.address, service.path
    return [call_low_level(address, path) for _ in range(request_count(n))]


def thread_pool(n, service, workers=None):
    """n requests on a pool of `workers` threads: ceil(n / workers) waves of one delay."""
    n = request_count(n)
    workers = default_pool_size() if workers is None else worker_count(workers)
    url = service.url
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="course-pool")
    try:
        futures = [pool.submit(call_blocking, url) for _ in range(n)]
        return [future.result() for future in futures]
    finally:
        # On an interrupt: drop the queued requests, let the running ones finish.
        pool.shutdown(wait=True, cancel_futures=True)


STRATEGIES = {
    "serial": serial,
    "serial_low_level": serial_low_level,
    "thread_pool": thread_pool,
    "article_loop": article_loop,
}
