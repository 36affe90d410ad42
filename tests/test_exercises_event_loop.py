"""The event-loop exercise: its check accepts a right loop and says what is wrong with others."""
import json
import re
import select
from collections import deque
from pathlib import Path

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.event_loop import check_run_in_finish_order

from support.leaks import settled, snapshot

SERVICE_DELAY = 0.25  # seconds, for the `service` fixture (tests/conftest.py)


def right(tasks):
    ready, waiting, finished = deque(enumerate(tasks)), {}, []
    while ready or waiting:
        if not ready:
            for sock in select.select(list(waiting), [], [], 10)[0]:
                ready.append(waiting.pop(sock))
        number, task = ready.popleft()
        try:
            waiting[next(task)] = (number, task)
        except StopIteration as stop:
            finished.append((number, stop.value))
    return finished


def in_task_order(tasks):
    """Runs them together, then sorts: the results of notebook 04's drive_all, numbered."""
    return sorted(right(tasks))


def one_after_another(tasks):
    finished = []
    for number, task in enumerate(tasks):
        try:
            while True:
                select.select([next(task)], [], [], 10)
        except StopIteration as stop:
            finished.append((number, stop.value))
    return finished


def counts_from_one(tasks):
    return [(number + 1, result) for number, result in right(tasks)]


def results_only(tasks):
    return [result for _number, result in right(tasks)]


def mixes_up_numbers(tasks):
    pairs = right(tasks)
    return [(number, result) for (number, _), (_, result) in zip(pairs, pairs[::-1])]


def keeps_the_sockets(tasks):
    return [(number, next(task)) for number, task in enumerate(tasks)]


def placeholder(tasks):
    raise NotImplementedError  # your code here


def test_a_right_loop_passes(service, capsys):
    check_run_in_finish_order(right, service)
    assert "✓" in capsys.readouterr().out


def test_the_placeholder_is_not_attempted(service, capsys):
    check_run_in_finish_order(placeholder, service)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "solutions/05-build-an-event-loop.py" in out


def test_the_check_gives_the_notebooks_hint(service, capsys):
    """The learner reads the hint in the notebook, then again from the check: the same words."""
    check_run_in_finish_order(placeholder, service)
    hint = re.search(r"^Hint: (.*)$", capsys.readouterr().out, re.MULTILINE).group(1)
    notebook = Path(__file__).parent.parent / "notebooks" / "05-build-an-event-loop.ipynb"
    markdown = " ".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]
                        if cell["cell_type"] == "markdown")
    assert f"**Hint.** {hint}" in " ".join(markdown.split())


@pytest.mark.parametrize("wrong, complaint", [
    (in_task_order, "task order"),
    (one_after_another, "one after another"),
    (counts_from_one, "no task number 3"),
    (results_only, "pair"),
    (mixes_up_numbers, "keep each task's number with its own result"),
    (keeps_the_sockets, "socket"),
    (lambda tasks: None, "returned None"),
])
def test_wrong_loops_are_rejected_with_a_reason(service, wrong, complaint):
    with pytest.raises(ExerciseFailed, match=complaint):
        check_run_in_finish_order(wrong, service)


def test_the_check_leaves_no_socket_open(service):
    before = snapshot()
    with pytest.raises(ExerciseFailed):
        check_run_in_finish_order(keeps_the_sockets, service)  # leaves every task mid-request
    check_run_in_finish_order(right, service)
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)
