"""The course's event loops: the article's select() loop, finished, and a recorder of
its turns (notebook 05); then the general loop of notebook 06, with its futures, tasks,
deadlines and a semaphore; and (notebook 09) offloading a call to a thread or
process pool, with the self-pipe that wakes the loop when it is done.

Two ways to run, named apart: run(tasks) runs the article's generator tasks, each of
which yields the socket it waits on; run_main(main) runs one generator task or
coroutine on the general loop, which may start and wait for any number of others.

Loops know tasks, sockets and time; they import no client and no view.
"""
from .article import run
from .futures import CancelledError, Future, InvalidStateError
from .general import Deadlock, EventLoop, current_loop
from .locks import Semaphore
from .offload import run_in_executor, to_thread
from .tasks import (Task, current_task, first_completed, gather, readable, run_main, sleep,
                    spawn, writable)
from .timeouts import DeadlineExceeded, deadline, timeout
from .trace import Step, trace_run

__all__ = ["CancelledError", "DeadlineExceeded", "Deadlock", "EventLoop", "Future",
           "InvalidStateError", "Semaphore", "Step", "Task", "current_loop", "current_task",
           "deadline", "first_completed", "gather", "readable", "run", "run_main", "sleep",
           "spawn", "timeout", "trace_run", "writable",
           "run_in_executor", "to_thread"]
