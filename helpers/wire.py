"""What the clients and the service agree on: where the resource is, what it says,
how a request is written and a reply read, and what each failure on the wire means.

    GET /get_resource[?delay=S] HTTP/1.1   ->   200, body b"resource", Connection: close

Both sides import this module and nothing of each other, so a client never needs the
service's code, and the service none of the clients'.
"""
import http.client
import numbers
import socket
import urllib.error
import urllib.request

from . import validate
from .errors import BadResponse, InvalidParameter, ServiceError
from .limits import is_out_of_descriptors, too_many_open_files

HOST = "127.0.0.1"
RESOURCE_PATH = "/get_resource"
BODY = b"resource"
# Generous: the slowest lesson waits a few delays; a hang must still end.
DEFAULT_TIMEOUT = 30.0
# Our service's replies are tiny; anything this big is not from it.
MAX_REPLY_BYTES = 1_048_576

# urllib honours http_proxy from the environment; loopback must go direct.
direct_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

__all__ = ["BODY", "DEFAULT_TIMEOUT", "HOST", "RESOURCE_PATH", "check_response", "parse_reply",
           "request_bytes", "resource_path"]


def resource_path(delay=None):
    """The path of the resource, served after `delay` seconds (the service's own if None)."""
    if delay is None:
        return RESOURCE_PATH
    return f"{RESOURCE_PATH}?delay={validate.delay_seconds(delay)!r}"


def request_bytes(host, path):
    """The bytes of a GET request: a request line, two headers and an empty line."""
    return (f"GET {path} HTTP/1.1\r\n"
            f"Host: {host}\r\n"
            "Connection: close\r\n"
            "\r\n").encode("ascii")


def parse_reply(data):
    """Split the bytes of an HTTP/1.x reply into (status, body), checking its length."""
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        raise BadResponse(f"The reply ended before its headers did: {data[:60]!r} "
                          "(cut short, or not HTTP?)")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise BadResponse(f"Not an HTTP status line: {status_line[:60]!r}")
    status = int(parts[1])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        expected = headers["content-length"]
        if not expected.isdigit() or int(expected) != len(body):
            raise BadResponse(f"The reply announced {expected} bytes of body but carried "
                              f"{len(body)}: cut short?")
    return status, body


def check_response(status, body):
    """Raise BadResponse unless this is the service's 200 with its resource body."""
    # Wrong types are a mistake in the call, not a bad answer: say so, not "HTTP '200'".
    if isinstance(status, bool) or not isinstance(status, numbers.Integral):
        raise InvalidParameter(
            f"status must be the HTTP status code as a number, like 200; got {validate.describe(status)}.")
    if not isinstance(body, (bytes, bytearray)):
        raise InvalidParameter(
            f"body must be the bytes the service sent, like {BODY!r}; got {validate.describe(body)}.")
    if status != 200:
        text = bytes(body).decode(errors="replace").strip()
        raise BadResponse(f"The service answered HTTP {status}: {text}")
    if body != BODY:
        raise BadResponse(f"Expected the body {BODY!r}, got {bytes(body[:60])!r} "
                          "(cut short or from another server?)")
    return body


def explain_failure(error, where, timeout, *, connecting=None):
    """Turn a socket-level failure into a CourseError that says what to do.

    connecting says whether it happened while connecting (True), while waiting for
    the reply (False), or is not known (None): a timeout means different things.
    """
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if is_out_of_descriptors(error):
        return too_many_open_files()
    if isinstance(error, ConnectionRefusedError):
        return ServiceError(
            f"Nothing is listening at {where}: the service is not running. "
            "Start one with helpers.shared_service() and use its .url.")
    if isinstance(error, (socket.timeout, TimeoutError)):
        return ServiceError(f"No answer from {where} within {timeout:g} s. "
                            + _TIMEOUT_CAUSES[connecting])
    if isinstance(error, (http.client.IncompleteRead, http.client.RemoteDisconnected,
                          ConnectionResetError, BrokenPipeError)):
        return BadResponse(f"The connection to {where} was cut before the whole "
                           f"response arrived ({type(error).__name__}): was the service stopped?")
    if isinstance(error, http.client.HTTPException):
        what = f"{type(error).__name__}: {str(error).strip()[:60]!r}"
        return BadResponse(f"What came back from {where} is not an HTTP response ({what}): "
                           "is another program listening on that port?")
    return ServiceError(f"Calling {where} failed: {error!r}")


_BACKLOG_FULL = ("its listen backlog (the queue of connections waiting to be accepted) is "
                 "full, because it accepts connections more slowly than they arrive")
_TIMEOUT_CAUSES = {
    # Connecting timed out: the server never took the connection.
    True: f"The server did not accept the connection: {_BACKLOG_FULL}. Make fewer requests "
          "at once, or give the server a larger backlog (listen(backlog), which Linux caps "
          "at net.core.somaxconn).",
    # Connected, then no reply: a client cannot tell a slow server from one that has not
    # yet accepted (the system completes connections waiting in the backlog).
    False: "Either the service is slower than this client's timeout (ask for a shorter delay "
           f"or pass a larger timeout), or it never took the connection: {_BACKLOG_FULL} "
           "(make fewer requests at once).",
}
_TIMEOUT_CAUSES[None] = _TIMEOUT_CAUSES[False]
