# A solution to the exercise of notebook 03: collect every reply in about the longest delay.
import contextlib
import select

import helpers
from helpers.clients import open_request, read_reply
from helpers.exercises.sockets import check_collect_all
from helpers.wire import resource_path

service = helpers.shared_service()


def collect_all(address, delays, timeout=30):
    """Send one request per delay, then read each reply as select() reports it readable;
    return (delay, body) pairs in the order they were read."""
    with contextlib.ExitStack() as closing:  # closes every socket, whatever happens
        delay_of = {closing.enter_context(open_request(address, resource_path(d))): d
                    for d in delays}
        waiting = list(delay_of)
        pairs = []
        while waiting:
            readable, _, _ = select.select(waiting, [], [], timeout)
            if not readable:
                raise helpers.ServiceError(f"no reply within {timeout} s")
            for sock in readable:
                status, body = read_reply(sock)
                pairs.append((delay_of[sock], helpers.check_response(status, body)))
                waiting.remove(sock)
        return pairs


check_collect_all(collect_all, service)
