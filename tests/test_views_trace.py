"""helpers.views.trace: the text table of the loop's turns fits beside a file browser."""
import contextlib
import socket

import pytest

import helpers
from helpers.clients import delayed_requests
from helpers.loops import trace_run
from helpers.views import trace_table

# A notebook's output area beside JupyterLab's file browser, in a 1280 px wide window, holds
# about 110 characters of code font; a wider line wraps and reads as a row of its own.
WIDEST = 90
DELAY = 0.1


@pytest.fixture(scope="module")
def steps():
    """Notebook 05's trace (two equal delays), with three-digit descriptor numbers."""
    with helpers.Service(delay=DELAY) as service, contextlib.ExitStack() as held:
        while True:  # push the next sockets' numbers past 99, as in a busy kernel
            sock = held.enter_context(socket.socket())
            if sock.fileno() >= 100:
                break
        _results, steps = trace_run(delayed_requests(
            service, [DELAY, DELAY / 4, DELAY / 2, DELAY / 4]))
    return steps


def test_every_line_fits_beside_a_file_browser(steps):
    table = trace_table(steps)
    lines = table.splitlines()
    assert len(lines) == len(steps) + 1
    assert max(len(line) for line in lines) <= WIDEST, table
    assert all(f"fd {step.paused_on}" in table for step in steps if not step.finished)


def test_the_table_shows_what_select_returned_and_who_waits(steps):
    table = trace_table(steps).splitlines()
    header, rows = table[0], table[1:]
    assert "select() returned" in header and "waiting (task:fd)" in header
    for step, row in zip(steps, rows):
        assert row.split()[0] == str(step.number)
        if step.called_select:
            assert " ".join(f"{task}:{fd}" for task, fd in step.selected) in row
        else:
            assert "not called" in row
    assert rows[-1].split()[-1] == "-", "no task waits after the last turn"
