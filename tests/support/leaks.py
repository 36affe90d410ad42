"""Counting what a process holds, to prove that nothing leaked: descriptors, threads,
child processes, and tasks left suspended."""
import os
import threading
import time


def open_descriptors():
    """Open file descriptors of this process (Linux /proc, or /dev/fd on macOS)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(folder):
            return len(os.listdir(folder))
    raise RuntimeError("cannot count open descriptors on this system")


def snapshot():
    """The counts a leak changes first, cheap enough to take around every test."""
    return {"descriptors": open_descriptors(), "threads": threading.active_count()}


def settled(before, timeout=5.0):
    """Wait until the counts are back to `before` (threads take a moment to end)."""
    deadline = time.monotonic() + timeout
    while True:
        now = snapshot()
        if all(now[k] <= before[k] for k in before) or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def left_behind(before, timeout=5.0):
    """What grew since `before` and stayed so for `timeout` seconds: {count: (before, now)},
    empty when nothing was left. A count may also shrink: another test's garbage, collected
    meanwhile, closes its own sockets; that is no leak of the code under test."""
    now = settled(before, timeout)
    return {k: (before[k], now[k]) for k in before if now[k] > before[k]}


# -- in detail (also run inside notebook kernels) -------------------------------------
def process_counts():
    """Descriptors by kind, threads and child processes of this process, as plain data.

    Self-contained (imports inside), so its source can be sent to a Jupyter kernel and
    run there: tests/support/reruns.py does that.
    """
    import os
    import stat
    import subprocess
    import threading

    def describe(fd):
        mode = os.fstat(fd).st_mode
        kind = ("socket" if stat.S_ISSOCK(mode) else "pipe" if stat.S_ISFIFO(mode)
                else "file" if stat.S_ISREG(mode) else "other")
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            path = ""
        return kind, path

    folder = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
    descriptors = {}
    for name in os.listdir(folder):
        try:
            descriptors[int(name)] = describe(int(name))
        except OSError:
            pass  # the descriptor listdir() itself used, closed by now

    pid, children = os.getpid(), []
    if os.path.isdir("/proc/self"):
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                children.append([int(entry), fields[0]])
    else:  # macOS: ask ps (a child itself while it runs, so leave it out)
        ps = subprocess.Popen(["ps", "-A", "-o", "pid=,ppid=,stat="],
                              stdout=subprocess.PIPE, text=True)
        listing = ps.communicate()[0]
        for line in listing.splitlines():
            child, parent, state = line.split()[:3]
            if int(parent) == pid and int(child) != ps.pid:
                children.append([int(child), state[0]])

    return {"descriptors": descriptors,
            "threads": sorted(f"{t.name} ({type(t).__module__}.{type(t).__qualname__})"
                              for t in threading.enumerate()),
            "children": sorted(children)}


def pending_tasks(package="helpers"):
    """Unfinished asyncio tasks, and suspended generators or coroutines from `package`.

    A task left suspended holds whatever it was waiting on (usually a socket).
    Generator expressions are left out: they hold no resources of their own.
    """
    import asyncio
    import gc
    import inspect

    folder = os.sep + package + os.sep
    found = []
    for obj in gc.get_objects():
        if isinstance(obj, asyncio.Task) and not obj.done():
            found.append(obj)
        elif inspect.isgenerator(obj) or inspect.iscoroutine(obj):
            code = obj.gi_code if inspect.isgenerator(obj) else obj.cr_code
            frame = obj.gi_frame if inspect.isgenerator(obj) else obj.cr_frame
            if frame is not None and folder in code.co_filename and code.co_name != "<genexpr>":
                found.append(obj)
    return found
