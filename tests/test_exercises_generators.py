"""The generators exercise: its check accepts a right driver and says what is wrong with others."""
import select

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.generators import check_drive_all

from support.leaks import settled, snapshot

SERVICE_DELAY = 0.25  # seconds, for the `service` fixture (tests/conftest.py)


def finish(task):
    """Resume a task until it returns; return its value (waiting on each socket in turn)."""
    try:
        while True:
            sock = next(task)
            select.select([sock], [], [], 10)
    except StopIteration as done:
        return done.value


def right(tasks):
    results, waiting = [None] * len(tasks), {}

    def step(i):
        try:
            waiting[next(tasks[i])] = i
        except StopIteration as done:
            results[i] = done.value

    for i in range(len(tasks)):
        step(i)
    while waiting:
        for sock in select.select(list(waiting), [], [], 10)[0]:
            step(waiting.pop(sock))
    return results


def one_after_another(tasks):
    return [finish(task) for task in tasks]


def in_list_order(tasks):
    """Starts every task, then waits for each in turn: a slow first task holds up the rest."""
    started = []
    for task in tasks:
        try:
            started.append((task, next(task), None))
        except StopIteration as done:
            started.append((task, None, done.value))
    results = []
    for task, sock, value in started:
        if sock is None:
            results.append(value)
            continue
        select.select([sock], [], [], 10)
        results.append(finish(task))
    return results


def keeps_the_sockets(tasks):
    sockets = [next(task) for task in tasks[:3]]
    return sockets + ["no wait: cached"]


def ignores_stop_iteration(tasks):
    sockets = [next(task) for task in tasks]  # the fourth task ends here
    return sockets


def notebook_finish(task):
    """The notebook's finish(): one more next(), which must end the task."""
    try:
        yielded = next(task)
    except StopIteration as done:
        return done.value
    message = f"expected the task to finish, but it yielded {yielded!r} again"
    task.close()
    raise RuntimeError(message)


def one_wait_each(tasks):
    """Reuses the notebook's finish(), which assumes each task waits once."""
    results, waiting = [None] * len(tasks), {}
    for i, task in enumerate(tasks):
        try:
            waiting[next(task)] = i
        except StopIteration as done:
            results[i] = done.value
    while waiting:
        for sock in select.select(list(waiting), [], [], 10)[0]:
            i = waiting.pop(sock)
            results[i] = notebook_finish(tasks[i])
    return results


def in_reverse_order(tasks):
    return right(tasks)[::-1]


def placeholder(tasks):
    raise NotImplementedError  # your code here


def test_a_right_driver_passes(service, capsys):
    check_drive_all(right, service)
    assert "✓" in capsys.readouterr().out


def test_the_placeholder_is_not_attempted(service, capsys):
    check_drive_all(placeholder, service)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "StopIteration.value" in out
    assert "%load solutions/04-pause-a-function-with-yield.py" in out


@pytest.mark.parametrize("wrong, complaint", [
    (one_after_another, "one after another"),
    (in_list_order, "list order"),
    (keeps_the_sockets, "is a socket"),
    (ignores_stop_iteration, "StopIteration escaped"),
    (in_reverse_order, "wrong order"),
    (one_wait_each, "yielded a second socket"),
    (lambda tasks: None, "returned None"),
])
def test_wrong_drivers_are_rejected_with_a_reason(service, wrong, complaint):
    with pytest.raises(ExerciseFailed, match=complaint):
        check_drive_all(wrong, service)


def test_the_check_leaves_no_socket_open(service):
    before = snapshot()
    with pytest.raises(ExerciseFailed):
        check_drive_all(keeps_the_sockets, service)  # leaves three tasks paused mid-request
    check_drive_all(right, service)
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)


def resumes_each_once(tasks):
    """Resumes each task once when its socket is ready, and ignores a second socket."""
    results, waiting = [None] * len(tasks), {}
    for i, task in enumerate(tasks):
        try:
            waiting[next(task)] = i
        except StopIteration as done:
            results[i] = done.value
    while waiting:
        for sock in select.select(list(waiting), [], [], 10)[0]:
            i = waiting.pop(sock)
            try:
                next(tasks[i])  # the task that waits twice yields its second socket here
            except StopIteration as done:
                results[i] = done.value
    return results


def starts_them_and_stops(tasks):
    """Gives every task its first next() and returns without waiting for any."""
    results = [None] * len(tasks)
    for i, task in enumerate(tasks):
        try:
            next(task)
        except StopIteration as done:
            results[i] = done.value
    return results


def test_a_task_resumed_once_too_few_is_named_with_its_second_wait(service):
    with pytest.raises(ExerciseFailed) as failed:
        check_drive_all(resumes_each_once, service)
    message = str(failed.value)
    assert message.startswith("Result 1 should be 'two in a row: resource, resource', got None"), \
        message
    assert "task 1 waits twice" in message and "yielded a second socket" in message, message
    assert "resumed it only once" in message, message


def test_a_task_never_resumed_is_said_to_be_still_waiting(service):
    with pytest.raises(ExerciseFailed, match=r"Result 0 is None: task 0 was still waiting"):
        check_drive_all(starts_them_and_stops, service)
