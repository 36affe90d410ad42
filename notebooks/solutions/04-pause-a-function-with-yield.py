"""A solution to the exercise of notebook 04: drive several socket-yielding tasks at once."""
import select

import helpers
from helpers.exercises.generators import check_drive_all

service = helpers.shared_service()


def drive_all(tasks, timeout=30):
    """Run socket-yielding tasks together on this thread; return their results in list order."""
    results = [None] * len(tasks)
    waiting = {}  # socket -> index of the task paused on it

    def step(index):
        """Resume one task: it pauses on a new socket, or it is done."""
        try:
            sock = next(tasks[index])
        except StopIteration as done:
            results[index] = done.value
        else:
            waiting[sock] = index

    for index in range(len(tasks)):
        step(index)  # every task sends its request before we wait on any
    while waiting:
        readable, _, _ = select.select(list(waiting), [], [], timeout)
        if not readable:
            raise TimeoutError(f"no reply within {timeout} s")
        for sock in readable:
            step(waiting.pop(sock))
    return results


check_drive_all(drive_all, service)
