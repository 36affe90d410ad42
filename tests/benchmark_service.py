"""Benchmark: how the downstream service holds up under many simultaneous requests.

    .venv/bin/python tests/benchmark_service.py [N ...]      (default: 1000 and 10000)

For each N, opens N connections at once from one client thread (the article's
select() loop for N < 1000, a selectors-based loop above), and reports the wall
time, the most requests the service held at once, and the service's own view of
the spread of arrivals. Loopback only; every run is bounded by the delay plus a
timeout. Not a test: timing belongs here, not in assertions.
"""
import selectors
import sys

import helpers
from helpers.limits import raise_open_file_limit
from helpers.clients import call_downstream_async


def selectors_loop(n, service):
    """Like helpers.loops.run, on epoll/kqueue: no 1024-descriptor ceiling."""
    tasks = [call_downstream_async(service.address, service.path) for _ in range(n)]
    results = [None] * n
    with selectors.DefaultSelector() as sel:
        try:
            for i, task in enumerate(tasks):
                sel.register(next(task), selectors.EVENT_READ, i)
            while sel.get_map():
                for key, _ in sel.select(timeout=30):
                    sel.unregister(key.fileobj)
                    try:
                        sel.register(next(tasks[key.data]), selectors.EVENT_READ, key.data)
                    except StopIteration as done:
                        results[key.data] = done.value
        finally:
            for task in tasks:
                task.close()
    return results


def main(ns):
    print(f"open-file limit raised to {raise_open_file_limit()}")
    with helpers.Service(delay=1.0) as service:
        for n in ns:
            result = helpers.measure(selectors_loop, n, service, label="selectors loop")
            records = service.stats().records
            spread = max(r.arrived for r in records) - min(r.arrived for r in records)
            print(f"N={n:>6}: {result.seconds:.3f} s wall ({result.delays:.2f} delays), "
                  f"most held at once {result.most_at_once}, arrivals spread over {spread:.3f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
