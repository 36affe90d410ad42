"""Test-wide settings. They are set here, at the top of the repository, so that they hold
however pytest is started (`pytest notebooks/05-build-an-event-loop.ipynb` too), before any
kernel starts: the notebook kernels that nbval launches get them too."""
import atexit
import os
import shutil
import tempfile

import matplotlib
import pytest


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


# -- running in parallel (pytest-xdist) -------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """Under `-n`, the cells of one notebook run in order in one kernel, so nbval's items
    of a notebook go to one worker as a group (`--dist loadgroup`, as pyproject sets)."""
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
