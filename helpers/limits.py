"""The operating system's limits on sockets, and errors that explain them.

Two limits meet anyone who opens many connections at once:
- the open-file limit (`ulimit -n`): every socket is a file descriptor;
- FD_SETSIZE: select() can only watch descriptors numbered below 1024.
"""
import errno
import resource

from .errors import TooManySockets

FD_SETSIZE = 1024

__all__ = ["FD_SETSIZE", "open_file_limit", "raise_open_file_limit"]


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


def too_many_open_files():
    soft, hard = open_file_limit()
    hard_text = "unlimited" if hard == resource.RLIM_INFINITY else f"{hard:,}"
    return TooManySockets(
        "Ran out of file descriptors: every request in flight holds a socket, and this "
        f"process may have only {soft:,} open files (`ulimit -n`; the hard limit is "
        f"{hard_text}). Use a smaller N, or raise the limit: "
        "helpers.limits.raise_open_file_limit() (up to the hard limit), or "
        "`ulimit -n 20000` in the shell before starting JupyterLab.")


def select_limit_reached():
    return TooManySockets(
        f"select() can only watch file descriptors numbered below {FD_SETSIZE} (FD_SETSIZE), "
        "and this run opened more sockets than that. Use fewer requests at once (about "
        "1,000 at most), or a selector without this limit, such as "
        "selectors.DefaultSelector() (epoll on Linux, kqueue on macOS).")


def is_out_of_descriptors(error):
    return isinstance(error, OSError) and error.errno in (errno.EMFILE, errno.ENFILE)


def is_select_limit(error):
    return isinstance(error, ValueError) and "filedescriptor out of range" in str(error)
