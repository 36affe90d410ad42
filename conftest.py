"""Test-wide settings. They are set here, at the top of the repository, so that they hold
however pytest is started (`pytest notebooks/05-build-an-event-loop.ipynb` too), before any
kernel starts: the notebook kernels that nbval launches get them too."""
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import matplotlib
import pytest

# tests/support, importable as the test files import it, also when only notebooks/ is run.
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
from support.reruns import add_second_runs  # noqa: E402


# Fast mode: the notebooks read their delay from this variable (see helpers.service).
# Their lessons are stated in delays, so a shorter one proves the same things.
os.environ.setdefault("COURSE_DELAY", "0.25")

# Keep IPython's and matplotlib's caches and the kernels' connection files out of the
# user's home folder, in one scratch folder removed when the run ends.
_scratch = tempfile.mkdtemp(prefix="course-tests-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
os.environ.setdefault("IPYTHONDIR", os.path.join(_scratch, "ipython"))
os.environ.setdefault("MPLCONFIGDIR", os.path.join(_scratch, "matplotlib"))
os.environ.setdefault("JUPYTER_RUNTIME_DIR", os.path.join(_scratch, "jupyter-runtime"))

# Unit tests draw without a screen. (Kernels keep their own inline backend.)
matplotlib.use("Agg")


# -- tiers and running in parallel (pytest-xdist) --------------------------------------
# What runs notebooks whole, a browser or a build: minutes. The rest is the quick tier,
# `python3 course.py test -m quick`, for the inner loop of anyone changing the course.
SLOW_FILES = {"test_reruns.py", "test_browser.py", "test_edition.py", "test_packaging.py",
              "test_exercises_strict.py", "test_notebook.py", "test_notebooks.py",
              "test_security.py", "test_bench.py"}


def _order(item):
    """The longest first, so that under -n no worker is left with one long test at the end:
    the whole course in one kernel, the browser's notebooks, each notebook under nbval
    (the later notebooks are the longer ones), the other slow tests, then the quick ones."""
    if item.name.startswith("test_the_whole_course"):
        return (0, 0)
    if item.path.name == "test_browser.py":
        return (1, 0)
    if type(item).__name__ == "IPyNbCell":
        return (2, -int(item.path.name[:2]))  # NN-name.ipynb: 10 before 09 ...
    return (3 if item.path.name in SLOW_FILES else 4, 0)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """Mark each test slow or quick, put the longest first, and give each notebook its second
    run in nbval's kernel (tests/support/reruns.py). Under `-n`, the cells of one notebook
    must run in order in one kernel, so nbval's items of a notebook go to one worker as a
    group (`--dist loadgroup`, as course.py sets)."""
    items.sort(key=_order)  # stable: a notebook's cells keep their order
    for item in items:
        notebook_cell = type(item).__name__ == "IPyNbCell"
        if notebook_cell:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        slow = notebook_cell or item.path.name in SLOW_FILES
        item.add_marker(pytest.mark.slow if slow else pytest.mark.quick)
    items[:] = add_second_runs(items)

