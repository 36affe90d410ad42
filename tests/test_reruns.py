"""Running a notebook again, or the whole course in one kernel, works and leaks nothing.

Learners re-run notebooks in the kernel they already used. Each notebook found in
notebooks/ (new ones are covered without new code) runs twice in one kernel, and the
whole course runs once in one kernel, notebook after notebook, in fast mode
(COURSE_DELAY=0.25, cwd notebooks/). A probe cell run in the kernel counts its open
descriptors (by kind), threads and child processes. The whole course's executed notebooks
then become the static edition, and every page is checked (tests/support/edition.py):
no notebook runs once more only for its page.

The baseline, precisely:
- a fresh kernel's counts, taken after one warm-up cell that prints a large output:
  the first large output a kernel sends (usually a plot) starts pyzmq's garbage
  collector, a thread with its own zmq context (7 descriptors), once per kernel; the
  same cell makes and closes one uvloop loop, for libuv's process-wide pipe;
- after the first run, what may have been added is exactly the shared service
  (helpers.shared_service(): one child process, and the two pipes and the temporary
  file the kernel keeps to it) and the font files that matplotlib keeps open in its
  font cache. No socket, no other pipe or descriptor, no thread, no other child;
- after every later run, the counts equal those after the first run (same service pid);
- once the shared service is stopped, the child process and its descriptors are gone.
"""
import inspect
import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import edition
from support.edition import check_site
from support.kernels import KERNEL_STARTS, died_at_start
from support.leaks import process_counts
from support.timing import time_limit

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120      # seconds, as for nbval: a cell running longer has hung
FONT_FILES = (".ttf", ".otf", ".ttc", ".afm", ".pfb")
# Bigger than pyzmq's zero-copy threshold (64 KiB): starts its garbage-collector thread.
# libuv opens one pipe for the whole process with its first loop and keeps it (a lock
# for its signal handling): make that loop here, so a notebook that uses uvloop is not
# taken to leak it. The same for multiprocessing's resource tracker.
WARM_UP = """
print("warming up: " + "." * 200_000)
try:
    import uvloop
    uvloop.new_event_loop().close()
except ImportError:
    pass
# multiprocessing's resource tracker: one helper process for the kernel's lifetime, started
# by the first "spawn" process pool (notebook 09) and kept, as libuv keeps its pipe.
from multiprocessing import resource_tracker
resource_tracker.ensure_running()
"""
SETTLE_SECONDS = 3.0    # for a thread that is just finishing when the last cell returns

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


class Kernel:
    """One kernel in notebooks/, fast mode, that runs notebooks and probe cells."""

    def __init__(self):
        self.client = NotebookClient(nbformat.v4.new_notebook(), timeout=CELL_TIMEOUT,
                                     kernel_name="python3", allow_errors=False)

    def __enter__(self):
        # Fast mode, as conftest.py sets it for nbval (unless the caller chose a delay).
        env = {**os.environ, "COURSE_DELAY": os.environ.get("COURSE_DELAY", "0.25")}
        for attempt in range(1, KERNEL_STARTS + 1):
            self._context = self.client.setup_kernel(cwd=str(NOTEBOOK_DIR), env=env)
            try:
                self._context.__enter__()
                break
            except RuntimeError as error:  # see tests/support/kernels.py
                if not died_at_start(error, attempt):
                    raise
                self.__init__()
        self.run_code(WARM_UP)
        return self

    def __exit__(self, *exc_info):
        return self._context.__exit__(*exc_info)

    def run_notebook(self, path):
        """Run every cell of the notebook at path; the notebook, with its outputs."""
        notebook = nbformat.read(path, as_version=4)
        self.client.nb = notebook
        for index, cell in enumerate(notebook.cells):
            self.client.execute_cell(cell, index)
        return notebook

    def run_code(self, code):
        cell = nbformat.v4.new_code_cell(code)
        self.client.nb = nbformat.v4.new_notebook(cells=[cell])
        self.client.execute_cell(cell, 0)
        return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")

    def probe(self):
        return json.loads(self.run_code(PROBE).strip().splitlines()[-1])

    def probe_until(self, check):
        """Probe, and pass the counts to check(); probe again for a moment while it fails."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            now = self.probe()
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


def check_against_fresh(fresh, now, what):
    """Only the shared service and matplotlib's font cache may have been added."""
    service = now["service"]
    children = now["counts"]["children"]
    warmed_up = {pid for pid, _state in fresh["counts"]["children"]}  # the resource tracker
    others = [[pid, state] for pid, state in children
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


def check_stopping_the_service_frees_everything(kernel, fresh, before_stop, what):
    kernel.run_code(STOP_SHARED_SERVICE)

    def nothing_left(stopped):
        warmed_up = {pid for pid, _state in fresh["counts"]["children"]}
        left = [c for c in stopped["counts"]["children"] if c[0] not in warmed_up]
        assert left == [], f"{what}: children after stopping the shared service: {left}"
        check_against_fresh(fresh, stopped, f"{what}, service stopped")
        if before_stop["service"]:
            service_fds = {str(fd) for fd in before_stop["service"]["descriptors"]}
            still = service_fds & set(added(fresh, stopped))
            assert not still, f"{what}: the stopped service's descriptors are still open"

    kernel.probe_until(nothing_left)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_runs_twice_in_one_kernel_and_leaks_nothing(path):
    with time_limit(4 * CELL_TIMEOUT), Kernel() as kernel:
        fresh = kernel.probe()
        kernel.run_notebook(path)
        first = kernel.probe_until(
            lambda now: check_against_fresh(fresh, now, f"{path.name}, first run"))
        kernel.run_notebook(path)
        kernel.probe_until(lambda now: check_same(first, now, f"{path.name}, second run"))
        check_stopping_the_service_frees_everything(kernel, fresh, first, path.name)


def test_the_whole_course_runs_in_one_kernel_leaks_nothing_and_makes_the_edition(tmp_path):
    """Then its executed notebooks are written as the static edition and every page checked
    (tests/test_edition.py runs the command itself on the start notebook)."""
    assert NOTEBOOKS, "no notebooks found"
    executed = {}
    with time_limit(2 * CELL_TIMEOUT + 60 * len(NOTEBOOKS)), Kernel() as kernel:
        fresh = kernel.probe()
        now = fresh
        for path in NOTEBOOKS:
            executed[path] = kernel.run_notebook(path)
            now = kernel.probe_until(
                lambda now: check_against_fresh(fresh, now, f"the course, after {path.name}"))
        check_stopping_the_service_frees_everything(kernel, fresh, now, "the course")
    edition.write(tmp_path, executed)
    check_site(tmp_path)
