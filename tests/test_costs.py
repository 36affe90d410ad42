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
