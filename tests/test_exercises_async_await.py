"""The async/await exercise: its check accepts a capped asyncio fetch and says what is wrong with others."""
import asyncio

import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.async_await import check_fetch_all_capped_async
from helpers.strategies.asyncio_streams import fetch
from helpers.wire import resource_path


SERVICE_DELAY = 0.25  # the conftest's module-scoped service runs at this delay


async def right(address, delays, cap):
    permits = asyncio.Semaphore(cap)

    async def one(delay):
        async with permits:
            return delay, await fetch(*address, resource_path(delay))
    return await asyncio.gather(*(one(d) for d in delays))


async def uncapped(address, delays, cap):
    async def one(delay):
        return delay, await fetch(*address, resource_path(delay))
    return await asyncio.gather(*(one(d) for d in delays))


async def one_at_a_time(address, delays, cap):
    return [(d, await fetch(*address, resource_path(d))) for d in delays]


async def batch_by_batch(address, delays, cap):
    async def one(delay):
        return delay, await fetch(*address, resource_path(delay))
    pairs = []
    for i in range(0, len(delays), cap):
        pairs += await asyncio.gather(*(one(d) for d in delays[i:i + cap]))
    return pairs


async def finish_order(address, delays, cap):
    permits = asyncio.Semaphore(cap)

    async def one(delay):
        async with permits:
            return delay, await fetch(*address, resource_path(delay))
    return [await each for each in asyncio.as_completed([one(d) for d in delays])]


def not_a_coroutine_function(address, delays, cap):
    return []


def test_the_right_answer_passes(service, capsys):
    check_fetch_all_capped_async(right, service)
    assert "✓" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, says", [
    (uncapped, "more than the cap"),
    (one_at_a_time, "one at a time"),
    (batch_by_batch, "batches"),
    (finish_order, "as they finished"),
    (not_a_coroutine_function, "async def"),
])
def test_each_usual_slip_is_named(service, wrong, says):
    with pytest.raises(ExerciseFailed, match=says):
        check_fetch_all_capped_async(wrong, service)


def test_the_placeholder_gets_the_hint(service, capsys):
    async def placeholder(address, delays, cap):
        raise NotImplementedError
    check_fetch_all_capped_async(placeholder, service)
    out = capsys.readouterr().out
    assert "Not attempted" in out and "08-await-instead-of-yield.py" in out
