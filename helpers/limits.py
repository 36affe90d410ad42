"""The operating system's limits on sockets, and errors that explain them.

Two limits meet anyone who opens many connections at once:
- the open-file limit (`ulimit -n`): every socket is a file descriptor;
- FD_SETSIZE: select() can only watch descriptors numbered below 1024.

Where the select() wall stands depends on the process: the kernel gives each new
socket the lowest descriptor number not in use, so what counts is how many numbers
below 1024 are still free, not how many files are open in all.
"""
import errno
import os
import resource

from .errors import TooManySockets

FD_SETSIZE = 1024

__all__ = ["FD_SETSIZE", "open_descriptors", "open_file_limit", "raise_open_file_limit",
           "select_wall"]


def open_file_limit():
    """This process's (soft, hard) open-file limits."""
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def raise_open_file_limit():
    """Raise the soft open-file limit to the hard one (as `ulimit -n` would); return it."""
    soft, hard = open_file_limit()
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
    # macOS refuses values above kern.maxfilesperproc; OPEN_MAX (10,240) always works there.
    for wanted in (target, min(target, 10_240)):
        if soft < wanted:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
                return wanted
            except (ValueError, OSError):
                pass
    return soft


def open_descriptors():
    """The descriptor numbers below FD_SETSIZE that this process has open now, in order."""
    return [fd for fd in range(FD_SETSIZE) if _is_open(fd)]


def _is_open(fd):
    try:
        os.fstat(fd)  # asks about this number only: opens nothing, unlike listing /proc
    except OSError as error:
        return error.errno != errno.EBADF
    return True


def select_wall():
    """How many more sockets select() can watch in this process, opened from now on.

    Each new socket takes the lowest free descriptor number, so this many fit below
    FD_SETSIZE: one more is numbered FD_SETSIZE or above, and select() refuses it. Under
    an open-file limit below FD_SETSIZE, that limit is the wall: one more gets no number.
    """
    return _free_below_the_wall(closing=())


def _free_below_the_wall(closing):
    """Free descriptor numbers below FD_SETSIZE and the soft open-file limit, counting
    the sockets in `closing` (about to be closed) as free."""
    soft, _hard = open_file_limit()
    top = FD_SETSIZE if soft == resource.RLIM_INFINITY else min(FD_SETSIZE, soft)
    freed = {sock.fileno() for sock in closing}
    return sum(1 for fd in range(top) if fd in freed or not _is_open(fd))


def too_many_open_files():
    soft, hard = open_file_limit()
    hard_text = "unlimited" if hard == resource.RLIM_INFINITY else f"{hard:,}"
    return TooManySockets(
        "Ran out of file descriptors: every request in flight holds a socket, and this "
        f"process may have only {soft:,} open files (`ulimit -n`; the hard limit is "
        f"{hard_text}). Use a smaller N, or raise the limit: "
        "helpers.limits.raise_open_file_limit() (up to the hard limit), or "
        "`ulimit -n 20000` in the shell before starting JupyterLab.")


def select_limit_reached(closing=()):
    """The error for a select() that met FD_SETSIZE. closing: the sockets of the failed
    run, which are closed before the error reaches the learner: their numbers are free."""
    fits = _free_below_the_wall(closing)
    return TooManySockets(
        f"select() can only watch file descriptors numbered below {FD_SETSIZE} (FD_SETSIZE), "
        f"and this run opened more sockets than that. This process already has "
        f"{FD_SETSIZE - fits:,} of those numbers in use, so {fits:,} sockets fit "
        "(helpers.limits.select_wall() counts them). Use fewer requests at once "
        f"({fits:,} at most, here), or a selector without this limit, such as "
        "selectors.DefaultSelector() (epoll on Linux, kqueue on macOS).")


def is_out_of_descriptors(error):
    return isinstance(error, OSError) and error.errno in (errno.EMFILE, errno.ENFILE)


def is_select_limit(error):
    return isinstance(error, ValueError) and "filedescriptor out of range" in str(error)
