"""Requests as generator tasks for the article's loop (helpers.loops.run).

A task connects and sends, yields the socket it is about to wait on, and is resumed
once select() says that socket is readable; then it reads the reply and returns it.
"""
import http.client

from .. import validate
from ..wire import DEFAULT_TIMEOUT, RESOURCE_PATH, check_response, explain_failure, resource_path


def call_downstream_async(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """One request as a task: connect and send, yield the socket, then read the reply."""
    # A generator: bad arguments are refused when it first runs, in next() or run().
    host, port = validate.address(address)
    timeout = validate.timeout_seconds(timeout)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.request("GET", path)
        except OSError as error:
            connecting = conn.sock is None  # http.client keeps the socket once connected
            raise explain_failure(error, f"{host}:{port}{path}", timeout,
                                  connecting=connecting) from None
        yield conn.sock  # pause here until the reply can be read without blocking
        try:
            reply = conn.getresponse()
            return check_response(reply.status, reply.read())
        except (OSError, http.client.HTTPException) as error:
            raise explain_failure(error, f"{host}:{port}{path}", timeout,
                                  connecting=False) from None
    finally:
        conn.close()


def delayed_requests(service, delays):
    """One task per delay: a request that the service answers after that many seconds."""
    delays = validate.delay_list(delays)  # all checked before any task exists
    address = service.address
    return [call_downstream_async(address, resource_path(delay)) for delay in delays]
