"""Re-runs that leave nothing behind: what a notebook kernel holds, counted by a probe cell,
and nbval's kernel running its notebook a second time.

Learners re-run notebooks in the kernel they already used. nbval runs each notebook once,
in a kernel of its own; `add_second_runs` puts two items beside its cells, in that kernel,
so that every notebook also runs twice in one kernel without starting a kernel for it:

- before the first cell, the warm-up cell and the fresh kernel's counts;
- after the last, the counts after nbval's run, every code cell once more in order, the
  counts again, then the shared service stopped and the counts once more.

The probe cell counts the kernel's open descriptors (by kind), threads and child processes
(support.leaks.process_counts), leaving out IPython's own history database. What may
change, precisely:
- the warm-up, before the fresh counts: the first large output a kernel sends (usually a
  plot) starts pyzmq's garbage collector, a thread with its own zmq context (7
  descriptors), once per kernel; libuv opens one pipe with the first uvloop loop and keeps
  it; the first "spawn" process pool starts multiprocessing's resource tracker. The
  warm-up cell does all three, so that no notebook is taken to leak them;
- after the first run, what may have been added is exactly the shared service
  (helpers.shared_service(): one child process, and the two pipes and the temporary file
  the kernel keeps to it) and the font files that matplotlib keeps open in its font cache.
  No socket, no other pipe or descriptor, no thread, no other child;
- after every later run, the counts equal those after the first run (same service pid);
- once the shared service is stopped, the child process and its descriptors are gone.

tests/test_reruns.py runs the whole course in one kernel with the same probe and checks.
"""
import inspect
import json
import time

import pytest

from support.leaks import process_counts

CELL_TIMEOUT = 120      # seconds, as for nbval: a cell running longer has hung
SETTLE_SECONDS = 3.0    # for a thread that is just finishing when the last cell returns
FONT_FILES = (".ttf", ".otf", ".ttc", ".afm", ".pfb")
# IPython writes each cell it runs to its history database, the probe's own cell too, from
# a thread of its own: the database's journal may be open at any probe. IPython's, not ours.
HISTORY_FILES = ("history.sqlite", "history.sqlite-journal", "history.sqlite-wal")
# Bigger than pyzmq's zero-copy threshold (64 KiB): starts its garbage-collector thread.
WARM_UP = """
print("warming up: " + "." * 200_000)
try:
    import uvloop
    uvloop.new_event_loop().close()
except ImportError:
    pass
from multiprocessing import resource_tracker
resource_tracker.ensure_running()
"""

PROBE = inspect.getsource(process_counts) + """
def _course_service_descriptors():
    import sys
    service_module = sys.modules.get("helpers.service.process")
    shared = getattr(service_module, "_shared", None)
    if shared is None or shared._process is None:
        return None
    p = shared._process
    return {"pid": p.pid, "descriptors": [p.stdin.fileno(), p.stdout.fileno(),
                                          shared._stderr.fileno()]}

import json as _course_json
print(_course_json.dumps({"counts": process_counts(), "service": _course_service_descriptors()}))
del process_counts, _course_service_descriptors, _course_json
"""
STOP_SHARED_SERVICE = """
import helpers.service.process
if helpers.service.process._shared is not None:
    helpers.service.process._shared.stop()
    helpers.service.process._shared = None
"""


# -- the probe and its checks, for any kernel that runs code: run_code(source) -> stdout --
def probe(run_code):
    now = json.loads(run_code(PROBE).strip().splitlines()[-1])
    descriptors = now["counts"]["descriptors"]
    now["counts"]["descriptors"] = {fd: d for fd, d in descriptors.items()
                                    if not (d[0] == "file" and d[1].endswith(HISTORY_FILES))}
    return now


def probe_until(run_code, check):
    """Probe, and pass the counts to check(); probe again for a moment while it fails."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        now = probe(run_code)
        try:
            check(now)
            return now
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def added(fresh, later):
    """Descriptors open in `later` but not in `fresh`: {fd: [kind, path]}."""
    before = fresh["counts"]["descriptors"]
    return {fd: d for fd, d in later["counts"]["descriptors"].items()
            if before.get(fd) != d}


def children_of(fresh):
    """The fresh kernel's child processes (the warm-up's resource tracker), by pid."""
    return {pid for pid, _state in fresh["counts"]["children"]}


def check_against_fresh(fresh, now, what):
    """Only the shared service and matplotlib's font cache may have been added."""
    service = now["service"]
    warmed_up = children_of(fresh)
    others = [[pid, state] for pid, state in now["counts"]["children"]
              if pid not in warmed_up and (not service or pid != service["pid"]
                                           or state == "Z")]  # Z: never reaped
    assert not others, f"{what}: child processes other than the shared service: {others}"
    assert now["counts"]["threads"] == fresh["counts"]["threads"], \
        f"{what}: threads were left running: {fresh['counts']['threads']} -> " \
        f"{now['counts']['threads']}"
    service_fds = {str(fd) for fd in service["descriptors"]} if service else set()
    unexplained = {fd: d for fd, d in added(fresh, now).items()
                   if fd not in service_fds and not
                   (d[0] == "file" and d[1].lower().endswith(FONT_FILES))}
    assert not unexplained, f"{what}: descriptors left open: {unexplained}"


def check_same(first, now, what):
    assert now["service"] == first["service"], \
        f"{what}: the shared service was replaced: {first['service']} -> {now['service']}"
    assert alive(now["counts"]) == alive(first["counts"]), \
        f"{what}: counts changed since the first run:\n" + describe_change(first, now)


def alive(counts):
    """The counts with each child's run state reduced to alive or a zombie: a service
    still answering the last cell's requests (R) at one probe and idle (S) at the next
    is the same process."""
    children = [[pid, "Z" if state == "Z" else "alive"] for pid, state in counts["children"]]
    return {**counts, "children": children}


def describe_change(first, now):
    lines = []
    for key in ("threads", "children"):
        if first["counts"][key] != now["counts"][key]:
            lines.append(f"{key}: {first['counts'][key]} -> {now['counts'][key]}")
    new = added(first, now)
    gone = added(now, first)
    if new or gone:
        lines.append(f"descriptors opened: {new}; closed: {gone}")
    return "\n".join(lines)


def check_stopping_the_service_frees_everything(run_code, fresh, before_stop, what):
    run_code(STOP_SHARED_SERVICE)

    def nothing_left(stopped):
        warmed_up = children_of(fresh)
        left = [c for c in stopped["counts"]["children"] if c[0] not in warmed_up]
        assert left == [], f"{what}: children after stopping the shared service: {left}"
        check_against_fresh(fresh, stopped, f"{what}, service stopped")
        if before_stop["service"]:
            service_fds = {str(fd) for fd in before_stop["service"]["descriptors"]}
            still = service_fds & set(added(fresh, stopped))
            assert not still, f"{what}: the stopped service's descriptors are still open"

    probe_until(run_code, nothing_left)


# -- the second run, in nbval's kernel ---------------------------------------------------
def add_second_runs(items):
    """items, with a FreshCounts item before each notebook's first nbval cell and a
    SecondRun item after its last (same markers). The cells of a notebook are adjacent."""
    result = []
    for index, item in enumerate(items):
        notebook = getattr(item, "parent", None)
        nbval_cell = type(item).__name__ == "IPyNbCell"
        if nbval_cell and (index == 0 or items[index - 1].parent is not notebook):
            result.append(_beside(FreshCounts, item))
        result.append(item)
        if nbval_cell and (index + 1 == len(items) or items[index + 1].parent is not notebook):
            result.append(_beside(SecondRun, item))
    return result


def _beside(kind, cell):
    new = kind.from_parent(cell.parent, name=kind.NAME)
    for mark in cell.own_markers:
        new.add_marker(getattr(pytest.mark, mark.name)(*mark.args, **mark.kwargs))
    new.add_marker(pytest.mark.second_run)
    return new


class _InNbvalKernel(pytest.Item):
    """Code run in the kernel nbval started for this notebook (the parent's)."""

    def run_code(self, source, what="probe cell"):
        kernel = self.parent.kernel
        if kernel is None or not kernel.is_alive():
            pytest.fail("nbval's kernel for this notebook is not running (see the cells above)",
                        pytrace=False)
        stdout, errors = [], []

        def collect(message):
            content = message["content"]
            if message["msg_type"] == "stream" and content["name"] == "stdout":
                stdout.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")

        reply = kernel.kc.execute_interactive(source, timeout=CELL_TIMEOUT, allow_stdin=False,
                                              output_hook=collect)
        if reply["content"]["status"] != "ok":
            pytest.fail(f"{self.parent.name}: {what} failed: {'; '.join(errors)}", pytrace=False)
        return "".join(stdout)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name}"


class FreshCounts(_InNbvalKernel):
    NAME = "counts of the fresh kernel"

    def runtest(self):
        self.run_code(WARM_UP, "the warm-up cell")
        self.parent.fresh_counts = probe(self.run_code)


class SecondRun(_InNbvalKernel):
    NAME = "runs again in its kernel and leaks nothing"

    def runtest(self):
        fresh = getattr(self.parent, "fresh_counts", None)
        if fresh is None:
            pytest.fail("the fresh kernel was not counted (see the first item)", pytrace=False)
        name = self.parent.name
        first = probe_until(self.run_code,
                            lambda now: check_against_fresh(fresh, now, f"{name}, first run"))
        code = [cell.source for cell in self.parent.nb.cells if cell.cell_type == "code"]
        for number, source in enumerate(code):
            self.run_code(source, f"Cell {number} on the second run")
        probe_until(self.run_code, lambda now: check_same(first, now, f"{name}, second run"))
        check_stopping_the_service_frees_everything(self.run_code, fresh, first, name)
