"""helpers.clients.nonblocking: one request on the general loop that blocks nowhere.

Against the real service, and against loopback servers that misbehave the way a slow
network does: a listener that never accepts, a reply in pieces with pauses, a server
that reads slowly while the client's request fills the kernel's buffer, nothing
listening at all. Every ending (an answer, an error, a deadline, a cancellation) must
close the socket.
"""
import asyncio
import contextlib
import socket
import threading
import time

import pytest

import helpers
from helpers.clients import fetch, fetch_task, nonblocking
from helpers.loops import current_loop, gather, run_main, sleep, spawn
from helpers.strategies import floor, general_loop
from helpers.wire import BODY, resource_path

from support.fakes import free_port, silent_listener
from support.leaks import open_descriptors
from support.timing import time_limit

REPLY_HEAD = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n"
              b"Connection: close\r\n\r\n")


@pytest.fixture(autouse=True)
def bounded():
    with time_limit(30):
        yield


SERVICE_DELAY = 0.05  # the conftest's module-scoped service runs at this delay


@pytest.fixture
def opened(monkeypatch):
    """Every socket made during the test, held here: so a socket the client forgot to
    close stays open (rather than being closed by the garbage collector) and is seen."""
    made = []

    class RecordedSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(socket, "socket", RecordedSocket)
    return made


def all_closed(sockets):
    return bool(sockets) and all(sock.fileno() == -1 for sock in sockets)


@contextlib.contextmanager
def scripted_server(pieces, pause=0.0, read_after=0.0, close=True):
    """A one-connection loopback server: waits `read_after` s, reads the request, then
    sends `pieces` with `pause` s between them; closes only if `close`. Yields
    (address, what it received)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    received = bytearray()

    def serve():
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                time.sleep(read_after)
                while b"\r\n\r\n" not in received:
                    chunk = conn.recv(1 << 20)
                    if not chunk:
                        return
                    received.extend(chunk)
                for i, piece in enumerate(pieces):
                    if i:
                        time.sleep(pause)
                    conn.sendall(piece)
                if not close:
                    time.sleep(2)  # holds the connection open: the client must not wait

    thread = threading.Thread(target=serve, name="scripted-server", daemon=True)
    thread.start()
    try:
        yield listener.getsockname(), received
    finally:
        listener.close()
        thread.join(timeout=5)


# -- against the real service -------------------------------------------------------------
def test_a_request_returns_the_checked_body(service):
    assert run_main(fetch_task(service.address)) == BODY


def test_many_requests_wait_side_by_side(service):
    start = time.monotonic()
    bodies = run_main(gather(*(fetch_task(service.address, resource_path(0.2))
                               for _ in range(50))))
    assert bodies == [BODY] * 50
    assert time.monotonic() - start < 0.2 * 5, "the requests did not overlap"


def test_the_coroutine_twin_awaits_the_same_request(service):
    async def main():
        return await fetch(service.address), await gather(fetch(service.address))

    assert run_main(main()) == (BODY, [BODY])


def test_both_strategies_run_inside_a_running_asyncio_loop_as_in_jupyter(service):
    async def notebook_cell():  # ipykernel runs every cell inside its asyncio loop
        assert asyncio.get_running_loop() is not None
        return general_loop(20, service), floor(20, service)

    assert asyncio.run(notebook_cell()) == ([BODY] * 20, [BODY] * 20)


# -- servers that are slow, silent or absent ----------------------------------------------
def test_a_refused_port_says_nothing_is_listening(opened):
    with pytest.raises(helpers.ServiceError, match=r"Nothing is listening at .*not running"):
        run_main(fetch_task(("127.0.0.1", free_port())))
    assert all_closed(opened)


def test_a_listener_whose_backlog_is_full_is_named_a_connect_timeout(opened):
    with silent_listener(backlog=1) as address, contextlib.ExitStack() as held:
        for _ in range(4):  # fill the backlog: Linux queues backlog + 1 connections
            sock = held.enter_context(socket.socket())
            sock.setblocking(False)
            sock.connect_ex(address)
        time.sleep(0.05)  # their handshakes complete (or do not): the queue is full
        fillers = len(opened)
        start = time.monotonic()
        with pytest.raises(helpers.ServiceError,
                           match=r"(?s)within 0.3 s.*did not accept the connection.*backlog"):
            run_main(fetch_task(address, timeout=0.3))
        assert 0.3 <= time.monotonic() - start < 1.5, "connect() blocked, or hung"
        assert all_closed(opened[fillers:])


def test_a_listener_that_never_accepts_is_named_once_the_deadline_passes():
    with silent_listener(backlog=8) as address:  # connected by the kernel, never accepted
        before = open_descriptors()
        with pytest.raises(helpers.ServiceError,
                           match=r"(?s)within 0.2 s.*slower than.*never took the connection"):
            run_main(fetch_task(address, timeout=0.2))
        assert open_descriptors() == before  # the traceback holds the task: still closed


def test_a_reply_in_pieces_is_read_to_its_content_length_without_waiting_for_close():
    pieces = [REPLY_HEAD[:9], REPLY_HEAD[9:40], REPLY_HEAD[40:], b"res", b"ource"]
    with scripted_server(pieces, pause=0.05, close=False) as (address, _):
        start = time.monotonic()
        assert run_main(fetch_task(address)) == BODY
        took = time.monotonic() - start
    assert 0.2 <= took < 1.5, f"{took:.2f} s: read before it all came, or waited for close"


def test_a_reply_without_content_length_ends_when_the_server_closes():
    head = REPLY_HEAD.replace(b"Content-Length: 8\r\n", b"")
    with scripted_server([head, b"reso", b"urce"], pause=0.05) as (address, _):
        assert run_main(fetch_task(address)) == BODY


def test_a_request_larger_than_the_kernel_buffers_waits_for_room(monkeypatch):
    waits = []
    real_writable = nonblocking.writable

    def counted_writable(sock):
        waits.append(sock)
        return real_writable(sock)

    monkeypatch.setattr(nonblocking, "writable", counted_writable)
    path = "/get_resource?padding=" + "x" * 8_000_000  # more than loopback buffers hold
    with scripted_server([REPLY_HEAD + BODY], read_after=0.2) as (address, received):
        assert run_main(fetch_task(address, path)) == BODY
    assert len(waits) >= 2, "send() never found the buffer full: the test proves nothing"
    assert bytes(received).startswith(f"GET {path} HTTP/1.1\r\n".encode())
    assert bytes(received).endswith(b"\r\n\r\n"), "part of the request was lost"


def test_a_reply_too_large_for_our_service_is_refused():
    head = REPLY_HEAD.replace(b"Content-Length: 8", b"Content-Length: 2000000")
    with scripted_server([head, b"x" * 2_000_000]) as (address, _):
        with pytest.raises(helpers.BadResponse, match=r"over 1,048,576 bytes"):
            run_main(fetch_task(address))


# -- endings: a deadline and a cancellation close the socket ------------------------------
def test_a_request_past_its_deadline_is_named_and_its_socket_closed(service, opened):
    def main_task():
        start = time.monotonic()
        with pytest.raises(helpers.ServiceError, match=r"within 0.2 s.*slower than"):
            yield from fetch_task(service.address, resource_path(2), timeout=0.2)
        return time.monotonic() - start

    assert 0.2 <= run_main(main_task()) < 1.0
    assert all_closed(opened)


def test_cancelling_a_request_while_it_waits_closes_its_socket(service, opened):
    def main_task():
        request = spawn(fetch_task(service.address, resource_path(2)))
        yield from sleep(0.1)  # connected and sent: waiting for the reply
        assert len(opened) == 1 and opened[0].fileno() != -1 and not request.done()
        request.cancel()
        yield from sleep(0)
        return request, len(current_loop()._selector.get_map())

    request, still_watched = run_main(main_task())
    assert request.cancelled()
    assert all_closed(opened), "the cancelled request left its socket open"
    assert still_watched == 0, "the cancelled request left its socket in the selector"
