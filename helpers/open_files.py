"""The open-file limit, met on purpose in a child process, and making room under it.

Every socket is a file descriptor, and a process may hold at most its *soft* open-file
limit of them (`ulimit -n`, RLIMIT_NOFILE). One more, and socket() or accept() fails
with EMFILE, "Too many open files". A process may raise its soft limit up to its *hard*
limit by itself; only an administrator raises the hard one.

To watch it happen without lowering the notebook's own limit, hit_the_open_file_limit()
runs a fresh Python with a low limit that opens sockets until it is refused, and says
what it saw. make_room_for() is what a program does before it opens n sockets: raise
the soft limit as far as it needs, or say which `ulimit -n` to ask for.

    python -m helpers.open_files '{"soft": 64, "hard": 256, "need": 1000}'   # the child
"""
import errno
import json
import os
import resource
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import Optional

from .errors import CourseError, InvalidParameter, TooManySockets
from .limits import open_file_limit, raise_open_file_limit
from .validate import request_count

MOST_SOCKETS = 100_000  # make_room_for(): more than any lesson opens at once
LOWEST_LIMIT = 16       # a Python with fewer open files may fail to start at all
HIGHEST_LIMIT = 4_096   # the child opens that many sockets at most: quick, and bounded
SPARE = 64              # descriptors a process keeps besides its sockets (pipes, files)
CHILD_SECONDS = 60

__all__ = ["OpenFileRun", "hit_the_open_file_limit", "make_room_for"]


def _hard_text(hard):
    return "unlimited" if hard == resource.RLIM_INFINITY else f"{hard:,}"


def make_room_for(n):
    """Make sure this process may open n more sockets: raise the soft open-file limit
    as far as that needs (up to the hard limit); return the soft limit. If the hard
    limit is too low, raise TooManySockets saying which `ulimit -n` to ask for."""
    n = request_count(n, maximum=MOST_SOCKETS, unit="socket")
    soft, hard = open_file_limit()
    needed = n + SPARE
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    soft = raise_open_file_limit()  # as far as the hard limit lets it, even if short
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return soft
    raise TooManySockets(
        f"{n:,} sockets at once need about {needed:,} open files, but this process may have "
        f"only {soft:,} (`ulimit -n`), and its hard limit ({_hard_text(hard)}) stops it "
        f"raising that itself. Use fewer at once, or ask for more: `ulimit -n {needed}` in "
        "the shell that starts JupyterLab (an administrator may have to raise the hard "
        "limit, in /etc/security/limits.conf or the hub's settings), then restart it.")


@dataclass(frozen=True)
class OpenFileRun:
    """What a child process with a low open-file limit saw."""
    soft: int                   # the soft limit it ran with (after raising it, if asked)
    hard: int
    opened: int                 # sockets it opened before it was refused
    in_use_before: int          # descriptors it already had open (stdin, stdout, ...)
    error: str                  # the refusal: "EMFILE: Too many open files", or ""
    no_room: Optional[str]      # make_room_for(need)'s message, if it refused

    def __str__(self):
        return (f"limit {self.soft:,} (hard {_hard_text(self.hard)}): {self.in_use_before} "
                f"descriptors already open, {self.opened:,} sockets opened, then "
                f"{self.error or 'no refusal'}")


def hit_the_open_file_limit(soft, *, hard=None, need=None):
    """In a fresh Python whose open-file limit is lowered to `soft` (and its hard limit
    to `hard`, if given): raise the soft limit as far as `need` sockets need, if given,
    then open sockets until the system refuses one. This process's limit is untouched."""
    soft = request_count(soft, name="soft", maximum=HIGHEST_LIMIT, unit="file")
    if soft < LOWEST_LIMIT:
        raise InvalidParameter(f"soft={soft} is too low for Python to start; use "
                          f"{LOWEST_LIMIT} or more.")
    if hard is not None:
        hard = request_count(hard, name="hard", maximum=HIGHEST_LIMIT, unit="file")
        if hard < soft:
            raise InvalidParameter(f"hard={hard} is below soft={soft}: a soft limit can never "
                              "exceed the hard one.")
    if need is not None:
        need = request_count(need, name="need", maximum=MOST_SOCKETS, unit="socket")
    spec = json.dumps({"soft": soft, "hard": hard, "need": need})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [root, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", __name__, spec], capture_output=True,
                          text=True, timeout=CHILD_SECONDS, env=env, stdin=subprocess.DEVNULL)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise CourseError(f"The child process failed (status {done.returncode}): "
                          f"{(done.stderr.strip().splitlines() or ['no output'])[-1]}")
    return OpenFileRun(**json.loads(lines[-1]))


def _child(spec):
    """Lower the limits, optionally make room, then open sockets until refused."""
    _soft, hard = open_file_limit()
    hard = hard if spec["hard"] is None else spec["hard"]
    resource.setrlimit(resource.RLIMIT_NOFILE, (spec["soft"], hard))
    no_room = None
    if spec["need"] is not None:
        try:
            make_room_for(spec["need"])
        except TooManySockets as error:
            no_room = str(error)
    soft, hard = open_file_limit()
    in_use = sum(1 for fd in range(soft) if _is_open(fd))
    sockets, error = [], ""
    try:
        while len(sockets) < HIGHEST_LIMIT:
            sockets.append(socket.socket())
    except OSError as refused:
        error = f"{errno.errorcode.get(refused.errno, refused.errno)}: {refused.strerror}"
    finally:
        for sock in sockets:
            sock.close()
    return {"soft": soft, "hard": hard, "opened": len(sockets), "in_use_before": in_use,
            "error": error, "no_room": no_room}


def _is_open(fd):
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1]))), flush=True)
