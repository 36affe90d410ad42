"""helpers.loops.trace: the recorded turns of the article's loop tell the truth, and
recording them leaks nothing."""
import pytest

from helpers import loops
from helpers.clients import delayed_requests
from helpers.loops import trace_run

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


def test_the_hook_is_off_by_default_and_tracing_leaks_nothing(service):
    before = snapshot()
    assert loops.run(delayed_requests(service, [0.01, 0.02])) == [b"resource"] * 2
    trace_run(delayed_requests(service, [0.01, 0.02]))
    after = settled(before)
    assert after["descriptors"] <= before["descriptors"], (before, after)
