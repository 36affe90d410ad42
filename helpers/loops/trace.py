"""Record the article's loop at work, one turn at a time.

trace_run(tasks) runs the tasks on helpers.loops.run and records what every turn of
the loop found and did: which tasks were in the ready queue, which sockets select()
watched and which it returned, which task ran and what came of it. The record is
plain data; helpers.views.trace puts it into words, a table and a slider.

    tasks = delayed_requests(service, [1.0, 0.25, 0.5])
    results, steps = trace_run(tasks)
"""
import time
from dataclasses import dataclass

from ..wire import DEFAULT_TIMEOUT
from .article import run


@dataclass(frozen=True)
class Step:
    """One turn of the loop: what it found, what select() said, which task ran."""
    number: int           # 1 for the first turn
    at: float             # seconds from the start of the run to the end of this turn
    took: float           # seconds since the previous turn ended: mostly select()'s sleep
    ready_before: tuple   # tasks in the ready queue as the turn began, next to run first
    watched: tuple        # (task, fd) pairs select() waited on; () when it was not called
    selected: tuple       # (task, fd) pairs select() returned as readable
    ran: int              # the task the loop resumed this turn
    first_run: bool       # True when this turn started the task
    paused_on: object     # the fd the task yielded and now waits on; None if it finished
    result: object        # what the task returned, if it finished this turn
    ready_after: tuple    # the ready queue as the turn ended
    waiting_after: tuple  # (task, fd) pairs paused on a socket as the turn ended
    done_after: tuple     # (task, result) pairs finished so far

    @property
    def called_select(self):
        return bool(self.watched)

    @property
    def finished(self):
        return self.paused_on is None


class _Recorder:
    """The on_step hook for helpers.loops.run: turns the loop's live state into Steps.

    It remembers each waiting socket's fd when the socket is first seen, because a task
    closes its socket when it finishes, and a closed socket no longer has a number.
    """

    def __init__(self, task_count):
        self.steps = []
        self.start = time.perf_counter()
        self.ready = tuple(range(task_count))  # before the first turn, every task is ready
        self.waiting = {}                      # socket -> (task, fd), as the last turn ended
        self.started = set()
        self.done = ()

    def __call__(self, *, ran, ready, waiting, readable, results):
        watched = tuple(self.waiting.values()) if readable is not None else ()
        selected = tuple(self.waiting[sock] for sock in readable) if readable is not None else ()
        self.waiting = {sock: self.waiting.get(sock) or (task, sock.fileno())
                        for sock, (task, _generator) in waiting.items()}
        paused_on = next((fd for task, fd in self.waiting.values() if task == ran), None)
        if paused_on is None:
            self.done += ((ran, results[ran]),)
        at = time.perf_counter() - self.start
        took = at - (self.steps[-1].at if self.steps else 0.0)
        self.steps.append(Step(
            number=len(self.steps) + 1, at=at, took=took,
            ready_before=self.ready, watched=watched, selected=selected, ran=ran,
            first_run=ran not in self.started, paused_on=paused_on,
            result=results.get(ran), ready_after=tuple(task for task, _ in ready),
            waiting_after=tuple(self.waiting.values()), done_after=self.done))
        self.started.add(ran)
        self.ready = self.steps[-1].ready_after


def trace_run(tasks, timeout=DEFAULT_TIMEOUT):
    """Run tasks on helpers.loops.run and record every turn; return (results, steps)."""
    tasks = list(tasks)
    recorder = _Recorder(len(tasks))
    results = run(tasks, timeout=timeout, on_step=recorder)
    return results, recorder.steps
