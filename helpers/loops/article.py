"""The article's event loop, finished: one thread, select(), and generators.

A task is a generator that does the non-blocking part of its work, yields the
socket it is about to wait on, and is resumed once select() says that socket is
readable. run() drives many of them and collects what each one returns.
"""
import select
import traceback
from collections import deque

from .. import validate
from ..errors import ServiceError
from ..limits import is_select_limit, select_limit_reached
from ..wire import DEFAULT_TIMEOUT


def run(tasks, timeout=DEFAULT_TIMEOUT, on_step=None):
    """Run generator tasks to completion on this thread; return their results in order.

    If anything goes wrong (a task fails, select() runs out of room, Ctrl-C), every
    unfinished task is closed, which closes its socket, before the error propagates.

    on_step, if given, is called after every turn of the loop, so that helpers.loops.trace
    can show the loop at work: on_step(ran=index of the task just resumed, ready=the
    ready queue of (index, task), waiting={socket: (index, task)}, readable=the sockets
    select() returned this turn or None if it was not called, results={index: value}).
    It must only look: the loop goes on with whatever it leaves in them.
    """
    timeout = validate.timeout_seconds(timeout)
    ready = deque(enumerate(tasks))
    unfinished = dict(ready)
    waiting = {}  # socket -> (index, task) for tasks paused on that socket
    results = {}
    try:
        while ready or waiting:
            readable = None
            if not ready:
                readable, _, _ = select.select(list(waiting), [], [], timeout)
                if not readable:
                    raise ServiceError(f"No reply became readable within {timeout:g} s: the "
                                       "service is slower than the loop's timeout, or hung.")
                ready.extend(waiting.pop(sock) for sock in readable)
            index, task = ready.popleft()
            try:
                sock = next(task)
            except StopIteration as finished:
                results[index] = finished.value
                del unfinished[index]
            else:
                waiting[sock] = (index, task)
            if on_step is not None:
                on_step(ran=index, ready=ready, waiting=waiting, readable=readable,
                        results=results)
    except ValueError as error:
        if is_select_limit(error):
            raise select_limit_reached(closing=list(waiting)) from None
        raise
    except KeyboardInterrupt as interrupt:
        # Ctrl-C inside socket.create_connection() leaves a half-made socket in a frame
        # of the traceback (the stdlib closes it only on OSError): free it now.
        traceback.clear_frames(interrupt.__traceback__)
        raise
    finally:
        for task in unfinished.values():
            task.close()  # runs the task's `finally`, closing its connection
    return [results[i] for i in sorted(results)]
