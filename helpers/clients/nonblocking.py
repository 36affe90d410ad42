"""One request as a task on the general loop (helpers.loops), blocking nowhere.

The article's task still blocks twice: in connect(), until the server takes the
connection, and in sendall(), while the kernel's buffer is full. This one blocks in
neither. It connects with connect_ex() (EINPROGRESS: under way) and waits until the
socket is writable, which is when the connection is made or refused (SO_ERROR says
which); it sends what the kernel takes and waits for room for the rest; it reads the
reply as it comes, in as many pieces as it comes, until its Content-Length is in (or
the server closes). One deadline covers it all, and the socket is closed in `finally`,
so a cancelled or late request leaves nothing open.

    body = yield from fetch_task(service.address)    # in a generator task
    body = await fetch(service.address)              # in a coroutine
"""
import errno
import http.client
import os
import re
import socket
import types

from .. import validate
from ..errors import BadResponse
from ..loops import deadline, readable, writable
from ..wire import (DEFAULT_TIMEOUT, MAX_REPLY_BYTES, RESOURCE_PATH, check_response,
                    explain_failure, parse_reply, request_bytes)

CHUNK_BYTES = 65_536
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


def fetch_task(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """Request path from address, (host, port), without blocking; return the checked body.

    A generator task (`yield from fetch_task(...)`; a coroutine may await it). It gives
    up after `timeout` seconds with the course's message for what went wrong: nothing
    listening, a server that never accepts, a reply that is late, cut or wrong.
    """
    return unchecked_fetch_task(validate.address(address), path,
                                validate.timeout_seconds(timeout))


@types.coroutine  # so that a coroutine may `await` it too
def unchecked_fetch_task(address, path, timeout):
    """fetch_task, trusting its caller: a strategy checks once, not n times."""
    host, port = address
    where = f"{host}:{port}{path}"
    sock, connected, reply = None, False, b""
    try:
        with deadline(timeout):  # past it, the DeadlineExceeded is explained below
            sock = socket.socket()
            sock.setblocking(False)
            _raise_for(sock.connect_ex(address))  # EINPROGRESS: the handshake is under way
            yield from writable(sock)                 # connected, or refused: SO_ERROR says
            _raise_for(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
            connected = True
            unsent = memoryview(request_bytes(host, path))
            while unsent:  # the kernel takes what fits in its buffer: wait for room
                try:
                    unsent = unsent[sock.send(unsent):]
                except BlockingIOError:
                    yield from writable(sock)
            while not reply_complete(reply):  # however many pieces it comes in
                yield from readable(sock)
                chunk = sock.recv(CHUNK_BYTES)
                if not chunk:
                    break  # the server closed: that is all there is (checked_body judges)
                reply += chunk
    except OSError as error:  # a DeadlineExceeded too: it is a TimeoutError
        raise explain_failure(error, where, timeout, connecting=not connected) from None
    finally:
        if sock is not None:
            sock.close()  # also when cancelled: the task's last act, whatever ended it
    return checked_body(reply, where, timeout)


async def fetch(address, path=RESOURCE_PATH, timeout=DEFAULT_TIMEOUT):
    """fetch_task as a coroutine: `body = await fetch(service.address)`."""
    return await fetch_task(address, path, timeout)


def reply_complete(reply):
    """True once reply holds its headers and as many bytes of body as they announce.

    Without a Content-Length, a reply ends only when the server closes: False.
    """
    if len(reply) > MAX_REPLY_BYTES:
        raise BadResponse(f"The reply is over {MAX_REPLY_BYTES:,} bytes: not our service's.")
    end, length = _announced(reply)
    return length is not None and len(reply) - end >= length


def checked_body(reply, where, timeout):
    """The body of a reply read to its end; what a cut or foreign reply means, in words."""
    if not reply.startswith(b"HTTP/"):
        cause = (http.client.RemoteDisconnected("closed without a reply") if not reply else
                 http.client.BadStatusLine(reply.split(b"\r\n", 1)[0][:60].decode("latin-1")))
        raise explain_failure(cause, where, timeout)
    end, length = _announced(reply)
    if end < 0 or (length is not None and len(reply) - end < length):
        raise explain_failure(http.client.IncompleteRead(reply), where, timeout)
    return check_response(*parse_reply(reply))


def _announced(reply):
    """(where the body starts, the Content-Length announced or None); -1 while the
    headers are still coming."""
    end = reply.find(b"\r\n\r\n")
    if end < 0:
        return -1, None
    length = _CONTENT_LENGTH.search(reply, 0, end + 2)
    return end + 4, None if length is None else int(length.group(1))


def _raise_for(code):
    """Raise the OSError that an errno from connect_ex() or SO_ERROR stands for."""
    if code and code != errno.EINPROGRESS:
        raise OSError(code, os.strerror(code))  # ECONNREFUSED: a ConnectionRefusedError
