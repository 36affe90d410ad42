"""Checks for notebook 05, the event loop: results in the order the tasks finish.

The exercise asks for run_in_finish_order(tasks): run the tasks on one thread, as
the notebook's loop does, and return (task number, result) pairs in the order the
tasks finished, fastest first (what asyncio.as_completed() gives you). The check
hands it three requests whose delays differ, so finish order is not list order:
a slow one first, then a fast one, then a medium one.
"""

from ..clients import call_downstream_async
from ..wire import resource_path
from . import ExerciseFailed, exercise, require, run_learner_driver

# Per-request delays (s), independent of the service's own, so that the check is
# quick whatever DELAY the notebook uses; 0.2 s apart, so the finish order is clear.
DELAYS = {"slow": 0.6, "fast": 0.2, "medium": 0.4}


def labelled_request(service, label):
    """A task: one request; returns its label with the body, so results can be told apart."""
    body = yield from call_downstream_async(service.address,
                                            resource_path(DELAYS[label]))
    return f"{label}: {body.decode()}"


def exercise_tasks(service):
    """The three tasks, and the pairs a right answer returns, fastest first."""
    labels = list(DELAYS)
    tasks = [labelled_request(service, label) for label in labels]
    by_finish = sorted(range(len(labels)), key=lambda i: DELAYS[labels[i]])
    expected = [(i, f"{labels[i]}: resource") for i in by_finish]
    return tasks, expected


def _check_pairs(answer, expected):
    require(answer is not None,
            "run_in_finish_order returned None: return the list of (task number, result) pairs.")
    answer = list(answer)
    require(len(answer) == len(expected),
            f"It returned {len(answer)} items for {len(expected)} tasks: return one "
            "(task number, result) pair per task.")
    for item in answer:
        require(isinstance(item, (tuple, list)) and len(item) == 2,
                f"Each item should be a (task number, result) pair; got {item!r}.")
        if hasattr(item[1], "fileno"):
            raise ExerciseFailed(
                f"{item!r} holds a socket: that is what the task yielded while it waited. "
                "Its result is what it returned: StopIteration.value.")
    answer = [tuple(item) for item in answer]
    right_pairs = dict(expected)
    for number, _result in answer:
        require(number in right_pairs,
                f"There is no task number {number!r}: number the tasks by their place in "
                f"the list, from 0 (enumerate does that).")
    numbers = [number for number, _ in answer]
    require(len(set(numbers)) == len(numbers),
            f"Task numbers {numbers}: each task should appear exactly once.")
    for number, result in answer:
        require(result == right_pairs[number],
                f"Task {number} returned {right_pairs[number]!r}, but your pair says "
                f"{result!r}: keep each task's number with its own result.")
    return answer


def _check_together(stats, count):
    require(stats.most_at_once >= count,
            f"At most {stats.most_at_once} request(s) were in flight at once: your loop ran "
            "the tasks one after another. Give every task its first next() (so that every "
            "request is out) before waiting on any socket.")


def _check_order(answer, expected):
    numbers = [number for number, _ in answer]
    if numbers == sorted(numbers):
        raise ExerciseFailed(
            f"The pairs come in task order {numbers}, not in the order the tasks finished. "
            "Append a task's pair at the moment its StopIteration arrives, instead of "
            "sorting the results at the end.")
    want = [number for number, _ in expected]
    require(numbers == want,
            f"The tasks finished in the order {want} (fastest reply first), but your list "
            f"says {numbers}.")


@exercise(hint="Start from `run_collecting`: the loop stays the same, only *when* a result is "
               "recorded changes. Record each task's number and return value at the moment it "
               "finishes, instead of putting the results in task order at the end.",
          solution="05-build-an-event-loop.py")
def check_run_in_finish_order(run_in_finish_order, service):
    """run_in_finish_order(tasks) must run them at once and list (number, result) as they end."""
    tasks, expected = exercise_tasks(service)
    service.reset()
    answer, seconds, _waiting = run_learner_driver(
        run_in_finish_order, tasks,
        escaped="A StopIteration escaped from your loop (value {value}): a task that "
                "finishes raises it from next(). Catch it, and keep its .value.")
    answer = _check_pairs(answer, expected)
    _check_together(service.stats(), len(tasks))
    _check_order(answer, expected)
    order = ", ".join(str(number) for number, _ in answer)
    return (f"right: the tasks finished in the order {order}, fastest reply first, all in "
            f"{seconds:.2f} s on one thread: about the slowest delay "
            f"({max(DELAYS.values()):g} s), not the sum ({sum(DELAYS.values()):g} s).")
