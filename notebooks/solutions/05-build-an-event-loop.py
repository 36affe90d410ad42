"""A solution to the exercise of notebook 05: results in the order the tasks finish."""
import select
from collections import deque

import helpers
from helpers.exercises.event_loop import check_run_in_finish_order

service = helpers.shared_service()


def run_in_finish_order(tasks, timeout=30):
    """Run socket-yielding tasks on this thread; return (number, result) as each one ends."""
    ready = deque(enumerate(tasks))  # (number, task) pairs that can run now
    waiting = {}                     # socket -> (number, task) paused on it
    finished = []
    while ready or waiting:
        if not ready:
            readable, _, _ = select.select(list(waiting), [], [], timeout)
            if not readable:
                raise TimeoutError(f"no reply within {timeout} s")
            ready.extend(waiting.pop(sock) for sock in readable)
        number, task = ready.popleft()
        try:
            sock = next(task)
        except StopIteration as stop:
            finished.append((number, stop.value))  # the moment it ends: finish order
        else:
            waiting[sock] = (number, task)
    return finished


check_run_in_finish_order(run_in_finish_order, service)
