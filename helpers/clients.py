"""Calls to the downstream service, each one checked.

call_blocking    urllib, as most code does it (the article's call_downstream)
call_low_level   http.client, which shows the steps: connect, send, wait, read

Both return the body and raise a CourseError that names the problem (nothing
listening, too slow, wrong status, wrong body) instead of a bare socket error.
"""
import http.client
import numbers
import socket
import urllib.error
import urllib.request

from .downstream import BODY
from .errors import BadResponse, InvalidParameter, ServiceError
from .limits import is_out_of_descriptors, too_many_open_files
from .validate import _describe, address as checked_address, timeout_seconds

# Generous: the slowest lesson waits a few delays; a hang must still end.
DEFAULT_TIMEOUT = 30.0

# urllib honours http_proxy from the environment; loopback must go direct.
# (helpers.service uses this opener too.)
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def check_response(status, body):
    """Raise BadResponse unless this is the service's 200 with its resource body."""
    # Wrong types are a mistake in the call, not a bad answer: say so, not "HTTP '200'".
    if isinstance(status, bool) or not isinstance(status, numbers.Integral):
        raise InvalidParameter(
            f"status must be the HTTP status code as a number, like 200; got {_describe(status)}.")
    if not isinstance(body, (bytes, bytearray)):
        raise InvalidParameter(
            f"body must be the bytes the service sent, like {BODY!r}; got {_describe(body)}.")
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


def call_blocking(url, timeout=DEFAULT_TIMEOUT):
    """GET url with urllib; return the checked body."""
    timeout = timeout_seconds(timeout)
    try:
        with _direct.open(url, timeout=timeout) as reply:
            return check_response(reply.status, reply.read())
    except urllib.error.HTTPError as error:
        return check_response(error.code, error.read())
    except (OSError, http.client.HTTPException) as error:
        # urllib wraps what goes wrong while connecting (and sending) in a URLError.
        connecting = isinstance(error, urllib.error.URLError)
        raise explain_failure(error, url, timeout, connecting=connecting) from None


def call_low_level(address, path="/get_resource", timeout=DEFAULT_TIMEOUT):
    """GET path from (host, port) with http.client; return the checked body."""
    timeout = timeout_seconds(timeout)
    host, port = checked_address(address)
    where = f"{host}:{port}{path}"
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        try:
            conn.connect()
        except OSError as error:
            raise explain_failure(error, where, timeout, connecting=True) from None
        try:
            conn.request("GET", path)
            reply = conn.getresponse()
            return check_response(reply.status, reply.read())
        except (OSError, http.client.HTTPException) as error:
            raise explain_failure(error, where, timeout, connecting=False) from None
    finally:
        conn.close()
