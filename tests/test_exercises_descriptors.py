"""The descriptors exercise (notebook 07): its check accepts a right count of the room for
sockets and names each usual slip in one line."""
import pytest

from helpers.exercises import ExerciseFailed
from helpers.exercises.descriptors import CASES, check_room_for_sockets, room
from helpers.limits import FD_SETSIZE, open_descriptors, open_file_limit, select_wall


def right(open_fds, soft_limit, watcher):
    wall = min(soft_limit, FD_SETSIZE) if watcher == "select" else soft_limit
    return wall - len([fd for fd in open_fds if fd < wall])


def counts_every_open_one(open_fds, soft_limit, watcher):
    wall = min(soft_limit, FD_SETSIZE) if watcher == "select" else soft_limit
    return wall - len(open_fds)


def from_the_highest(open_fds, soft_limit, watcher):
    return min(soft_limit, FD_SETSIZE) - max(open_fds) - 1


def ignores_the_limit(open_fds, soft_limit, watcher):
    return sum(1 for fd in range(FD_SETSIZE) if fd not in open_fds)


def select_everywhere(open_fds, soft_limit, watcher):
    return right(open_fds, soft_limit, "select")


def returns_text(open_fds, soft_limit, watcher):
    return str(right(open_fds, soft_limit, watcher))


def untouched(open_fds, soft_limit, watcher):
    raise NotImplementedError


def test_the_cases_are_worked_by_hand():
    expected = [1021, 1019, 1021, 253, 19_996, 295]
    assert [room(fds, soft, watcher) for fds, soft, watcher, _slip in CASES] == expected


def test_the_right_count_is_select_wall_on_this_process():
    soft, _hard = open_file_limit()
    assert room(set(open_descriptors()), soft, "select") == select_wall()


def test_a_right_answer_passes(capsys):
    check_room_for_sockets(right)
    assert capsys.readouterr().out.startswith("✓ right:")


@pytest.mark.parametrize("answer, pattern", [
    (from_the_highest, r"holes"),
    (counts_every_open_one, r"above select\(\)'s wall and takes no room"),
    (ignores_the_limit, r"soft limit of 256.*is the wall"),
    (select_everywhere, r"epoll has no FD_SETSIZE"),
    (returns_text, r"return a whole number of sockets"),
], ids=lambda value: getattr(value, "__name__", "pattern"))
def test_each_usual_slip_is_named(answer, pattern):
    with pytest.raises(ExerciseFailed, match=pattern) as failure:
        check_room_for_sockets(answer)
    assert "\n" not in str(failure.value), "one line says what is wrong"


def test_a_count_that_forgets_a_descriptor_above_a_lowered_limit_is_named():
    def counts_all(open_fds, soft_limit, watcher):
        if watcher == "epoll" and soft_limit == 300:
            return soft_limit - len(open_fds)
        return right(open_fds, soft_limit, watcher)
    with pytest.raises(ExerciseFailed, match="opened before the limit was lowered"):
        check_room_for_sockets(counts_all)


def test_an_untouched_stub_gets_the_hint(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_STRICT", raising=False)
    check_room_for_sockets(untouched)
    printed = capsys.readouterr().out
    assert "Not attempted" in printed and "07-open-ten-thousand-connections.py" in printed
