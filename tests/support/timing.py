"""Hard time bounds, so that a hang becomes a failure; and polling until something holds."""
import contextlib
import faulthandler
import signal
import time


class TimeLimitExceeded(BaseException):
    """A test ran past its hard time bound (a BaseException, so no `except Exception` eats it)."""


@contextlib.contextmanager
def time_limit(seconds):
    """Fail what runs inside after `seconds`: a hang becomes a failure, never a stuck run.

    SIGALRM interrupts blocking calls in the main thread; if even that cannot run (stuck
    in C), faulthandler dumps every thread's stack and ends the process a bit later.
    Main thread only, and not nested (there is one alarm clock per process).
    """
    def on_alarm(signum, frame):
        raise TimeLimitExceeded(f"still running after the hard limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds + 30, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


def wait_until(condition, seconds, interval=0.25):
    """Poll condition() until it returns something true or `seconds` pass; return its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
