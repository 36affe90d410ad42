"""Checks for notebook 04, generators: drive several socket-yielding tasks at once.

The exercise asks for drive_all(tasks): resume every task whose socket is ready,
until each has returned, and give back their return values in the order of the list.
The check hands it four tasks chosen to catch the usual shortcuts: one that waits
long, one that makes two requests in a row (it yields twice), one that waits a
medium time, and one that has nothing to wait for (it returns at its first next()).
"""
import math

from ..clients import call_downstream_async
from ..wire import resource_path
from . import ExerciseFailed, exercise, require, run_learner_driver

# Per-request delays (s), independent of the service's own: the check stays quick
# whatever DELAY a notebook uses, and each request can be recognised in the records.
LONG = 0.6
FIRST_OF_TWO = 0.1
SECOND_OF_TWO = 0.15
MEDIUM = 0.3
TWICE = 1  # the place in the list of the task that waits twice
EXPECTED_TWICE = "two in a row: resource, resource"


def one_request(service, delay, label):
    """A task: one request; returns a label with the body, so results can be told apart."""
    body = yield from call_downstream_async(service.address, resource_path(delay))
    return f"{label}: {body.decode()}"


def two_requests(service, first, second, label, replies_read):
    """A task that waits twice: a second request sent once the first is answered.

    It appends to `replies_read` each time it reads a reply, so that the check can tell
    how far a driver got with it.
    """
    body_1 = yield from call_downstream_async(service.address, resource_path(first))
    replies_read.append(body_1)
    body_2 = yield from call_downstream_async(service.address, resource_path(second))
    return f"{label}: {body_1.decode()}, {body_2.decode()}"


def nothing_to_wait_for(label):
    """A task that finishes at its first next(): the answer was already known."""
    return f"{label}: cached"
    yield  # never reached; it makes this function a generator


def exercise_tasks(service):
    """The four tasks, the results a right answer returns for them in order, and the
    replies the task that waits twice has read (filled in as it runs)."""
    replies_read = []
    tasks = [one_request(service, LONG, "slow"),
             two_requests(service, FIRST_OF_TWO, SECOND_OF_TWO, "two in a row", replies_read),
             one_request(service, MEDIUM, "medium"),
             nothing_to_wait_for("no wait")]
    expected = ["slow: resource", EXPECTED_TWICE,
                "medium: resource", "no wait: cached"]
    return tasks, expected, replies_read


def _record_with_delay(records, delay):
    for record in records:
        if math.isclose(record.delay, delay):
            return record
    return None


def _never_finished(index, got, replies_read):
    """Why task `index`, still paused when the driver returned, has no result."""
    if index == TWICE and len(replies_read) == 1:
        return (f"Result {index} should be {EXPECTED_TWICE!r}, got {got!r}: task {index} waits "
                "twice. Once its first reply was read, it sent a second request and yielded a "
                "second socket, but your driver resumed it only once, so it never returned. "
                "Resume a task each time its socket is readable, until next() raises "
                "StopIteration: its result is then StopIteration.value.")
    return (f"Result {index} is {got!r}: task {index} was still waiting on its socket when "
            "drive_all returned, so it never returned its result. Keep going until every "
            "task has raised StopIteration.")


def _check_results(results, expected, waiting, replies_read):
    require(results is not None, "drive_all returned None: return the list of results.")
    results = list(results)
    require(len(results) == len(expected),
            f"drive_all returned {len(results)} results for {len(expected)} tasks: "
            "return one result per task.")
    if sorted(map(str, results)) == sorted(expected) and results != expected:
        raise ExerciseFailed(
            f"Right results, wrong order: {results}. Return them in the order of the tasks "
            "in the list, not in the order they finished (remember each task's index).")
    for index, (got, want) in enumerate(zip(results, expected)):
        if hasattr(got, "fileno"):
            raise ExerciseFailed(
                f"Result {index} is a socket: that is what the task yielded while it waited. "
                "Its result is what it returned: StopIteration.value when next() ends it.")
        if got != want and index in waiting:
            raise ExerciseFailed(_never_finished(index, got, replies_read))
        require(got == want, f"Result {index} should be {want!r}, got {got!r}.")


def _check_together(stats):
    require(stats.most_at_once >= 3,
            f"At most {stats.most_at_once} request(s) were in flight at once: your driver ran "
            "the tasks one after another. Start every task (one next() each) before waiting "
            "on any socket, so that all their requests are out together.")
    slow = _record_with_delay(stats.records, LONG)
    second = _record_with_delay(stats.records, SECOND_OF_TWO)
    require(slow is not None and second is not None,
            "The service did not answer every request the tasks made: did your driver "
            "resume each task until it finished?")
    require(second.arrived < slow.answered,
            "Task 1's second request went out only after task 0's slow reply: your driver "
            "waited for the tasks in list order. Wait on every paused task's socket at once "
            "(select.select with all of them) and resume whichever is ready first.")


@exercise(hint="Start every task before you wait on any, so that all their requests are out. "
               "Then, until every task has returned, wait on all the paused tasks' sockets at "
               "once and resume the tasks whose sockets are ready; for that you need to remember "
               "which task waits on which socket. Any resume may be a task's last: its return "
               "value is then in StopIteration.value.",
          solution="04-pause-a-function-with-yield.py")
def check_drive_all(drive_all, service):
    """drive_all(tasks) must run them all at once on one thread and return their results."""
    tasks, expected, replies_read = exercise_tasks(service)
    service.reset()
    try:
        results, seconds, waiting = run_learner_driver(
            drive_all, tasks,
            escaped="A StopIteration escaped from your driver (value {value}). One of the tasks "
                    "has nothing to wait for: it finishes at its very first next(). Catch "
                    "StopIteration around every next() and keep its .value as that task's "
                    "result.")
    except RuntimeError as error:
        if "expected the task to finish" not in str(error):
            raise
        # The notebook's finish() assumes one wait per task; one of these tasks waits twice.
        raise ExerciseFailed(
            "finish() found a task that yielded a second socket: one of the tasks waits "
            "twice. Instead of finish(), keep resuming each task whenever its socket is "
            "readable, until it raises StopIteration.") from None
    _check_results(results, expected, waiting, replies_read)
    _check_together(service.stats())
    serial = LONG + FIRST_OF_TWO + SECOND_OF_TWO + MEDIUM
    return (f"right: {len(tasks)} tasks, one of them waiting twice, finished in {seconds:.2f} s "
            f"on one thread, about the slowest task ({LONG:g} s), not the sum of the "
            f"waits ({serial:g} s).")
