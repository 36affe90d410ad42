"""Checks for notebook 01, blocking calls.

check_fetch_with_socket   one request by hand on a bare socket: connect, send, wait, read
"""
import socket
import time

from ..wire import BODY
from . import ExerciseFailed, exercise, require

SOLUTION = "01-make-blocking-calls.py"
# The check asks for this delay whatever the notebook's DELAY, so it takes a moment.
CHECK_DELAY = 0.2
# A socket made during the check gives up after this long, so a request the service
# cannot finish reading (no blank line at its end) fails the check instead of hanging.
GIVE_UP_AFTER = CHECK_DELAY + 5


@exercise(
    hint="socket.create_connection(address) connects and returns a socket: use it in a "
         "`with` block so that it is closed. sendall() sends bytes; recv() blocks until some "
         "bytes arrive, and returns b'' once the service has sent everything and closed. "
         "The body is what follows the first blank line.",
    solution=SOLUTION,
)
def check_fetch_with_socket(fetch_with_socket, service):
    """fetch_with_socket(address, path) must GET path and return the body as bytes."""
    path = f"{service.path}?delay={CHECK_DELAY}"
    service.reset()
    start = time.perf_counter()
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(GIVE_UP_AFTER)  # applies to sockets the learner's code makes
    try:
        body = fetch_with_socket(service.address, path)
    except TimeoutError:
        raise ExerciseFailed(
            f"No answer within {GIVE_UP_AFTER:g} s. The service answers once it has read the "
            "whole request, and a request ends with an empty line: does yours end with "
            "b'\\r\\n\\r\\n'?") from None
    finally:
        socket.setdefaulttimeout(previous_timeout)
    elapsed = time.perf_counter() - start
    answered = service.stats().records

    require(body is not None,
            "Your function returned None: end it with `return body`.")
    require(isinstance(body, bytes),
            f"Your function returned a {type(body).__name__}; return the bytes exactly as "
            "they came from the socket (no .decode()).")
    require(not body.startswith(b"HTTP/"),
            f"You returned the whole answer, headers included ({body[:30]!r}...): the body is "
            "what follows the first blank line, b'\\r\\n\\r\\n'.")
    require(len(answered) == 1,
            f"The service answered {len(answered)} requests during the check, not 1. Your "
            "function must send one request and wait for its answer, not return a body it "
            "made up or stop before the service has answered.")
    require(answered[0].delay == CHECK_DELAY,
            f"The service was asked for another path than {path!r}: send the `path` "
            "argument your function was given, not one of your own.")
    require(body == BODY,
            f"Expected the body {BODY!r}, got {body[:60]!r}. Did you read until recv() "
            "returned b'' and split at the first b'\\r\\n\\r\\n'?")
    return (f"fetched {body!r} with a bare socket in {elapsed:.3f} s, of which the "
            f"service's delay was {CHECK_DELAY:g} s: the rest is connect, send and read.")
