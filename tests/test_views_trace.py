"""helpers.views.trace: the loop's recorded turns in words, in a table, and in a widget
that steps through them."""
import pytest

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
