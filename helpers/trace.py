"""Watch the event loop work, one turn at a time.

trace_run(tasks) runs the tasks on helpers.loops.run, the course's tested loop, and
records what every turn of the loop found and did: which tasks were in the ready
queue, which sockets select() watched and which it returned, which task ran and what
came of it. step_through(steps) shows that record as a slider, one turn per position;
trace_table(steps) prints it whole, for readers without widgets.

    tasks = delayed_requests(service, [1.0, 0.25, 0.5])
    results, steps = trace_run(tasks)
    step_through(steps, delays=[1.0, 0.25, 0.5])
"""
import html
import time
from dataclasses import dataclass

import ipywidgets as widgets

from . import validate
from .clients import DEFAULT_TIMEOUT
from .errors import InvalidParameter
from .loops import call_downstream_async, run
from .raw_http import resource_path

# The play button's pause between turns, in milliseconds: at most a minute.
MAX_INTERVAL_MS = 60_000


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
    timeout = validate.timeout_seconds(timeout)
    tasks = list(tasks)
    recorder = _Recorder(len(tasks))
    results = run(tasks, timeout=timeout, on_step=recorder)
    return results, recorder.steps


def delayed_requests(service, delays):
    """One task per delay: a request that the service answers after that many seconds."""
    delays = validate.delay_list(delays)  # all checked before any task exists
    address = service.address
    return [call_downstream_async(address, resource_path(delay)) for delay in delays]


# -- words ---------------------------------------------------------------------------

def _fds(pairs):
    return ", ".join(f"fd {fd} (task {task})" for task, fd in pairs) or "none"


def _tasks(numbers):
    return "[" + ", ".join(f"task {n}" for n in numbers) + "]"


def what_select_did(step):
    """One sentence: why select() was or was not called, and what it returned."""
    if not step.called_select:
        return (f"Ready queue: {_tasks(step.ready_before)}. A task can run, "
                "so the loop does not call select().")
    moved = [f"task {task}" for task, _ in step.selected]
    moved = " and ".join([", ".join(moved[:-1]), moved[-1]] if len(moved) > 1 else moved)
    verb = "move" if len(step.selected) > 1 else "moves"
    return (f"Ready queue: empty. So the loop calls select() on every waiting socket, "
            f"{_fds(step.watched)}, and sleeps until one can be read. About "
            f"{step.took:.3f} s later it returns {_fds(step.selected)}: {moved} {verb} to "
            "the ready queue.")


def what_the_task_did(step):
    """One sentence: which task the loop resumed and what came of it."""
    if step.finished:
        start = (f"Task {step.ran} starts" if step.first_run
                 else f"Task {step.ran} resumes: its reply is there, so it reads it and")
        return (f"{start} returns {step.result!r}. The loop catches the StopIteration "
                "and keeps its .value as the task's result.")
    if step.first_run:
        return (f"Task {step.ran} starts: it connects, sends its request and yields its "
                f"socket, fd {step.paused_on}. It joins the wait list.")
    return f"Task {step.ran} resumes and yields a socket again, fd {step.paused_on}: it waits."


def describe(step):
    """The turn in words, for a reader: what the loop found, what select() did, what ran."""
    return "\n".join([f"Turn {step.number}, {step.at:.3f} s after the loop started.",
                      what_select_did(step), what_the_task_did(step)])


def _task_count(task_count):
    return validate.request_count(task_count, name="task_count", unit="task")


def task_states(step, task_count):
    """Each task's state as the turn ended: ready, waiting on an fd, or done."""
    task_count = _task_count(task_count)
    states = {task: f"ready (place {place + 1} in the queue)"
              for place, task in enumerate(step.ready_after)}
    states.update({task: f"waiting on fd {fd}" for task, fd in step.waiting_after})
    states.update({task: f"done: returned {result!r}" for task, result in step.done_after})
    return [states.get(task, "not started") for task in range(task_count)]


def trace_table(steps):
    """The whole run as a text table, one line per turn."""
    rows = [("turn", "time (s)", "select() watched -> returned", "ran", "outcome",
             "ready after", "waiting after")]
    for s in steps:
        seen = (f"{_short(s.watched)} -> {_short(s.selected)}" if s.called_select
                else "not called")
        outcome = f"returned {s.result!r}" if s.finished else f"waits on fd {s.paused_on}"
        rows.append((str(s.number), f"{s.at:.3f}", seen, f"task {s.ran}", outcome,
                     " ".join(map(str, s.ready_after)) or "-", _short(s.waiting_after)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in rows)


def _short(pairs):
    """(task, fd) pairs as 'task:fd', e.g. '0:61 1:62'."""
    return " ".join(f"{task}:{fd}" for task, fd in pairs) or "-"


# -- the widget ------------------------------------------------------------------------

_CELL = "style='padding:0.1em 1.2em 0.1em 0'"


def step_html(step, task_count, delays=None):
    """One turn as HTML: the two sentences, then a table of every task's state."""
    task_count = _task_count(task_count)
    if delays is not None:
        delays = validate.delay_list(delays, count=task_count)
    selected = {task for task, _ in step.selected}
    rows = []
    for task, state in enumerate(task_states(step, task_count)):
        notes = []
        if task in selected:
            notes.append("select() said readable")
        if task == step.ran:
            notes.append("ran this turn")
        weight = "bold" if task == step.ran else "normal"
        asks = f"{delays[task]:.3g} s" if delays is not None else ""
        cells = [f"task {task}", asks, state, ", ".join(notes)]
        rows.append(f"<tr style='font-weight:{weight}'>"
                    + "".join(f"<td {_CELL}>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "<tr>" + "".join(f"<th align=left {_CELL}>{name}</th>" for name in
                            ("task", "asks for", "state after this turn", "this turn")) + "</tr>"
    text = "".join(f"<p style='margin:0.3em 0'>{html.escape(line)}</p>"
                   for line in describe(step).splitlines())
    return (f"<div style='max-width:52em'>{text}"
            f"<table style='border-collapse:collapse'>{head}{''.join(rows)}</table></div>")


def step_through(steps, delays=None, interval_ms=1500):
    """A slider over the recorded turns (and a play button); shows one turn at a time."""
    if not steps:
        raise InvalidParameter("No steps to show: trace_run() some tasks first.")
    task_count = 1 + max(step.ran for step in steps)
    # Checked now, not when the slider reaches a bad turn inside the widget.
    if delays is not None:
        delays = validate.delay_list(delays, count=task_count)
    interval_ms = validate.request_count(interval_ms, name="interval_ms",
                                         maximum=MAX_INTERVAL_MS, unit="millisecond")
    slider = widgets.IntSlider(value=1, min=1, max=len(steps), description="turn",
                               continuous_update=True)
    play = widgets.Play(value=1, min=1, max=len(steps), interval=interval_ms,
                        description="play")
    widgets.jslink((play, "value"), (slider, "value"))
    view = widgets.HTML()

    def show(_change=None):
        view.value = step_html(steps[slider.value - 1], task_count, delays)

    slider.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox([play, slider]), view])
