"""Strategies that run every request at once on one thread, in an event loop."""
from ..clients import call_downstream_async
from ..loops import run


def article_loop(n, service):
    """n requests as generator tasks on the select() loop: about one delay, whatever n."""
    address, path = service.address, service.path
    return run(call_downstream_async(address, path) for _ in range(n))
