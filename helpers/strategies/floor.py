"""The floor: the leanest honest client, the benchmark's reference in every run.

n requests on raw non-blocking sockets and one selectors.DefaultSelector (epoll on
Linux, kqueue on macOS): no futures, no tasks, no callbacks, nothing but the system
calls a request needs, in the order fetch_task makes them (connect_ex, wait until
writable, SO_ERROR, send, wait until readable, recv until the reply is complete,
close). It is still honest: every connection is its own, every reply is read to its
end and checked. Whatever a loop costs beyond this, it costs in Python.
"""
import errno
import os
import selectors
import socket

from .. import validate
from ..clients.nonblocking import CHUNK_BYTES, checked_body, reply_complete
from ..wire import DEFAULT_TIMEOUT, explain_failure, request_bytes

READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


def floor(n, service, timeout=DEFAULT_TIMEOUT):
    """n requests at once on bare sockets and a selector; fails if `timeout` seconds pass
    with no socket ready (nothing connected, sent or answered in that time)."""
    timeout = validate.timeout_seconds(timeout)
    host, port = address = service.address
    where = f"{host}:{port}{service.path}"
    request = request_bytes(host, service.path)
    selector = selectors.DefaultSelector()
    socks, unsent, replies = [], [request] * n, [b""] * n
    try:
        for i in range(n):
            sock = socket.socket()
            socks.append(sock)
            sock.setblocking(False)
            code = sock.connect_ex(address)
            if code and code != errno.EINPROGRESS:
                raise OSError(code, os.strerror(code))
            selector.register(sock, WRITE, i)
        left = n
        while left:
            ready = selector.select(timeout)
            if not ready:
                raise TimeoutError(f"no socket was ready within {timeout:g} s")
            for key, events in ready:
                sock, i = key.fileobj, key.data
                if events & WRITE:  # connected (or refused), or room to send the rest
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if code:
                        raise OSError(code, os.strerror(code))
                    unsent[i] = unsent[i][sock.send(unsent[i]):]
                    if not unsent[i]:
                        selector.modify(sock, READ, i)
                    continue
                chunk = sock.recv(CHUNK_BYTES)
                replies[i] += chunk
                if not chunk or reply_complete(replies[i]):
                    selector.unregister(sock)
                    sock.close()
                    left -= 1
    except OSError as error:
        connecting = any(key.events & WRITE and unsent[key.data] is request
                         for key in selector.get_map().values())
        raise explain_failure(error, where, timeout, connecting=connecting) from None
    finally:
        selector.close()
        for sock in socks:
            sock.close()
    return [checked_body(reply, where, timeout) for reply in replies]
