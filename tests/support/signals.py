"""Signals: a Ctrl-C sent on cue, as Jupyter's interrupt button sends it; SIGTERM as
pytest's orderly exit; and a cleanup not cut short by a second stop request."""
import contextlib
import signal
import sys
import threading


@contextlib.contextmanager
def ctrl_c_after(seconds):
    """Send SIGINT to the main thread after `seconds`, as Jupyter's interrupt button does,
    with Python's own handler in place (whatever an earlier test left, and even when the
    suite was started in the background, `... &`, where the shell ignores SIGINT for it).

    A real signal (unlike _thread.interrupt_main) also wakes a main thread that is
    blocked in a system call or waiting on a lock, such as a thread pool's result().
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(
        seconds, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def sigterm_stops_the_run():
    """Turn SIGTERM into pytest's orderly exit while inside, so teardowns still run.

    CI stops a job that runs too long with SIGTERM. Python's default for it is to die
    at once, skipping every `finally:`, and JupyterLab (in its own session) would
    live on. A second SIGTERM during the teardown is ignored, not allowed to cut it.
    """
    import pytest

    if sys.platform == "win32":
        yield
        return

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        pytest.exit("stopped by SIGTERM: shutting JupyterLab down", returncode=128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred():
    """Hold SIGTERM and SIGINT back while inside: a second stop request must not cut a
    cleanup short. They are delivered (and acted on) on leaving."""
    held = {signal.SIGTERM, signal.SIGINT}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
