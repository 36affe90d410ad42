"""helpers.open_files: a child with a low open-file limit meets EMFILE; make_room_for raises
the soft limit as far as it may, and otherwise says which `ulimit -n` to ask for."""
import resource

import pytest

from helpers.errors import InvalidParameter, TooManySockets
from helpers.limits import open_file_limit
from helpers.open_files import SPARE, hit_the_open_file_limit, make_room_for


def test_a_low_limit_ends_in_emfile_and_leaves_ours_alone():
    ours = open_file_limit()
    run = hit_the_open_file_limit(64)
    assert run.soft == 64 and run.error.startswith("EMFILE")
    assert run.opened + run.in_use_before == 64, run
    assert open_file_limit() == ours


def test_the_child_raises_what_it_may_and_says_where_the_hard_limit_stops_it():
    run = hit_the_open_file_limit(32, hard=128, need=1000)
    assert run.soft == 128 and run.hard == 128, "raised to the hard limit, no further"
    assert run.opened + run.in_use_before == 128
    assert "hard limit (128)" in run.no_room and f"ulimit -n {1000 + SPARE}" in run.no_room


def test_enough_room_needs_no_message():
    run = hit_the_open_file_limit(32, hard=256, need=100)
    assert run.no_room is None and run.soft >= 100 + SPARE


def test_make_room_for_returns_the_limit_when_it_fits():
    soft, hard = open_file_limit()
    if hard != resource.RLIM_INFINITY and hard < 100 + SPARE:
        pytest.skip("this machine's hard limit is too low")
    assert make_room_for(100) >= 100 + SPARE


def test_make_room_for_says_what_to_ask_for():
    _soft, hard = open_file_limit()
    if hard == resource.RLIM_INFINITY or hard >= 100_000 + SPARE:
        pytest.skip("this machine's hard limit would allow it")
    with pytest.raises(TooManySockets, match=r"ulimit -n 100064"):
        make_room_for(100_000)


@pytest.mark.parametrize("kwargs, pattern", [
    ({"soft": 8}, r"too low for Python to start"),
    ({"soft": 64, "hard": 32}, r"below soft=64"),
])
def test_limits_that_cannot_work_are_refused(kwargs, pattern):
    with pytest.raises(InvalidParameter, match=pattern):
        hit_the_open_file_limit(**kwargs)
