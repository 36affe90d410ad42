"""The recorded turns of the loop (helpers.loops.trace), shown: in words, as a text
table for readers without widgets, and as a slider with a play button.

    results, steps = trace_run(delayed_requests(service, [1.0, 0.25, 0.5]))
    step_through(steps, delays=[1.0, 0.25, 0.5])
"""
import html

import ipywidgets as widgets

from .. import validate
from ..errors import InvalidParameter

# The play button's pause between turns, in milliseconds: at most a minute.
MAX_INTERVAL_MS = 60_000


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


def task_states(step, task_count):
    """Each task's state as the turn ended: ready, waiting on an fd, or done."""
    return _states(step, validate.request_count(task_count, name="task_count", unit="task"))


def _states(step, task_count):
    states = {task: f"ready (place {place + 1} in the queue)"
              for place, task in enumerate(step.ready_after)}
    states.update({task: f"waiting on fd {fd}" for task, fd in step.waiting_after})
    states.update({task: f"done: returned {result!r}" for task, result in step.done_after})
    return [states.get(task, "not started") for task in range(task_count)]


def trace_table(steps):
    """The whole run as a text table, one line per turn.

    Narrow enough for a notebook beside a file browser: what select() watched is the
    line before's waiting list, so only what it returned has a column, and a finished
    task's value is left to the results (every line would repeat it).
    """
    rows = [("turn", "time (s)", "select() returned", "ran", "then", "ready",
             "waiting (task:fd)")]
    for s in steps:
        outcome = "returned" if s.finished else f"waits on fd {s.paused_on}"
        rows.append((str(s.number), f"{s.at:.3f}",
                     _short(s.selected) if s.called_select else "not called", str(s.ran),
                     outcome, " ".join(map(str, s.ready_after)) or "-", _short(s.waiting_after)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                     for row in rows)


def _short(pairs):
    """(task, fd) pairs as 'task:fd', e.g. '0:61 1:62'."""
    return " ".join(f"{task}:{fd}" for task, fd in pairs) or "-"


# -- the widget ------------------------------------------------------------------------

_CELL = "style='padding:0.1em 1.2em 0.1em 0'"


def _step_html(step, task_count, delays):
    """One turn as HTML: the two sentences, then a table of every task's state."""
    selected = {task for task, _ in step.selected}
    rows = []
    for task, state in enumerate(_states(step, task_count)):
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
        view.value = _step_html(steps[slider.value - 1], task_count, delays)

    slider.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox([play, slider]), view])
