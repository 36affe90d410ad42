"""A solution to the exercise of notebook 08: on asyncio, fetch everything, at most `cap` at a time."""
import asyncio

import helpers
from helpers.exercises.async_await import check_fetch_all_capped_async
from helpers.strategies.asyncio_streams import fetch
from helpers.wire import resource_path

service = helpers.shared_service()


async def fetch_all_capped(address, delays, cap):
    """One request per delay, at most `cap` in flight; (delay, body) pairs in order."""
    host, port = address
    permits = asyncio.Semaphore(cap)  # made here: it belongs to the loop running us

    async def one_request(delay):
        async with permits:  # waits for a permit, and gives it back however it ends
            return delay, await fetch(host, port, resource_path(delay))

    return await asyncio.gather(*(one_request(delay) for delay in delays))


check_fetch_all_capped_async(fetch_all_capped, service)
