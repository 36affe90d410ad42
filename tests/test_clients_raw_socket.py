"""helpers.clients.raw_socket: HTTP by hand: open_request sends, read_reply reads a whole
reply, errors are explained."""
import select

import pytest

import helpers
from helpers.clients import open_request, read_reply
from helpers.wire import resource_path

from support.fakes import free_port
from support.leaks import settled, snapshot


def test_a_request_by_hand_gets_the_resource(service):
    with open_request(service.address, resource_path()) as sock:
        status, body = read_reply(sock)
    assert (status, body) == (200, b"resource")


def test_the_socket_comes_back_before_the_reply(service):
    with open_request(service.address, resource_path(0.5)) as sock:
        readable, _, _ = select.select([sock], [], [], 0)
        assert readable == []
        readable, _, _ = select.select([sock], [], [], 5)
        assert readable == [sock]
        assert read_reply(sock) == (200, b"resource")


def test_a_non_blocking_socket_without_a_reply_raises_blocking_io_error(service):
    with open_request(service.address, resource_path(0.5)) as sock:
        sock.setblocking(False)
        with pytest.raises(BlockingIOError):
            read_reply(sock)


def test_a_bad_delay_is_a_400_with_the_reason(service):
    with open_request(service.address, "/get_resource?delay=-1") as sock:
        status, body = read_reply(sock)
    assert status == 400 and b"0 seconds or more" in body
    with pytest.raises(helpers.BadResponse, match="HTTP 400"):
        helpers.check_response(status, body)


def test_nothing_listening_says_the_service_is_not_running():
    with pytest.raises(helpers.ServiceError, match="not running"):
        open_request(("127.0.0.1", free_port()))


def test_a_reply_slower_than_the_timeout_is_named(service):
    with open_request(service.address, resource_path(2), timeout=0.2) as sock:
        with pytest.raises(helpers.ServiceError, match="slower than"):
            read_reply(sock)


def test_many_requests_leave_no_socket_open(service):
    before = snapshot()
    for _ in range(20):
        with open_request(service.address) as sock:
            read_reply(sock)
    assert settled(before)["descriptors"] <= before["descriptors"]
