"""Where select()'s wall stands in this process: helpers.limits.select_wall().

The wall is not "about 1,000": it is the number of descriptor numbers below
FD_SETSIZE still free, because each new socket takes the lowest free number. These
tests open sockets and check that the count follows them one for one, and that the
article's loop runs exactly select_wall() requests at once and fails at one more, with
a message that gives that number.
"""
import contextlib
import resource
import socket

import pytest

import helpers
from helpers.limits import FD_SETSIZE, open_descriptors, select_wall
from helpers.strategies import article_loop

from support.leaks import left_behind, snapshot
from support.timing import time_limit


@pytest.fixture(autouse=True)
def hard_time_bound():
    with time_limit(60):
        yield


def test_the_wall_is_the_free_numbers_below_fd_setsize(room_past_fd_setsize):
    in_use = open_descriptors()
    assert in_use == sorted(set(in_use)), in_use
    assert all(0 <= fd < FD_SETSIZE for fd in in_use)
    assert select_wall() == FD_SETSIZE - len(in_use)


def test_each_socket_opened_or_closed_moves_the_wall_by_one(room_past_fd_setsize):
    before = select_wall()
    with contextlib.ExitStack() as closing:
        sockets = [closing.enter_context(socket.socket()) for _ in range(5)]
        assert select_wall() == before - 5
        assert all(sock.fileno() in open_descriptors() for sock in sockets)
    assert select_wall() == before


def test_a_hole_among_the_numbers_is_used_first(room_past_fd_setsize):
    """Why free numbers, not open files, are what count: a closed number is reused."""
    with contextlib.ExitStack() as closing:
        first, second, third = (closing.enter_context(socket.socket()) for _ in range(3))
        hole = second.fileno()
        second.close()
        assert hole not in open_descriptors()
        with socket.socket() as refill:
            assert refill.fileno() == hole
        assert first.fileno() < hole < third.fileno()


def test_a_low_open_file_limit_lowers_the_wall():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    in_use = open_descriptors()
    low = max(in_use) + 20  # above every number in use, far below FD_SETSIZE
    if low >= FD_SETSIZE:
        pytest.skip("this process already uses descriptor numbers near FD_SETSIZE")
    resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))
    try:
        assert select_wall() == low - len(in_use)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_loop_runs_at_the_wall_and_fails_one_past_it_naming_it(
        room_past_fd_setsize):
    with helpers.Service(delay=0.1) as service:
        before = snapshot()
        wall = select_wall()
        at_the_wall = helpers.measure(article_loop, wall, service)
        assert at_the_wall.n == wall
        with pytest.raises(helpers.TooManySockets) as failure:
            article_loop(wall + 1, service)
        message = str(failure.value)
        assert f"{wall:,} sockets fit" in message, message
        assert f"{FD_SETSIZE - wall:,} of those numbers in use" in message, message
        assert f"({wall:,} at most, here)" in message, message
        assert not left_behind(before), "the failed run left sockets open"
        assert select_wall() == wall, "the failed run's sockets should all be closed"
