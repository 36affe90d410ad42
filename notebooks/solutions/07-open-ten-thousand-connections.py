"""A solution to the exercise of notebook 07: how many more sockets fit?"""
from helpers.exercises.descriptors import check_room_for_sockets
from helpers.limits import FD_SETSIZE


def room_for_sockets(open_fds, soft_limit, watcher):
    """How many more sockets this process can open and watch with `watcher`."""
    wall = min(soft_limit, FD_SETSIZE) if watcher == "select" else soft_limit
    # Each new socket takes the lowest free number: every free number below the wall is
    # one more socket; open ones above the wall take no room below it.
    return sum(1 for fd in range(wall) if fd not in open_fds)


check_room_for_sockets(room_for_sockets)
