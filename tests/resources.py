"""Counting what a process holds, to prove that nothing leaked."""
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
    return {"descriptors": open_descriptors(), "threads": threading.active_count()}


def settled(before, timeout=5.0):
    """Wait until the counts are back to `before` (threads take a moment to end)."""
    deadline = time.monotonic() + timeout
    while True:
        now = snapshot()
        if all(now[k] <= before[k] for k in before) or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True
