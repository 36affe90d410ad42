"""The whole course runs in one kernel, notebook after notebook, and leaks nothing.

Learners go on from one notebook to the next in the kernel they already used. Every
notebook found in notebooks/ (new ones are covered without new code) runs in one kernel,
in order, in fast mode (COURSE_DELAY=0.25, cwd notebooks/). After each, a probe cell counts
the kernel's descriptors, threads and child processes: only the shared service and
matplotlib's font cache may have been added since the fresh kernel; stopping the service
at the end frees everything. The probe and its checks are in tests/support/reruns.py,
which also runs each notebook a second time in nbval's kernel.

The whole course's executed notebooks then become the static edition, and every page is
checked (tests/support/edition.py): no notebook runs once more only for its page.
"""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from helpers import edition
from support.edition import check_site
from support.kernels import KERNEL_STARTS, died_at_start
from support.reruns import (CELL_TIMEOUT, WARM_UP, check_against_fresh,
                            check_stopping_the_service_frees_everything, probe, probe_until)
from support.timing import time_limit

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


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


def test_the_whole_course_runs_in_one_kernel_leaks_nothing_and_makes_the_edition(tmp_path):
    """Then its executed notebooks are written as the static edition and every page checked
    (tests/test_edition.py runs the command itself on the start notebook)."""
    assert NOTEBOOKS, "no notebooks found"
    executed = {}
    with time_limit(2 * CELL_TIMEOUT + 60 * len(NOTEBOOKS)), Kernel() as kernel:
        fresh = probe(kernel.run_code)
        now = fresh
        for path in NOTEBOOKS:
            executed[path] = kernel.run_notebook(path)
            now = probe_until(kernel.run_code, lambda now: check_against_fresh(
                fresh, now, f"the course, after {path.name}"))
        check_stopping_the_service_frees_everything(kernel.run_code, fresh, now, "the course")
    edition.write(tmp_path, executed)
    check_site(tmp_path)


CONFTEST = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
from support.reruns import add_second_runs

def pytest_collection_modifyitems(items):
    items[:] = add_second_runs(items)
"""


def test_the_second_run_in_nbvals_kernel_catches_a_leak_and_passes_a_clean_notebook(tmp_path):
    """tests/support/reruns.py gives each notebook under nbval its second run: a notebook
    that leaves a thread running fails it, naming the thread; a clean one passes."""
    cells = {"clean": ["x = sum(range(10))", "assert x == 45"],
             "leaky": ["import threading\n"
                       "stop = threading.Event()\n"
                       "threading.Thread(target=stop.wait, name='forgotten', daemon=True).start()"]}
    for name, sources in cells.items():
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in sources])
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    (tmp_path / "conftest.py").write_text(CONFTEST)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=60", "-W", "ignore",
         "clean.ipynb", "leaky.ipynb"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = run.stdout + run.stderr
    assert "PASSED clean.ipynb::runs again in its kernel and leaks nothing" in report, report
    assert "FAILED leaky.ipynb::runs again in its kernel and leaks nothing" in report, report
    assert "leaky.ipynb, first run: threads were left running" in report, report
    assert "forgotten" in report and "1 failed, 6 passed" in report, report
