"""helpers.wire: what clients and the service agree on: the request, the path, the reply
and what counts as a right one."""
import pytest

import helpers
from helpers.wire import parse_reply, request_bytes, resource_path


def test_the_request_is_a_plain_get_that_asks_to_close():
    data = request_bytes("127.0.0.1", "/get_resource")
    assert data.startswith(b"GET /get_resource HTTP/1.1\r\n")
    assert b"Connection: close\r\n" in data and data.endswith(b"\r\n\r\n")


def test_resource_path_asks_for_a_delay_and_refuses_bad_ones():
    assert resource_path() == "/get_resource"
    assert resource_path(0.25) == "/get_resource?delay=0.25"
    with pytest.raises(helpers.InvalidParameter):
        resource_path(-1)


def test_replies_cut_short_or_not_http_are_bad_responses():
    good = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nresource"
    assert parse_reply(good) == (200, b"resource")
    with pytest.raises(helpers.BadResponse, match="cut short"):
        parse_reply(good[:-3])
    with pytest.raises(helpers.BadResponse, match="before its headers"):
        parse_reply(b"HTTP/1.1 200 OK\r\nContent-")
    with pytest.raises(helpers.BadResponse, match="status line"):
        parse_reply(b"SSH-2.0-OpenSSH\r\n\r\n")


def test_wrong_status_and_body_are_errors():
    with pytest.raises(helpers.BadResponse, match="HTTP 500"):
        helpers.check_response(500, b"oops")
    with pytest.raises(helpers.BadResponse, match="cut short"):
        helpers.check_response(200, b"reso")
