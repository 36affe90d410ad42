"""N requests at once with asyncio's streams on uvloop: the same code, a faster loop.

uvloop replaces asyncio's event loop (selectors and Python callbacks) with libuv, the
loop under Node.js, written in C. The requests are exactly those of asyncio_streams;
only the loop that runs them differs, so the difference between the two is the loop's.
uvloop has no Windows wheels: where it is missing, the strategy says how to get it.
"""
import importlib.util

from ..errors import CourseError
from .asyncio_streams import run_requests


def uvloop_streams(n, service):
    """n requests at once on uvloop: asyncio_streams' coroutines on libuv's loop."""
    if not uvloop_available():
        raise CourseError(missing_uvloop())
    import uvloop  # only here: the rest of the course runs without it
    return run_requests(n, service, uvloop.new_event_loop)


def uvloop_available():
    return importlib.util.find_spec("uvloop") is not None


def open_libuvs_own_pipe():
    """Make one uvloop loop now, at import, and close it.

    libuv opens a pipe for the whole process with its first loop (a lock for its signal
    handling) and keeps it until the process ends. Made here, it is not counted against
    the first run, which would otherwise seem to leave two descriptors open.
    """
    if uvloop_available():
        import uvloop
        uvloop.new_event_loop().close()


def missing_uvloop():
    """Why uvloop_streams cannot run here, or None if it can."""
    if uvloop_available():
        return None
    return ("uvloop_streams needs the uvloop package, which is not installed here: "
            "pip install 'uvloop>=0.19' (Linux and macOS; it has no Windows wheels).")


open_libuvs_own_pipe()
