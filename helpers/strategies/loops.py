"""Strategies that run every request at once on one thread, in an event loop."""
from .. import validate
from ..clients import call_downstream_async
from ..clients.nonblocking import unchecked_fetch_task
from ..loops import gather, run, run_main
from ..wire import DEFAULT_TIMEOUT


def article_loop(n, service):
    """n requests as generator tasks on the select() loop: about one delay, whatever n."""
    address, path = service.address, service.path
    return run(call_downstream_async(address, path) for _ in range(n))


def general_loop(n, service, timeout=DEFAULT_TIMEOUT):
    """n fetch_tasks gathered on the general loop (notebook 06): about one delay, whatever
    n, up to the open-file limit; each request has its own deadline of `timeout` s."""
    address, path = service.address, service.path
    timeout = validate.timeout_seconds(timeout)  # once, for the n requests
    return run_main(gather(*(unchecked_fetch_task(address, path, timeout) for _ in range(n))))
