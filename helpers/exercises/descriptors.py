"""Checks for notebook 07, ten thousand connections: how many more sockets fit?

The exercise asks for room_for_sockets(open_fds, soft_limit, watcher): given the
descriptor numbers a process has open, its soft open-file limit, and how it watches its
sockets ("select" or "epoll"), how many more sockets can it open and watch? Each new
socket takes the lowest free number; select() only takes numbers below FD_SETSIZE, and
no descriptor may be numbered at or above the soft limit. So the answer is how many
numbers below the lower of those two walls are free. Each case below catches one usual
slip, and the message names it.
"""
import numbers

from ..limits import FD_SETSIZE, open_descriptors, open_file_limit, select_wall
from . import ExerciseFailed, exercise, require

# (open descriptors, soft limit, watcher, what a slip here would mean)
CASES = [
    ({0, 1, 2}, 20_000, "select", None),
    ({0, 1, 2, 5, 9}, 20_000, "select", "holes"),
    ({0, 1, 2, 1500}, 20_000, "select", "above the wall"),
    ({0, 1, 2}, 256, "select", "limit first"),
    ({0, 1, 2, 1500}, 20_000, "epoll", "no FD_SETSIZE"),
    ({0, 1, 2, 3, 4, 500}, 300, "epoll", "above the limit"),
]


def room(open_fds, soft_limit, watcher):
    """The right answer: free descriptor numbers below the lower wall."""
    top = min(soft_limit, FD_SETSIZE) if watcher == "select" else soft_limit
    return sum(1 for fd in range(top) if fd not in open_fds)


def _what_is_wrong(got, fds, soft, watcher, slip):
    call = f"room_for_sockets({sorted(fds)}, {soft:,}, {watcher!r}) returned {got:,}"
    right = room(fds, soft, watcher)
    if slip == "holes" and got == FD_SETSIZE - max(fds) - 1:
        return (f"{call}, not {right:,}: numbers below the highest open one that are free "
                "(the holes) are taken first by new sockets; count every free number.")
    if slip == "above the wall" and got == FD_SETSIZE - len(fds):
        return (f"{call}, not {right:,}: descriptor 1500 is above select()'s wall and takes "
                f"no room below it; count only the free numbers below {FD_SETSIZE:,}.")
    if slip == "limit first" and got >= FD_SETSIZE - len(fds):
        return (f"{call}, not {right:,}: with a soft limit of {soft}, no descriptor may be "
                f"numbered {soft} or more, so that limit is the wall, below select()'s.")
    if slip == "no FD_SETSIZE" and got <= FD_SETSIZE:
        return (f"{call}, not {right:,}: epoll has no FD_SETSIZE; only the soft open-file "
                "limit bounds its sockets' numbers.")
    if slip == "above the limit" and got == soft - len(fds):
        return (f"{call}, not {right:,}: descriptor 500 was opened before the limit was "
                f"lowered to {soft}; it takes no room below the limit.")
    return (f"{call}, expected {right:,}: count the free descriptor numbers below the wall "
            f"(the soft limit, and for select() also {FD_SETSIZE:,}).")


@exercise(hint="Work out the wall first: the soft limit, or for 'select' the lower of the "
               "soft limit and FD_SETSIZE (1,024). Then count the numbers in "
               "range(wall) that are not in open_fds: each new socket takes the lowest "
               "free number.",
          solution="07-open-ten-thousand-connections.py")
def check_room_for_sockets(room_for_sockets):
    """room_for_sockets(open_fds, soft_limit, watcher) must count the free descriptor
    numbers below the lower of the soft limit and (for select) FD_SETSIZE."""
    for fds, soft, watcher, slip in CASES:
        got = room_for_sockets(set(fds), soft, watcher)
        require(isinstance(got, numbers.Integral) and not isinstance(got, bool),
                f"room_for_sockets returned {got!r} ({type(got).__name__}): return a whole "
                "number of sockets, like 1021.")
        if got != room(fds, soft, watcher):
            raise ExerciseFailed(_what_is_wrong(got, fds, soft, watcher, slip))
    here = set(open_descriptors())
    soft, _hard = open_file_limit()
    mine, wall = room_for_sockets(here, soft, "select"), select_wall()
    require(mine == wall,
            f"On this kernel room_for_sockets(open descriptors, {soft:,}, 'select') returned "
            f"{mine:,}, but helpers.limits.select_wall() counts {wall:,}.")
    return (f"right: in every case, and on this kernel: {mine:,} more sockets fit under "
            f"select(), as select_wall() says; under epoll, "
            f"{room_for_sockets(here, soft, 'epoll'):,}.")
