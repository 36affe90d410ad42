"""helpers.views.trace: the loop's recorded turns in words, in a table that fits beside
a file browser, and in a widget that steps through them."""
import contextlib
import socket

import pytest

import helpers

from helpers.clients import delayed_requests
from helpers.loops import trace_run
from helpers.views import describe, step_through, task_states, trace_table

DELAYS = [0.3, 0.05, 0.15]  # task 0 slow, task 1 fast, task 2 medium


@pytest.fixture(scope="module")
def traced(service):
    return trace_run(delayed_requests(service, DELAYS))


def test_words_and_tables(traced):
    _results, steps = traced
    assert "does not call select()" in describe(steps[0])
    assert "starts: it connects, sends its request" in describe(steps[0])
    last = describe(steps[-1])
    assert "calls select()" in last and "StopIteration" in last and "b'resource'" in last
    assert task_states(steps[0], 3)[0].startswith("waiting on fd")
    assert task_states(steps[0], 3)[1] == "ready (place 1 in the queue)"
    assert all(state.startswith("done") for state in task_states(steps[-1], 3))
    table = trace_table(steps)
    assert len(table.splitlines()) == len(steps) + 1 and "not called" in table


def test_the_widget_shows_the_turn_the_slider_points_at(traced):
    _results, steps = traced
    panel = step_through(steps, delays=DELAYS)
    (controls, view) = panel.children
    slider = controls.children[1]
    assert slider.max == len(steps) and "Turn 1," in view.value
    slider.value = len(steps)
    assert f"Turn {len(steps)}," in view.value and "select() said readable" in view.value
    with pytest.raises(ValueError, match="No steps"):
        step_through([])


# A notebook's output area beside JupyterLab's file browser, in a 1280 px wide window, holds
# about 110 characters of code font; a wider line wraps and reads as a row of its own.
WIDEST = 90
DELAY = 0.1


@pytest.fixture(scope="module")
def busy_steps():
    """Notebook 05's trace (two equal delays), with three-digit descriptor numbers."""
    with helpers.Service(delay=DELAY) as service, contextlib.ExitStack() as held:
        while True:  # push the next sockets' numbers past 99, as in a busy kernel
            sock = held.enter_context(socket.socket())
            if sock.fileno() >= 100:
                break
        _results, steps = trace_run(delayed_requests(
            service, [DELAY, DELAY / 4, DELAY / 2, DELAY / 4]))
    return steps


def test_every_line_fits_beside_a_file_browser(busy_steps):
    table = trace_table(busy_steps)
    lines = table.splitlines()
    assert len(lines) == len(busy_steps) + 1
    assert max(len(line) for line in lines) <= WIDEST, table
    assert all(f"fd {step.paused_on}" in table for step in busy_steps if not step.finished)


def test_the_table_shows_what_select_returned_and_who_waits(busy_steps):
    table = trace_table(busy_steps).splitlines()
    header, rows = table[0], table[1:]
    assert "select() returned" in header and "waiting (task:fd)" in header
    for step, row in zip(busy_steps, rows):
        assert row.split()[0] == str(step.number)
        if step.called_select:
            assert " ".join(f"{task}:{fd}" for task, fd in step.selected) in row
        else:
            assert "not called" in row
    assert rows[-1].split()[-1] == "-", "no task waits after the last turn"
