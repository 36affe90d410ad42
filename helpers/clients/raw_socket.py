"""HTTP by hand on a plain socket: what urlopen and http.client do underneath.

    sock = open_request(service.address, resource_path(0.5))  # connect + send
    ...                                                         # select() on sock
    status, body = read_reply(sock)                             # read until close
    sock.close()

open_request returns the socket right after sending, before any reply exists,
so the caller decides how to wait: in recv() (blocking), or in select() with
other sockets. The service closes the connection after each reply
(`Connection: close`), so a reply ends where the data ends.
"""
import socket

from .. import validate
from ..errors import BadResponse
from ..wire import (DEFAULT_TIMEOUT, MAX_REPLY_BYTES, RESOURCE_PATH, explain_failure,
                    parse_reply, request_bytes)

CHUNK_BYTES = 65_536


def open_request(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """Connect to (host, port) and send a GET for path; return the socket, unread.

    The socket is in blocking mode (with `timeout` as a safety net against hangs).
    Close it when done: it is a context manager (`with open_request(...) as sock:`).
    """
    host, port = address = validate.address(address)
    timeout = validate.timeout_seconds(timeout)
    where = f"{host}:{port}{path}"
    try:
        sock = socket.create_connection(address, timeout=timeout)
    except OSError as error:
        raise explain_failure(error, where, timeout) from None
    try:
        sock.sendall(request_bytes(host, path))
    except OSError as error:
        sock.close()
        raise explain_failure(error, where, timeout) from None
    except BaseException:
        sock.close()
        raise
    return sock


def read_reply(sock):
    """Read a whole `Connection: close` reply from sock; return (status, body).

    On a blocking socket, this waits in recv() until the reply is there. On a
    non-blocking one whose reply has not arrived, recv() raises BlockingIOError
    and so does this: ask select() first.
    """
    chunks, size = [], 0
    while True:
        try:
            chunk = sock.recv(CHUNK_BYTES)
        except BlockingIOError:
            raise  # not an error of the service: the reply is not here yet
        except OSError as error:
            raise explain_failure(error, _peer(sock), sock.gettimeout() or 0) from None
        if not chunk:  # the server closed its side: the reply is complete
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            raise BadResponse(f"The reply from {_peer(sock)} is over {MAX_REPLY_BYTES:,} "
                              "bytes: not our service's.")
    return parse_reply(b"".join(chunks))


def _peer(sock):
    try:
        host, port = sock.getpeername()[:2]
        return f"{host}:{port}"
    except OSError:
        return "the service"
