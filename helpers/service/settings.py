"""What a service runs with, chosen before it starts: its delay, its event loop, and
the environment its process inherits.

    COURSE_DELAY=0.25           the tests' fast mode: every lesson is stated in delays
    COURSE_SERVICE_LOOP=asyncio the stdlib's loop, where uvloop would be the default
"""
import importlib.util
import os

from ..errors import InvalidParameter
from ..validate import delay_seconds, describe

DELAY_VARIABLE = "COURSE_DELAY"
LOOP_VARIABLE = "COURSE_SERVICE_LOOP"
LOOPS = ("uvloop", "asyncio")


def default_delay():
    """The service's delay: $COURSE_DELAY seconds if set (the tests' fast mode), else 1 s."""
    value = os.environ.get(DELAY_VARIABLE)
    if value is None or value.strip() == "":
        return 1.0
    return lesson_delay(value, name=f"the environment variable {DELAY_VARIABLE}")


def lesson_delay(delay, *, name="delay"):
    """A delay the notebooks can count time in: a delay the service serves, and not 0."""
    delay = delay_seconds(delay, name=name)
    if delay == 0:
        raise InvalidParameter(
            f"{name} must be more than 0 seconds: the notebooks measure time in delays "
            "(N requests in about one delay, or N delays). Try 0.25 for a fast run.")
    return delay


def uvloop_installed():
    return importlib.util.find_spec("uvloop") is not None


def service_loop(loop=None):
    """The event loop a service runs: 'uvloop' or 'asyncio'.

    None means $COURSE_SERVICE_LOOP if set, else uvloop where it is installed (it keeps
    up at 10,000 requests at once where asyncio's loop falls behind), else asyncio.
    """
    name = "loop"
    if loop is None:
        loop = os.environ.get(LOOP_VARIABLE, "").strip()
        if not loop:
            return "uvloop" if uvloop_installed() else "asyncio"
        name = f"the environment variable {LOOP_VARIABLE}"
    if loop not in LOOPS:
        raise InvalidParameter(
            f"{name} must be 'uvloop' or 'asyncio' (or None: uvloop where it is "
            f"installed); got {describe(loop)}.")
    if loop == "uvloop" and not uvloop_installed():
        raise InvalidParameter(
            f"{name}='uvloop' needs the uvloop package, which is not installed here: "
            "pip install 'uvloop>=0.19' (Linux and macOS), or use 'asyncio'.")
    return loop


def child_environment():
    """Our environment, with this package importable even if it is not installed."""
    env = dict(os.environ)
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = os.path.dirname(package)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env
