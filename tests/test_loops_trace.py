"""helpers.trace: the recorded turns of the loop tell the truth, and the widget shows them."""
import pytest

from helpers import loops
from helpers.clients import delayed_requests
from helpers.loops import trace_run
from helpers.views import describe, step_through, task_states, trace_table

from support.leaks import settled, snapshot

DELAYS = [0.3, 0.05, 0.15]  # task 0 slow, task 1 fast, task 2 medium


@pytest.fixture(scope="module")
def traced(service):
    return trace_run(delayed_requests(service, DELAYS))


def test_results_are_those_of_the_plain_loop(traced):
    results, _steps = traced
    assert results == [b"resource"] * len(DELAYS)


def test_every_task_is_started_before_select_is_called(traced):
    _results, steps = traced
    first = steps[:len(DELAYS)]
    assert [s.ran for s in first] == list(range(len(DELAYS)))
    assert all(s.first_run and not s.called_select and not s.finished for s in first)
    assert first[-1].ready_after == () and len(first[-1].waiting_after) == len(DELAYS)


def test_each_task_yields_once_and_finishes_once_fastest_first(traced):
    _results, steps = traced
    assert len(steps) == 2 * len(DELAYS)
    finishing = [s.ran for s in steps if s.finished]
    assert finishing == [1, 2, 0]
    assert steps[-1].waiting_after == () and steps[-1].ready_after == ()
    assert [task for task, _ in steps[-1].done_after] == [1, 2, 0]


def test_select_watches_the_waiting_sockets_and_returns_some_of_them(traced):
    _results, steps = traced
    for before, step in zip(steps, steps[1:]):
        if step.called_select:
            assert before.ready_after == ()  # only called when no task can run
            assert step.watched == before.waiting_after
            assert set(step.selected) <= set(step.watched) and step.selected
            assert step.ran == step.selected[0][0]
    slowest = steps[-1]
    assert slowest.called_select and slowest.took >= DELAYS[0] - max(DELAYS[1:]) - 0.05


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


def test_the_hook_is_off_by_default_and_tracing_leaks_nothing(service):
    before = snapshot()
    assert loops.run(delayed_requests(service, [0.01, 0.02])) == [b"resource"] * 2
    trace_run(delayed_requests(service, [0.01, 0.02]))
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)


def test_a_failing_hook_still_closes_every_task(service):
    before = snapshot()

    def fails(**_state):
        raise RuntimeError("the hook broke")

    with pytest.raises(RuntimeError, match="hook broke"):
        loops.run(delayed_requests(service, [0.01] * 5), on_step=fails)
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)
