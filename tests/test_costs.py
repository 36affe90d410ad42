"""helpers.costs: what a thread costs in time and memory, measured on this system."""
from helpers import costs

from support.ci import skip_or_fail


def test_a_thread_costs_little_time_and_memory(no_leaks):
    cost = costs.thread_cost(100)
    assert 0 < cost.start_join_seconds < 0.01
    if cost.resident_bytes is not None:
        assert 0 <= cost.resident_bytes < 1024 * 1024
        assert cost.reserved_bytes >= cost.resident_bytes
    assert "per thread" in str(cost)


def test_memory_is_measured_on_this_system():
    resident, reserved = costs.process_memory()
    assert resident > 1024 * 1024 and reserved >= resident


def test_the_ps_fallback_agrees_roughly_with_proc():
    try:
        by_ps = costs._from_ps()
    except (OSError, ValueError):
        skip_or_fail("no ps here")
    by_proc = costs.process_memory()
    assert 0.5 < by_ps[0] / by_proc[0] < 2


def test_a_paused_task_is_measured_and_costs_less_than_a_parked_thread():
    from helpers.costs import task_cost, thread_cost
    task = task_cost(2_000)
    assert task.tasks == 2_000 and 0 < task.start_seconds < 0.01
    # A generator frame, a Task and a callback: hundreds of bytes, not kilobytes of stack.
    assert 100 < task.allocated_bytes < 4_096, task
    thread = thread_cost(100)
    if thread.resident_bytes is not None:
        assert task.allocated_bytes < thread.resident_bytes, (task, thread)
    assert "per task, over 2,000 tasks" in str(task)
