"""Small generator tasks for the loop's unit tests: they answer, fail or sleep on cue."""
from helpers.loops.tasks import sleep


def answer_task(value, delay=0.0):
    yield from sleep(delay)
    return value


def failing_task(error, delay=0.0):
    yield from sleep(delay)
    raise error


def sleeping_task(seconds, log=None):
    """Sleep, and note in `log` whether its finally ran."""
    try:
        yield from sleep(seconds)
        return "woke"
    finally:
        if log is not None:
            log.append("finally")
