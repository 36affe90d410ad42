"""Checks for notebook 01, blocking calls.

check_fetch_with_socket   one request by hand on a bare socket: connect, send, wait, read
"""
import re
import socket
import time

from ..wire import BODY
from . import ExerciseFailed, exercise, require
from .probes import counting_unclosed_sockets, recording_sent_bytes

SOLUTION = "01-make-blocking-calls.py"
# The check asks for this delay whatever the notebook's DELAY, so it takes a moment.
CHECK_DELAY = 0.2
# A socket made during the check gives up after this long, so a request the service
# cannot finish reading (no blank line at its end) fails the check instead of hanging.
GIVE_UP_AFTER = CHECK_DELAY + 5
# The header line that asks the service to close the connection once it has answered.
CONNECTION_CLOSE = re.compile(rb"\r\nconnection:[ \t]*close[ \t]*(\r\n|$)", re.IGNORECASE)


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
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(GIVE_UP_AFTER)  # applies to sockets the learner's code makes
    try:
        with counting_unclosed_sockets() as unclosed, recording_sent_bytes() as sent:
            start = time.perf_counter()
            body = fetch_with_socket(service.address, path)
            elapsed = time.perf_counter() - start
    except TimeoutError:
        raise ExerciseFailed(
            f"No answer within {GIVE_UP_AFTER:g} s. The service answers once it has read the "
            "whole request, and a request ends with an empty line: does yours end with "
            "b'\\r\\n\\r\\n'?") from None
    finally:
        socket.setdefaulttimeout(previous_timeout)
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
    require(asks_to_close(sent),
            "Your request has no `Connection: close` line. This service closes the connection "
            "after each answer anyway, but an HTTP/1.1 server keeps it open for your next "
            "request, and a recv() loop that waits for b'' would wait until the server gives "
            "up. Send the request the exercise shows, with b'Connection: close\\r\\n' before "
            "the blank line.")
    require(not unclosed,
            "Your function left its socket open, for the garbage collector to close after it "
            "returned. Open it in a `with` block (with socket.create_connection(address) as "
            "sock:), or call sock.close() once the answer is read.")
    return (f"fetched {body!r} with a bare socket in {elapsed:.3f} s, of which the "
            f"service's delay was {CHECK_DELAY:g} s: the rest is connect, send and read.")


def asks_to_close(sent):
    """Whether the request among the bytes sent has a `Connection: close` header.

    True if no request was seen (sent by other means than send() and sendall()): the
    check then has nothing to say about it.
    """
    requests = [data for data in sent if data.startswith(b"GET ")]
    if not requests:
        return True
    head = requests[0].partition(b"\r\n\r\n")[0]
    return CONNECTION_CLOSE.search(head) is not None
