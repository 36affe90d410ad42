"""The general-loop exercise: its check accepts a capped fetch and says what is wrong with others."""
import pytest

from helpers import loops
from helpers.clients import fetch_task
from helpers.exercises import ExerciseFailed
from helpers.exercises.general_loop import CAP, DELAYS, batched, best_schedule, check_fetch_all_capped
from helpers.wire import resource_path


SERVICE_DELAY = 0.25  # the conftest's module-scoped service runs at this delay


def right(address, delays, cap):
    permits = loops.Semaphore(cap)

    def one(delay):
        yield from permits.acquire()
        try:
            return delay, (yield from fetch_task(address, resource_path(delay)))
        finally:
            permits.release()

    return (yield from loops.gather(*(one(d) for d in delays)))


def uncapped(address, delays, cap):
    def one(delay):
        return delay, (yield from fetch_task(address, resource_path(delay)))
    return (yield from loops.gather(*(one(d) for d in delays)))


def one_at_a_time(address, delays, cap):
    pairs = []
    for delay in delays:
        pairs.append((delay, (yield from fetch_task(address, resource_path(delay)))))
    return pairs


def batch_by_batch(address, delays, cap):
    pairs = []
    for i in range(0, len(delays), cap):
        pairs += (yield from uncapped(address, delays[i:i + cap], cap))
    return pairs


def finish_order(address, delays, cap):
    permits, finished = loops.Semaphore(cap), []

    def one(delay):
        yield from permits.acquire()
        try:
            finished.append((delay, (yield from fetch_task(address, resource_path(delay)))))
        finally:
            permits.release()

    yield from loops.gather(*(one(d) for d in delays))
    return finished


def never_releases(address, delays, cap):
    permits = loops.Semaphore(cap)

    def one(delay):
        yield from permits.acquire()
        return delay, (yield from fetch_task(address, resource_path(delay)))

    return (yield from loops.gather(*(one(d) for d in delays)))


def returns_nothing(address, delays, cap):
    yield from right(address, delays, cap)


def untouched(address, delays, cap):
    raise NotImplementedError
    yield


def test_the_schedules_are_worked_by_hand():
    assert best_schedule((0.4, 0.1, 0.1, 0.1, 0.4, 0.1, 0.1), 3) == pytest.approx(0.5)
    assert batched((0.4, 0.1, 0.1, 0.1, 0.4, 0.1, 0.1), 3) == pytest.approx(0.9)
    assert best_schedule((1, 1, 1), 1) == pytest.approx(3)
    # the check's own delays separate the right answer from batches, with room to spare
    assert batched(DELAYS, CAP) - best_schedule(DELAYS, CAP) >= 0.3


def test_a_right_answer_passes(service, capsys):
    check_fetch_all_capped(right, service)
    assert capsys.readouterr().out.startswith("✓ right:")


@pytest.mark.parametrize("answer, pattern", [
    (uncapped, r"more than the cap"),
    (one_at_a_time, r"At most 1 request\(s\) were in flight"),
    (batch_by_batch, r"batch by batch"),
    (finish_order, r"not in the order of the delays"),
    (never_releases, r"never given back.*finally"),
    (returns_nothing, r"returned None"),
], ids=lambda value: getattr(value, "__name__", "pattern"))
def test_each_usual_slip_is_named(answer, pattern, service):
    with pytest.raises(ExerciseFailed, match=pattern):
        check_fetch_all_capped(answer, service)


def test_an_untouched_stub_gets_the_hint(service, capsys):
    check_fetch_all_capped(untouched, service)
    printed = capsys.readouterr().out
    assert "Not attempted" in printed and "06-grow-a-general-event-loop.py" in printed
